"""Comparisons the text makes with another year ("比2024年预算增加24,491.71万元",
"与上年相比减少238.10万元，下降4.02%"), with the amounts they join: the
figure compared (this year's), and when the text states it, the base (last
year's). The patterns are data (data/comparisons.yaml).

Amounts are held in 元 with the half unit of their printed precision, so a
check can tell a rounding from a fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..data_files import data_file

from .passages import Passage, Sentence, sentences

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
AMOUNT = re.compile(rf"(?<![\d.,])(?P<n>{_NUMBER})(?P<u>亿元|万元|元)")
_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_DELIMITERS = re.compile(r"[，,；;。：:]")


@dataclass(frozen=True, slots=True)
class Amount:
    value: Decimal  # in 元
    half: Decimal  # half a unit of the last printed digit, in 元
    printed: str
    start: int  # offsets in the passage text
    end: int
    label: str  # the clause before it, as printed

    @property
    def wan(self) -> Decimal:
        return self.value / _YUAN["万元"]


def amount(m: re.Match, text: str) -> Amount:
    number = m.group("n").replace(",", "")
    scale = _YUAN[m.group("u")]
    exponent = Decimal(number).as_tuple().exponent
    half = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0) * scale / 2
    cut = [d.end() for d in _DELIMITERS.finditer(text, 0, m.start())]
    label = text[cut[-1] if cut else 0:m.start()]
    return Amount(Decimal(number) * scale, half, m.group(0), m.start(), m.end(), label)


def amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    return [amount(m, text) for m in AMOUNT.finditer(text, start, len(text) if end is None else end)]


@dataclass(frozen=True, slots=True)
class Comparison:
    sentence: Sentence
    start: int
    end: int
    year: int | None  # the year compared with, when printed ("比2024年…")
    what: str  # what of that year: 预算, 预算执行数, 决算 … ("" for 上年)
    direction: int | None  # +1 增加, -1 减少, 0 持平; None: the template's 增加（减少）
    rate_direction: int | None  # the direction word before the rate, when printed again
    change: Amount | None
    rate: Decimal | None  # as printed, in percent
    current: Amount | None  # this year's figure
    prior: Amount | None  # the base, when the text states it
    lead: Amount | None  # the passage's first figure, when it is not `current`: an
    # item's heading amount ("…（项）”350.35万元") a later clause restates

    @property
    def quote(self) -> str:
        return self.sentence.passage.text[self.start:self.end]

    @property
    def passage(self) -> Passage:
        return self.sentence.passage

    @property
    def clause(self) -> str:
        """From this year's figure (its label) to the end of the comparison."""
        start = self.sentence.start
        if self.current is not None and self.current.start >= self.sentence.start:
            start = self.current.start - len(self.current.label)
        return self.passage.text[start:self.end]


@dataclass(frozen=True, slots=True)
class Patterns:
    anchor: re.Pattern
    tail: re.Pattern
    up: re.Pattern
    down: re.Pattern
    prior_label: str
    share: re.Pattern
    completion: re.Pattern
    budget_label: re.Pattern
    actual_label: re.Pattern
    own_year: re.Pattern
    titled_year: re.Pattern
    prior_year: re.Pattern
    compared: re.Pattern
    restated: str
    items: tuple[str, ...]
    item_tail: re.Pattern
    change_label: re.Pattern


@cache
def patterns() -> Patterns:
    data = data_file("comparisons.yaml")
    try:
        direction = f"(?:{data['up']}|{data['down']}|{data['flat']})"
        tail = (f"(?P<subject>{data['subject']})(?P<dir>{direction})(?P<alt>{data['alternative']})?了?"
                f"(?:(?P<change>{AMOUNT.pattern})(?:[，,]?(?P<dir2>{data['up']}|{data['down']})"
                f"(?P<alt2>{data['alternative']})?了?(?P<rate>{_NUMBER})%)?|(?P<rate_only>{_NUMBER})%)?")
        number = f"(?:{_NUMBER})"
        return Patterns(
            re.compile(data["anchor"]), re.compile(tail), re.compile(f"^(?:{data['up']})$"),
            re.compile(f"^(?:{data['down']})$"), data["prior_label"],
            re.compile(data["share"].replace("{number}", number)),
            re.compile(data["completion"].replace("{number}", number)),
            re.compile(data["budget_label"]), re.compile(data["actual_label"]),
            re.compile(data["own_year"]), re.compile(data["titled_year"]), re.compile(data["prior_year"]),
            re.compile(data["compared"]), data["restated"], tuple(data["items"]), re.compile(data["item_tail"]),
            re.compile(data["change_label"]))
    except (KeyError, re.error) as exc:
        raise ValueError(f"data/comparisons.yaml: {exc}") from exc


