"""XLSX → block stream.

A sheet is read top to bottom: runs of rows whose cells have borders are a
table (the unbordered info line just above one — 单位：, 预算年度 — belongs
to it); any other non-empty row is a paragraph. A sheet without any borders
is a title row and one table, as workbooks are commonly published, unless
every line of it is a single cell (text). Merged
ranges give the spans; a row below the top of a vertical merge gets an empty
continuation cell, as in DOCX.

The cells come from python-calamine and the workbook's own XML
(xlsx_calamine) without building openpyxl's objects; a workbook whose cells
calamine would read otherwise than openpyxl is read with openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from functools import cache
from io import BytesIO

from . import limits
from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell
from .errors import ReadError
from .xlsx_calamine import NotSame, SheetGrid, read_sheets

_INFO = re.compile(r"单位[：:]|预算年度|截止(时间|日期)")


def _text(cell) -> str:
    """An openpyxl cell's text as printed."""
    v = cell.value
    return _value_text(v, cell.number_format if isinstance(v, (int, float)) and not isinstance(v, bool) else None)


def _value_text(v, number_format: str | None) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        fmt = number_format or "General"
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


def _used_width(g: SheetGrid, starts, first: int, end: int) -> int:
    """A table's width: its last bordered or filled column (a sheet is as
    wide as its widest table, and a table must not inherit that)."""
    width = 0
    for r in range(first, end):
        border, filled = g.border[r - 1], g.filled[r - 1]
        for c in range(1, g.cols + 1):
            if border[c - 1] or filled[c - 1]:
                width = max(width, c + starts.get((r, c), (1, 1))[1] - 1)
    return width


def _sheet_blocks(ws, blocks: list) -> None:
    """An openpyxl worksheet's blocks (the reader's fallback, and what
    annotate reads a workbook with)."""
    max_row, max_col = ws.max_row, ws.max_column
    # the grid below is max_row × max_col cells: `check_workbook` bounded
    # it before openpyxl read the sheet
    limits.check("document_cells", max_row * max_col)
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    grid = [[ws.cell(row=r, column=c) for c in range(1, max_col + 1)] for r in range(1, max_row + 1)]
    _grid_blocks(SheetGrid(
        title=ws.title, rows=max_row, cols=max_col, merges=merges,
        text=[[_text(c) for c in row] for row in grid],
        filled=[[c.value is not None for c in row] for row in grid],
        border=[[_has_border(c) for c in row] for row in grid],
    ), blocks)


