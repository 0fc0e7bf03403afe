"""Rates, directions and changes recomputed from the amounts the same sentence joins (rules W03–W07, W20)."""

from __future__ import annotations
