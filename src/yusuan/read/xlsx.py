"""XLSX → block stream.

A sheet is read top to bottom: runs of rows whose cells have borders are a
table (the unbordered info line just above one — 单位：, 预算年度 — belongs
to it); any other non-empty row is a paragraph. A sheet without any borders
is a title row and one table, as workbooks are commonly published, unless
every line of it is a single cell (text). Merged
ranges give the spans; a row below the top of a vertical merge gets an empty
continuation cell, as in DOCX.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from io import BytesIO

from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell
from .errors import ReadError

_INFO = re.compile(r"单位[：:]|预算年度|截止(时间|日期)")


def _text(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        fmt = cell.number_format or "General"
        m = re.search(r"0\.(0+)", fmt)
        if m:
            return f"{v:.{len(m.group(1))}f}"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return repr(v) if isinstance(v, float) else str(v)
    if isinstance(v, (datetime, date)):
        return v.date().isoformat() if isinstance(v, datetime) else v.isoformat()
    return clean_cell(str(v))


def _is_note(words: list[str]) -> bool:
    """注：… under a table: a paragraph, not a row."""
    return len(words) == 1 and bool(re.match(r"^注[：:]", words[0]))


def _has_border(cell) -> bool:
    b = cell.border
    if b is None:
        return False
    return any(getattr(getattr(b, side), "style", None) for side in ("left", "right", "top", "bottom"))


def _used_width(grid, starts, first: int, end: int) -> int:
    """A table's width: its last bordered or filled column (a sheet is as
    wide as its widest table, and a table must not inherit that)."""
    width = 0
    for r in range(first, end):
        for c, cell in enumerate(grid[r - 1], start=1):
            if _has_border(cell) or cell.value is not None:
                width = max(width, c + starts.get((r, c), (1, 1))[1] - 1)
    return width


def _sheet_blocks(ws, blocks: list) -> None:
    max_row, max_col = ws.max_row, ws.max_column
    starts: dict[tuple[int, int], tuple[int, int]] = {}  # top-left → (rows, cols)
    covered: dict[tuple[int, int], tuple[int, int, int]] = {}  # cell → (top row, left col, cols)
    for rng in ws.merged_cells.ranges:
        starts[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered[(r, c)] = (rng.min_row, rng.min_col, rng.max_col - rng.min_col + 1)
    grid = [[ws.cell(row=r, column=c) for c in range(1, max_col + 1)] for r in range(1, max_row + 1)]
    any_border = any(_has_border(c) for row in grid for c in row)

    def row_cells(r: int) -> list[Cell]:
        cells, c = [], 1
        while c <= max_col:
            if (r, c) in covered:
                top, left, span = covered[(r, c)]
                if left == c and top < r:  # below the top of a vertical merge
                    cells.append(Cell(text="", col=c - 1, span=span))
                c += 1
                continue
            span = starts.get((r, c), (1, 1))[1]
            cells.append(Cell(text=_text(grid[r - 1][c - 1]), col=c - 1, span=span))
            c += span
        return cells

    def bordered(r: int) -> bool:
        return any(_has_border(c) for c in grid[r - 1])

    def texts(r: int) -> list[str]:
        return [t for t in (_text(c) for c in grid[r - 1]) if t]

    r = 1
    first_paragraph_done = False
    # A sheet without borders whose every line is one cell is text (a
    # written 情况说明 without tables), not a table.
    one_table = not any_border and any(len(texts(k)) > 1 for k in range(1, max_row + 1))
    if one_table:
        # One table per sheet: its title is the first row when that row is a
        # single cell of text, else the sheet's name.
        first = next((k for k in range(1, max_row + 1) if texts(k)), None)
        if first is not None and len(texts(first)) > 1:
            blocks.append(ParagraphBlock(text=ws.title, index=len(blocks)))
            first_paragraph_done = True
    while r <= max_row:
        is_table = bordered(r) if any_border else one_table and first_paragraph_done
        info = (
            not is_table and any_border and r < max_row and bordered(r + 1)
            and any(_INFO.search(t) for t in texts(r))
        )
        if is_table or info:
            start = r
            r += 1
            while r <= max_row and (bordered(r) if any_border else any(texts(r)) and not _is_note(texts(r))):
                r += 1
            width = _used_width(grid, starts, start, r) if any_border else max_col
            rows = [TableRow(cells=[c for c in row_cells(k) if c.col < width]) for k in range(start, r)]
            blocks.append(TableBlock(rows=rows, width=width, index=len(blocks)))
            continue
        words = texts(r)
        if words:
            blocks.append(ParagraphBlock(text="".join(words), index=len(blocks)))
            first_paragraph_done = True
        r += 1


def parse_xlsx(data: bytes) -> Document:
    from openpyxl import load_workbook  # imported here: only XLSX input pays for it

    try:
        wb = load_workbook(BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise ReadError.say("damaged_xlsx", detail=exc) from None
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise ReadError.say("unreadable_xlsx", detail=f"{type(exc).__name__}: {exc}") from None
    doc = Document(format="xlsx")
    for ws in wb.worksheets:
        _sheet_blocks(ws, doc.blocks)
    return doc