def _grid_blocks(g: SheetGrid, blocks: list) -> None:
    max_row, max_col = g.rows, g.cols
    starts: dict[tuple[int, int], tuple[int, int]] = {}  # top-left → (rows, cols)
    covered: dict[tuple[int, int], tuple[int, int, int]] = {}  # cell → (top row, left col, cols)
    for r1, c1, r2, c2 in g.merges:
        starts[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    covered[(r, c)] = (r1, c1, c2 - c1 + 1)
    bordered_rows = [any(row) for row in g.border]
    any_border = any(bordered_rows)
    words = [[t for t in row if t] for row in g.text]

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
            cells.append(Cell(text=g.text[r - 1][c - 1], col=c - 1, span=span))
            c += span
        return cells

    def bordered(r: int) -> bool:
        return bordered_rows[r - 1]

    def texts(r: int) -> list[str]:
        return words[r - 1]

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
            blocks.append(ParagraphBlock(text=g.title, index=len(blocks)))
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
            width = _used_width(g, starts, start, r) if any_border else max_col
            rows = [TableRow(cells=[c for c in row_cells(k) if c.col < width]) for k in range(start, r)]
            blocks.append(TableBlock(rows=rows, width=width, index=len(blocks)))
            continue
        found = texts(r)
        if found:
            blocks.append(ParagraphBlock(text="".join(found), index=len(blocks)))
            first_paragraph_done = True
        r += 1


# The tags of a worksheet that place cells: a row, a cell, a merged range,
# the extent the sheet declares; with any namespace prefix, attribute values
# in either quote (a quoted ">" does not end the tag). XML allows no "<"
# inside a tag, so no attempt to match reads past the next one. Possessive:
# each piece of a tag is told by its first character, so nothing is given
# back, and a run of plain characters is taken in one step.
_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell|dimension)(?=[\s/>])((?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+)>""")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"""(?:^|\s)ref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL = re.compile(rb"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _attr(pattern: re.Pattern, attrs: bytes) -> bytes | None:
    m = pattern.search(attrs)
    return (m.group(1) if m.group(1) is not None else m.group(2)) if m else None


def _cell_ref(ref: bytes) -> tuple[int, int] | None:
    """(row, column) of A1-style reference, or None."""
    m = _CELL.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), _column(m.group(1))


@cache
def _column(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def _range(ref: bytes) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) of "A1:C3" or "A1"."""
    ends = [_cell_ref(part) for part in ref.split(b":")]
    if not ends or len(ends) > 2 or None in ends:
        return None
    (r1, c1), (r2, c2) = ends[0], ends[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def check_workbook(data: bytes, dimension: bool = False) -> None:
    """The workbook within the limits before openpyxl reads it: openpyxl
    makes an object for every cell of a merged range (A1:XFD1048576 is
    seventeen billion), and a sheet is read as a grid as wide and as long as
    its farthest cell. Every part is decompressed within the zip limits and
    every worksheet scanned for where its cells are, as openpyxl would place
    them. `dimension`: the sheet's declared extent counts too (openpyxl's
    read-only mode pads every row to it)."""
    _checked_parts(data, dimension)


def _checked_parts(data: bytes, dimension: bool = False) -> dict[str, bytes]:
    """`check_workbook`, keeping the XML parts it decompressed (the reader
    reads them, not again)."""
    cells = limits.Tally("document_cells")
    parts = {}
    try:
        with limits.open_zip(data) as zf:
            for info, part in limits.members(zf):
                if b"sheetData" in part or b"mergeCell" in part:
                    _check_sheet(part, cells, dimension)
                if info.filename.endswith((".xml", ".rels")):
                    parts[info.filename] = part
    except limits.ZIP_ERRORS as exc:
        raise ReadError.say("damaged_xlsx", detail=exc) from None
    return parts


def _check_sheet(xml: bytes, cells: limits.Tally, dimension: bool) -> None:
    """A worksheet's cells counted as the reader will hold them: the grid
    of its extent (as wide and as long as its farthest cell), every cell of
    every merged range, a row object per row element. The extent is not a
    table's width: sheets made from .xls carry styled empty cells to column
    IV (256), and the tables in them are read to their last bordered or
    filled cell (those are held to the table limits once read)."""
    room = cells.limit - cells.count
    row = col = 0
    rows = cols = count = merged = row_tags = 0

    def held() -> int:
        return max(rows * cols, count + merged) + row_tags

    for m in _TAG.finditer(xml):
        tag, attrs = m.group(1), m.group(2)
        if tag == b"c":
            # openpyxl: a cell without a reference follows the one before it
            at = _attr(_R, attrs)
            place = _cell_ref(at) if at else None
            col = place[1] if place else col + 1
            rows, cols = max(rows, place[0] if place else row), max(cols, col)
            count += 1
        elif tag == b"row":
            row_tags += 1
            at = _attr(_R, attrs)
            try:
                row = int(float(at)) if at else row + 1
            except ValueError:
                row += 1
            col = 0
            continue
        elif tag == b"mergeCell" or dimension:
            ref = _attr(_REF, attrs)
            span = _range(ref) if ref else None
            if not span:
                continue
            r1, c1, r2, c2 = span
            rows, cols = max(rows, r2), max(cols, c2)
            if tag == b"mergeCell":
                merged += (r2 - r1 + 1) * (c2 - c1 + 1)
        if held() > room:
            raise limits.exceeded("document_cells", cells.count + held())
    cells.add(held())


def parse_xlsx(data: bytes) -> Document:
    parts = _checked_parts(data)
    doc = Document(format="xlsx")
    try:
        sheets = read_sheets(data, parts)
    except NotSame:
        return _parse_openpyxl(data, doc)
    for g in sheets:
        _grid_blocks(g, doc.blocks)
    return doc


def _parse_openpyxl(data: bytes, doc: Document) -> Document:
    """The workbooks python-calamine cannot read as openpyxl would (see
    xlsx_calamine)."""
    from openpyxl import load_workbook  # imported here: only those workbooks pay for it

    try:
        wb = load_workbook(BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise ReadError.say("damaged_xlsx", detail=exc) from None
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise ReadError.say("unreadable_xlsx", detail=f"{type(exc).__name__}: {exc}") from None
    for ws in wb.worksheets:
        _sheet_blocks(ws, doc.blocks)
    return doc
