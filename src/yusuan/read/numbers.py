"""Amounts as printed → Decimal (never float)."""

from __future__ import annotations

import re
from decimal import Decimal

_NUMBER = re.compile(r"^[-－]?\d+(\.\d+)?$")
_EMPTY = {"", "-", "—", "－", "/", "——"}


class NotANumber(ValueError):
    pass


def parse_amount(text: str) -> Decimal | None:
    """"7,272.94" → Decimal("7272.94"); empty or a dash → None."""
    t = text.replace(",", "").replace("，", "").replace(" ", "").strip()
    if t in _EMPTY:
        return None
    if not _NUMBER.match(t):
        raise NotANumber(text)
    return Decimal(t.replace("－", "-"))


def looks_numeric(text: str) -> bool:
    t = text.replace(",", "").strip()
    return bool(t) and bool(_NUMBER.match(t))
