"""Every piece of running text a disclosure prints, with where it is — the
raw material of the inspector's text checks (audit/wording/…).

A passage is one printed paragraph (or heading, title, note); sentences are
cut from it at 。！？ so a finding can quote the one sentence at fault.
Whitespace is removed: the PDF text layer puts spaces and line breaks
between characters inconsistently, and no check reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..definitions import squash
from ..model import Disclosure, Paragraph, Section, Source

PassageKind = Literal["title", "cover", "heading", "paragraph", "note", "table_title", "project"]


@dataclass(frozen=True, slots=True)
class Passage:
    kind: PassageKind
    part: str  # where, in words: 封面, a section's heading, a table's title
    text: str  # as printed, whitespace removed
    section: Section | None = None
    paragraph: int | None = None  # index in section.paragraphs
    table: str | None = None  # table id, for a table's title or notes
    project: str | None = None
    source: Source | None = None

    @property
    def prose(self) -> bool:
        """Running text written as sentences (not a heading, title or cover line)."""
        return self.kind in ("paragraph", "note", "project")


@dataclass(frozen=True, slots=True)
class Sentence:
    passage: Passage
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]


_END = re.compile(r"[。！？!?]+")


def sentences(passage: Passage) -> list[Sentence]:
    """The passage cut after each 。！？ (a run of them counts once, so a
    doubled full stop does not make an empty sentence)."""
    out, start = [], 0
    for m in _END.finditer(passage.text):
        out.append(Sentence(passage, start, m.end()))
        start = m.end()
    if start < len(passage.text):
        out.append(Sentence(passage, start, len(passage.text)))
    return out


# A PDF line that ends short of the margin because the next word (an amount
# with its unit) did not fit is read as a paragraph of its own; the sentence
# goes on in the next one. Rejoined here, or the checks would see two
# half-sentences (one "missing" its full stop, one without its verb).
_OPEN_END = re.compile(r"[，、（“‘《]$")
_CLOSED_END = re.compile(r"[。！？!?；;：:]$")
_CONTINUES = re.compile(r"^(?:[，。；、：）”’》%]|\d[\d,]*(?:\.\d+)?(?:万元|元|%|个|人|辆|家|次|批))")


# Some PDFs come out one printed line per paragraph: a line as wide as the
# widest of its part, not closed by punctuation, runs on into the next unless
# that one starts a numbered item.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+)")
_FULL_LINE = 0.85


# every check walks the passages again, and measuring each paragraph
# character by character each time was a tenth of a short check's CPU
@lru_cache(maxsize=4096)
def width(text: str) -> int:
    """Printed width in half-width cells (a CJK character is two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _continues(before: Passage, after: str, full: int) -> bool:
    if _CLOSED_END.search(before.text):
        return False
    if _OPEN_END.search(before.text) or _CONTINUES.match(after):
        return True
    return (before.source is not None and before.source.format == "pdf"
            and width(before.text) >= _FULL_LINE * full and not _NUMBERED.match(after))


def _paras(kind: PassageKind, part: str, paras: list[Paragraph], **where) -> Iterator[Passage]:
    pending: Passage | None = None
    full = max((width(squash(p.text)) for p in paras), default=0)
    for i, p in enumerate(paras):
        text = squash(p.text)
        if not text:
            continue
        if pending is not None and _continues(pending, text, full):
            pending = Passage(kind, part, pending.text + text, paragraph=pending.paragraph,
                              source=pending.source, **where)
            continue
        if pending is not None:
            yield pending
        pending = Passage(kind, part, text, paragraph=i, source=p.source, **where)
    if pending is not None:
        yield pending


def section_part(section: Section) -> str:
    return f"{section.numbering or ''}{section.heading}"


def passages(d: Disclosure) -> Iterator[Passage]:
    """In reading order: cover, title, preface, the sections (heading, then
    paragraphs), duties and performance text, table titles and notes.

    A text met twice is given once (a short sentence excepted): the
    readers keep a table's title among the paragraphs, the duties (d.duties)
    are the duties section's own paragraphs, and a PDF may carry a page's
    text twice; a check must not report one fault twice."""
    seen: set[str] = set()
    for p in _all_passages(d):
        if p.text in seen and (len(p.text) >= _REPEATABLE or not p.prose):
            continue
        seen.add(p.text)
        yield p


# Short sentences recur in their own right (主要原因是：根据实际支出。); a
# long one met twice is one text read twice.
_REPEATABLE = 20


def _all_passages(d: Disclosure) -> Iterator[Passage]:
    yield from _paras("cover", "封面", d.cover)
    ex = d.explanation
    if ex.title:
        yield Passage("title", "标题", squash(ex.title))
    yield from _paras("paragraph", "前言", ex.preface)
    for s in ex.sections:
        part = section_part(s)
        yield Passage("heading", part, squash(part), section=s, source=s.source)
        yield from _paras("paragraph", part, s.paragraphs, section=s)
    yield from _paras("paragraph", "主要职能", d.duties)
    for label, paras in (("总体绩效目标", d.performance.overall), ("分项绩效目标", d.performance.targets),
                         ("工作保障措施", d.performance.measures)):
        yield from _paras("paragraph", label, paras)
    for t in d.all_tables():
        if t.title:
            yield Passage("table_title", squash(t.title), squash(t.title), table=t.id, source=t.source)
        yield from _paras("note", squash(t.title) or t.id, t.notes, table=t.id)
    for p in d.projects:
        for text in (p.purpose, p.goal):
            if text and squash(text):
                yield Passage("project", f"项目「{squash(p.name)}」", squash(text), project=p.name, source=p.source)