def _direction(word: str | None, alternative: str | None) -> int | None:
    if word is None or alternative:
        return None
    pats = patterns()
    return 1 if pats.up.match(word) else -1 if pats.down.match(word) else 0


def _is_prior(a: Amount, year: int | None) -> bool:
    previous = str(year - 1) if year else r"\d{4}"
    return bool(re.search(patterns().prior_label.replace("{previous}", previous), a.label))


def comparisons(passage: Passage, year: int | None) -> list[Comparison]:
    """The comparisons of a passage, in order. `year` is the document's: an
    amount labelled with the year before is the base, not the figure."""
    pats = patterns()
    out: list[Comparison] = []
    previous_sentence: Sentence | None = None
    text = passage.text
    first = next((a for a in amounts(text) if not _is_prior(a, year)), None)
    for s in sentences(passage):
        seg = s.start
        found_here = False
        for m in pats.anchor.finditer(text, s.start, s.end):
            if m.start() < seg:
                continue
            t = pats.tail.match(text, m.end(), s.end)
            if t is None or not t.group("dir"):
                continue
            before = amounts(text, seg, m.start())
            current = next((a for a in reversed(before) if not _is_prior(a, year)), None)
            prior = next((a for a in reversed(before) if _is_prior(a, year)), None)
            if current is None and not found_here and not before and previous_sentence is not None \
                    and not pats.anchor.search(text, previous_sentence.start, previous_sentence.end):
                earlier = amounts(text, previous_sentence.start, previous_sentence.end)
                current = next((a for a in reversed(earlier) if not _is_prior(a, year)), None)
            change_m = AMOUNT.match(text, t.start("change")) if t.group("change") else None
            rate = t.group("rate") or t.group("rate_only")
            out.append(Comparison(
                sentence=s, start=m.start(), end=t.end(),
                year=int(m.group("year")) if m.group("year") else None,
                what=m.group("what") or "",
                direction=_direction(t.group("dir"), t.group("alt")),
                rate_direction=_direction(t.group("dir2"), t.group("alt2")) if t.group("dir2") else None,
                change=amount(change_m, text) if change_m else None,
                rate=Decimal(rate.replace(",", "")) if rate else None,
                current=current, prior=prior,
                lead=first if first is not None and current is not None and first.start != current.start else None))
            seg = t.end()
            found_here = True
        previous_sentence = s
    return out


@dataclass(frozen=True, slots=True)
class Ratio:
    """"占X%" or "完成X%" with the amount it is of (`part`) and, when the
    text states it, the amount it is a share of (`base`)."""

    sentence: Sentence
    kind: str  # share | completion
    start: int
    end: int
    base_name: str  # as printed: 本年支出合计, “三公”经费, 年初预算 …
    rate: Decimal
    part: Amount | None
    base: Amount | None

    @property
    def quote(self) -> str:
        return self.sentence.passage.text[self.start:self.end]


_QUOTES = re.compile(r"[“”\"'‘’的]")


def _named(label: str, name: str) -> bool:
    core = _QUOTES.sub("", name)
    return bool(core) and core in _QUOTES.sub("", label)


def ratios(passage: Passage) -> list[Ratio]:
    pats = patterns()
    out = []
    text = passage.text
    for s in sentences(passage):
        found = amounts(text, s.start, s.end)
        for kind, pattern in (("share", pats.share), ("completion", pats.completion)):
            for m in pattern.finditer(text, s.start, s.end):
                before = [a for a in found if a.end <= m.start()]
                base_name = m.group("base") or ""
                if kind == "share":
                    part = before[-1] if before else None
                    base = next((a for a in reversed(before[:-1]) if base_name and _named(a.label, base_name)), None)
                else:
                    part = next((a for a in reversed(before) if pats.actual_label.search(a.label)), None)
                    base = next((a for a in reversed(before) if pats.budget_label.search(a.label)), None)
                out.append(Ratio(s, kind, (part.start if part else m.start()), m.end(), base_name,
                                 Decimal(m.group("rate").replace(",", "")), part, base))
    return out
