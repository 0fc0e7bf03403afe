"""Amounts stated in the explanation, each with the words that say what it
is (its label) — the raw material of the text-against-tables rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..data_files import data_file

from ..definitions import squash
from ..model import Section

_AMOUNT = re.compile(r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|元)")
_DELIMITERS = "，,；;。：:（）()、！!？?\n"
_FILLER = re.compile(r"(共计|合计|总计)?(安排)?(为|是)?$")
_CHANGE = re.compile(r"(增加|减少|增长|下降)$")


@dataclass(frozen=True, slots=True)
class Statement:
    section: Section
    paragraph: int
    label: str
    amount: Decimal
    unit: str
    end: int  # offset after the amount in the paragraph text
    text: str  # the paragraph
    quote: str  # the clause as printed, label and amount

    @property
    def direction(self) -> int:
        """+1 / -1 for a stated increase / decrease, 0 otherwise."""
        m = _CHANGE.search(self.label)
        if not m:
            return 0
        return 1 if m.group(1) in ("增加", "增长") else -1

    def clause(self) -> str:
        return self.quote


@dataclass(frozen=True, slots=True)
class StatementDef:
    label: re.Pattern
    rule: str | None
    ref: str | None  # the first of `refs`
    refs: tuple[str, ...]  # where the figure is held, in order of preference
    relation: str
    change: str | None
    ignore: bool


@cache
def statements_file() -> dict:
    return data_file("statements.yaml")


@cache
def statement_defs() -> dict[str, tuple[StatementDef, ...]]:
    return {
        key: tuple(
            StatementDef(re.compile(s["label"]), s.get("rule"), _refs(s)[0] if _refs(s) else None, _refs(s),
                         s.get("relation", "equal"),
                         s.get("change"), bool(s.get("ignore")))
            for s in specs
        )
        for key, specs in statements_file()["sections"].items()
    }


_KIND_PREFIX = "final_accounts:"


@cache
def statement_defs_for(kind: str) -> dict[str, tuple[StatementDef, ...]]:
    """The statements a document of this kind reads, by section key: a 决算
    its final_* sections and the keys written `final_accounts:KEY` (the
    budget's overview and three_public, worded as a 决算 words them); a
    budget the rest."""
    defs = statement_defs()
    if kind == "final_accounts":
        return {k.removeprefix(_KIND_PREFIX): v for k, v in defs.items()
                if k.startswith(_KIND_PREFIX) or k.startswith("final_")}
    return {k: v for k, v in defs.items() if not k.startswith(_KIND_PREFIX) and not k.startswith("final_")}


def _refs(spec: dict) -> tuple[str, ...]:
    ref = spec.get("ref")
    return tuple(ref) if isinstance(ref, list) else ((ref,) if ref else ())


@cache
def reason_words() -> dict[str, re.Pattern]:
    return {k: re.compile(v) for k, v in statements_file()["reasons"].items()}


# Short bracketed words inside a name, （境） in 因公出国（境）费, are not
# punctuation; they are masked (same length) before labels are cut.
_SHORT_BRACKETS = re.compile(r"[（(]([^（）()]{1,3})[）)]")


def _mask(text: str) -> str:
    return _SHORT_BRACKETS.sub(lambda m: "〔" + m.group(1) + "〕", text)


def _clause_start(masked: str, start: int) -> int:
    i = start
    while i > 0 and masked[i - 1] not in _DELIMITERS:
        i -= 1
    return i


def _label(printed: str) -> str:
    label = re.sub(r"^(其中|包括|和|及|以及)", "", squash(printed))
    return _FILLER.sub("", label)


def extract(section: Section) -> list[Statement]:
    out = []
    for index, p in enumerate(section.paragraphs):
        masked = _mask(p.text)
        for m in _AMOUNT.finditer(p.text):
            start = _clause_start(masked, m.start())
            out.append(Statement(section, index, _label(p.text[start : m.start()]),
                                 Decimal(m.group(1).replace(",", "")), m.group(2), m.end(), p.text,
                                 squash(p.text[start : m.end()])))
    return out


def classify(section_key: str, st: Statement, kind: str = "budget") -> StatementDef | None:
    return next((d for d in statement_defs_for(kind).get(section_key, ()) if d.label.search(st.label)), None)
