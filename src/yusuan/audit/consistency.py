"""One item, one amount: an item stated twice in a section with two amounts (rule W08)."""

from __future__ import annotations
