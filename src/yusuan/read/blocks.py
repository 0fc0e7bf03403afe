"""The format-neutral stream every reader produces: paragraphs and tables in
document order. The assembler turns this stream into a `Disclosure`, so the
same document gives the same model whatever format it came in.

A table cell knows its grid column only when the source says so (DOCX, PDF,
XLSX); Tika text loses horizontal merges, and `grid.place` rebuilds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    text: str
    col: int | None = None
    span: int = 1


@dataclass(slots=True)
class TableRow:
    cells: list[Cell]
    line: int | None = None
    page: int | None = None


@dataclass(slots=True)
class TableBlock:
    rows: list[TableRow]
    width: int | None = None
    index: int = 0
    line: int | None = None
    page: int | None = None


@dataclass(slots=True)
class ParagraphBlock:
    text: str
    index: int = 0
    line: int | None = None
    page: int | None = None


Block = ParagraphBlock | TableBlock


@dataclass(slots=True)
class Document:
    format: str
    blocks: list[Block] = field(default_factory=list)


def clean_cell(text: str) -> str:
    """Cell text as printed: paragraphs joined by newlines, trailing spaces
    (tabs Word used for layout) dropped, so every format agrees."""
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()
