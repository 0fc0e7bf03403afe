"""Amounts as printed → Decimal (never float).

A cell meant to hold an amount sometimes prints it another way: full-width
digits (５８７．９２), its unit after it (587.92万), a letter for a digit that
looks alike (1O.18), a thousands separator out of place (58,7.92).
`read_amount` says what such a text seems to mean and whether that meaning
is certain enough to be read; the table reader records every such cell, so
a reviewer sees what was printed and what was made of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_NUMBER = re.compile(r"^[-－]?\d+(\.\d+)?$")
_EMPTY = {"", "-", "—", "－", "/", "——"}
_SPACE = re.compile(r"\s+")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
# letters a typist or a recogniser takes for a digit
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1"})
_UNIT = re.compile(r"(万元|万|元)$")
_GROUPED = re.compile(r"^[-]?\d{1,3}(,\d{3})+(\.\d+)?$")

# how a printing departs from a plain amount; the first ones leave no doubt
# about the amount, so it is read, the others are only shown
CERTAIN = frozenset({"fullwidth", "unit_same", "separators"})


class NotANumber(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Printed:
    """What an amount cell's text means."""

    value: Decimal | None  # the amount read; None when empty or only guessed
    flaws: tuple[str, ...] = ()  # how the printing departs from a plain amount (keys of cli.yaml read: cell_*)
    meant: Decimal | None = None  # the amount it seems to mean, read or not
    unit: str | None = None  # a unit printed in the cell (万元 or 元)


def parse_amount(text: str) -> Decimal | None:
    """"7,272.94" → Decimal("7272.94"); empty or a dash → None."""
    t = text.replace(",", "").replace("，", "").replace(" ", "").strip()
    if t in _EMPTY:
        return None
    if not _NUMBER.match(t):
        raise NotANumber(text)
    return Decimal(t.replace("－", "-"))


def read_amount(text: str, unit: str | None = None) -> Printed:
    """The amount a cell prints, in a table whose unit is `unit` (万元, 元
    or None when it states none)."""
    t = _SPACE.sub("", text)
    if t in _EMPTY:
        return Printed(None)
    if _NUMBER.match(t) or _GROUPED.match(t):
        return Printed(Decimal(t.replace(",", "").replace("－", "-")))
    flaws: list[str] = []
    s = t.translate(_FULL_WIDTH).replace("－", "-")
    if s != t:
        flaws.append("fullwidth")
    printed_unit = None
    if (m := _UNIT.search(s)) and m.start() > 0:
        printed_unit = "元" if m.group(1) == "元" else "万元"
        s = s[: m.start()]
        flaws.append("unit_same" if printed_unit == unit else "unit_other" if unit else "unit_unknown")
    if (guess := s.translate(_LOOKALIKE)) != s and _NUMBER.match(guess.replace(",", "")):
        flaws.append("letters")
        s = guess
    if not _NUMBER.match(s.replace(",", "")):
        return Printed(None, (*flaws, "not_amount"), unit=printed_unit)
    if "," in s and not _GROUPED.match(s):
        if "." not in s or "," in s[s.index("."):]:
            # 7272,94: a comma where the point goes, or a slip in 727294? the printing does not say
            return Printed(None, (*flaws, "separators_unsure"), unit=printed_unit)
        flaws.append("separators")  # the point fixes the amount whatever the commas
    meant = Decimal(s.replace(",", ""))
    certain = all(f in CERTAIN for f in flaws)
    return Printed(meant if certain else None, tuple(flaws), meant, printed_unit)


def looks_numeric(text: str) -> bool:
    t = text.replace(",", "").strip().translate(_FULL_WIDTH)
    return bool(t) and bool(_NUMBER.match(t))


_DECIMAL_INSIDE = re.compile(r"\d[.．]\d")


def looks_like_amount(text: str) -> bool:
    """An amount, plain or printed another way (587.92万, 1O.18, x180.66):
    a header label holds no decimal number."""
    return looks_numeric(text) or read_amount(text).meant is not None or bool(_DECIMAL_INSIDE.search(text))
