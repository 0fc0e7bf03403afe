"""Tika text exports → block stream.

Tika writes a paragraph as a line; a table cell as a TAB-prefixed line, a row
closed by an empty line and the table by a second one. A cell holding several
paragraphs continues on lines without a TAB; an empty paragraph inside a cell
looks like a row end followed by more text, which is how it is told apart.
Horizontal merges are lost (a merged cell appears once); `grid.place` rebuilds
them from the header structure.

Exports pass through editors and mail before they reach us, so the reader
does not count on the exact whitespace: a line holding only spaces is an
empty line, a run of empty lines is one break, CR LF is a line end, and an
export whose TABs were turned into spaces is read by its indent.
"""

from __future__ import annotations

import re
from collections import Counter

from . import limits
from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# Word keeps a paragraph between two tables (else they would be one), so
# Tika separates two tables by at least three empty lines: a row end and a
# table end before the paragraph, one more after it. Fewer before another
# TAB line is a stray empty line inside one table.
_TABLE_GAP = 3


def strip_bookmarks(text: str) -> str:
    return _BOOKMARK.sub("", text) if "[bookmark:" in text else text


def parse_text(text: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    limits.check("text_lines", text.count("\n") + 1)
    lines = _tabs_from_spaces(text.split("\n"))
    cells = limits.Tally("document_cells")
    doc = Document(format="text")
    blocks = doc.blocks
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            i, rows = _read_table(lines, i, cells)
            blocks.append(TableBlock(rows=rows, index=len(blocks), line=rows[0].line if rows else i + 1))
            continue
        text_ = strip_bookmarks(line).strip()
        if text_:
            blocks.append(ParagraphBlock(text=text_, index=len(blocks), line=i + 1))
        i += 1
    return doc


def _blank(line: str) -> bool:
    """An empty line, or one holding spaces only; a TAB-led line is a cell,
    even an empty one."""
    return not line.startswith("\t") and not line.strip()


def _tabs_from_spaces(lines: list[str]) -> list[str]:
    """An export with no TAB-led line but many led by the same run of
    spaces had its TABs turned into spaces: that run is the TAB again.
    (Paragraphs are indented with full-width spaces, if at all.)"""
    if any(line.startswith("\t") for line in lines):
        return lines
    runs = Counter(len(line) - len(line.lstrip(" ")) for line in lines if line.startswith(" "))
    if not runs:
        return lines
    indent, _ = runs.most_common(1)[0]
    led = sum(c for run, c in runs.items() if run >= indent)
    if led < 0.3 * sum(1 for line in lines if line.strip()):
        return lines
    lead = " " * indent
    return ["\t" + line[indent:] if line.startswith(lead) and "[bookmark:" not in line[:indent + 12] else line
            for line in lines]


def _read_table(lines: list[str], i: int, tally: limits.Tally) -> tuple[int, list[TableRow]]:
    n = len(lines)
    rows: list[tuple[int, list[str]]] = []
    cells: list[str] = []
    row_line = i + 1
    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            if not cells:
                row_line = i + 1
            cells.append(line[1:])
            i += 1
        elif _blank(line):
            gap = 0
            while i < n and _blank(lines[i]):
                gap += 1
                i += 1
            if not cells:
                break
            rows.append((row_line, cells))
            cells = []
            nxt = lines[i] if i < n else ""
            if nxt.startswith("\t"):
                if gap < _TABLE_GAP:
                    continue
                break
            if gap > 1 or i >= n:
                break
            # More text after a row end: the last cell had an empty paragraph.
            row_line, cells = rows.pop()
            cells[-1] += "\n"
        else:
            if not cells:
                break
            cells[-1] += "\n" + line
            i += 1
    if cells:
        rows.append((row_line, cells))
    # a row's cells are its grid columns: a line of a million TABs would be
    # a million header paths and columns
    limits.check("table_rows", len(rows))
    limits.check("table_columns", max((len(raw) for _, raw in rows), default=0))
    tally.add(sum(len(raw) for _, raw in rows))
    return i, [
        TableRow(cells=[Cell(text=clean_cell(strip_bookmarks(c))) for c in raw], line=ln) for ln, raw in rows
    ]
