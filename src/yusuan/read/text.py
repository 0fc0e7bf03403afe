"""Tika text exports → block stream.

Tika writes a paragraph as a line; a table cell as a TAB-prefixed line, a row
closed by an empty line and the table by a second one. A cell holding several
paragraphs continues on lines without a TAB; an empty paragraph inside a cell
looks like a row end followed by more text, which is how it is told apart.
Horizontal merges are lost (a merged cell appears once); `grid.place` rebuilds
them from the header structure.
"""

from __future__ import annotations

import re

from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def strip_bookmarks(text: str) -> str:
    return _BOOKMARK.sub("", text) if "[bookmark:" in text else text


def parse_text(text: str) -> Document:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = Document(format="text")
    blocks = doc.blocks
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            i, rows = _read_table(lines, i)
            blocks.append(TableBlock(rows=rows, index=len(blocks), line=rows[0].line if rows else i + 1))
            continue
        text_ = strip_bookmarks(line).strip()
        if text_:
            blocks.append(ParagraphBlock(text=text_, index=len(blocks), line=i + 1))
        i += 1
    return doc


def _read_table(lines: list[str], i: int) -> tuple[int, list[TableRow]]:
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
        elif line == "":
            i += 1
            if not cells:
                break
            rows.append((row_line, cells))
            cells = []
            nxt = lines[i] if i < n else ""
            if nxt.startswith("\t"):
                continue
            if nxt == "":
                i += 1
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
    return i, [
        TableRow(cells=[Cell(text=clean_cell(strip_bookmarks(c))) for c in raw], line=ln) for ln, raw in rows
    ]
