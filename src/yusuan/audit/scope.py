"""Scope wording and the department's name: a 单位 document speaks of itself as a 单位, and its name is the same everywhere (rules W18–W19)."""

from __future__ import annotations
