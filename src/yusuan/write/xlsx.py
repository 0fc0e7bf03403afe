"""Layout → XLSX: one sheet per table of the form (title, info line, merged
header, amounts as numbers with their printed decimals — thousands grouped
in 元 —, 款/项/其中 lines indented, frozen header, columns as wide as their
content, printing on A4 one page wide with the header on every page); the
text before and after them (a 决算's cover and 概况, the explanation) with
its tables in place on sheets of their own.

Table cells have borders and nothing else does; yusuan's XLSX reader uses
exactly that to tell tables from paragraphs.

Text is always written as text: a name beginning with "=" (openpyxl would
store it as a formula, which the spreadsheet then runs — `=HYPERLINK(…)`,
`=cmd|…`) or with "+", "-", "@" (a formula when typed) is a string cell
marked with a quote prefix, so it stays text even when edited in Excel.
Characters XML cannot hold are dropped (text_safety).
"""

from __future__ import annotations

import re
from copy import copy
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins

from .form import printed_form
from .layout import Layout, LCell, LParagraph, LRow, LTable, fit_spans, table_run, text_units
from .text_safety import xml_text

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Style objects made once: openpyxl hashes each assigned style, and building
# a fresh Font per cell doubled the time of a workbook.
_CELL_FONT = Font(name=_FONT, size=9)
_HEAD_FONT = Font(name=_FONT, size=9, bold=True)
_LEVELS = 4  # indentation levels styled (类 0 … 项 2, a 其中 under a 项 3)
_ALIGN = {
    (numeric, header, indent): Alignment(horizontal="right" if numeric else ("center" if header else "left"),
                                         vertical="center", wrap_text=not numeric, indent=indent)
    for numeric in (False, True) for header in (False, True) for indent in range(_LEVELS)
}
_TEXT_COLUMNS = 8  # paragraphs on the explanation sheet are merged across these
_TEXT_WIDTH = 14
# Column widths in Excel's units (about a digit; a Chinese character takes
# two, as layout.text_units counts): a wrapping column no wider than this,
# and the room around a cell's text.
_WRAP_AT = 40
_COLUMN_PAD = 2
# Wider than this (in the units above) prints across the page: a portrait
# A4 page holds about 100 at 100 %, a landscape one about 150.
_PORTRAIT = 100
_LANDSCAPE_FROM = 150
_MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)  # inches
# Row heights, which spreadsheets do not grow for wrapped text on opening
# (LibreOffice printed the lines of a wrapped cell over each other): points
# a line, and Excel width units a text_unit takes, of 9 pt table cells and
# 11 pt paragraphs.
_CELL_LINE, _CELL_SCALE = 12, 0.9
_TEXT_LINE, _TEXT_SCALE = 15, 1.1


# What makes a spreadsheet read typed text as a formula.
_FORMULA_START = ("=", "+", "-", "@")


def _put_text(cell, text: str) -> None:
    """`text` in `cell` as a string, never a formula. Called after the
    cell's style is set: the shared style ids (_Styles) carry no quote
    prefix."""
    cell.value = xml_text(text)
    if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
        cell.data_type = "s"  # openpyxl made a leading "=" a formula
        cell.quotePrefix = True


def _number(text: str) -> Decimal | str:
    try:
        return Decimal(text.replace(",", ""))
    except ArithmeticError:
        return text


def _number_format(text: str, grouped: bool) -> str:
    """The printed decimals; thousands grouped for amounts in 元, whose
    seven- and eight-digit figures are unreadable without (万元 figures
    print ungrouped, as the official forms print them)."""
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    whole = "#,##0" if grouped else "0"
    return whole + ("." + "0" * decimals if decimals else "")


class _Styles:
    """openpyxl files every style assigned to a cell in the workbook's style
    lists, hashing it each time; a table cell has one of a handful of looks,
    so each look is filed once and its style ids copied to the other cells."""

    def __init__(self) -> None:
        self._ids: dict[tuple, object] = {}

    def apply(self, cell, header: bool, numeric: bool, bordered: bool, number_format: str | None, indent: int = 0) -> None:
        indent = min(indent, _LEVELS - 1)
        key = (header, numeric, bordered, number_format, indent)
        ids = self._ids.get(key)
        if ids is not None:
            cell._style = copy(ids)
            return
        cell.font = _HEAD_FONT if header else _CELL_FONT
        cell.alignment = _ALIGN[(numeric, header, indent)]
        if bordered:
            cell.border = BORDER
        if number_format:
            cell.number_format = number_format
        self._ids[key] = copy(cell._style)


def _lines(text: str, width: float, scale: float) -> int:
    room = max(width - _COLUMN_PAD, 1)
    return sum(max(1, -(-int(text_units(line) * scale) // int(room))) for line in text.split("\n"))


def _row_height(row: LRow, widths: list[float]) -> float | None:
    """The height a row of wrapped cells needs, or None for one line (a
    cell merged down has the rows below as well)."""
    lines, col = 1, 0
    for c in row.cells:
        if c.text and not c.merged and c.rowspan == 1 and not c.numeric:
            lines = max(lines, _lines(c.text, sum(widths[col:col + c.span]), _CELL_SCALE))
        col += c.span
    return lines * _CELL_LINE + 3 if lines > 1 else None


def _write_table(ws, t: LTable, top: int, styles: _Styles, widths: list[float] | None = None) -> int:
    """Write `t` with its first row at `top` (rows as high as their wrapped
    text needs in columns of these `widths`); return the next free row."""
    r = top
    grouped = t.unit == "元"
    for row in t.rows:
        if widths and row.role != "info" and (height := _row_height(row, widths)):
            ws.row_dimensions[r].height = height
        col = 1
        header = row.role in ("header", "lanci")
        bordered = row.role != "info"
        cells = row.cells
        if widths and not bordered:  # the info line: each text given the columns it needs
            spans = fit_spans([text_units(c.text) * _CELL_SCALE + 2 * _COLUMN_PAD for c in cells], widths[:t.width],
                              [c.span for c in cells])
            cells = [LCell(c.text, span=span) for c, span in zip(cells, spans)]
        for c in cells:
            cell = ws.cell(row=r, column=col)
            fmt, text = None, None
            if not c.merged:
                value = _number(c.text) if c.numeric and c.text else c.text
                if isinstance(value, Decimal):
                    cell.value = value  # openpyxl writes a Decimal as the number it prints
                    fmt = _number_format(c.text, grouped and c.kind == "amount")
                elif value:
                    text = value
            styles.apply(cell, header, c.numeric, bordered, fmt, c.indent)
            if text:
                _put_text(cell, text)
            for k in range(1, c.span if bordered else 1):
                styles.apply(ws.cell(row=r, column=col + k), header, c.numeric, True, None)
            if not c.merged and (c.span > 1 or c.rowspan > 1):
                # Registered directly: ws.merge_cells would also re-border
                # every covered cell, which the loop above has done.
                ws.merged_cells.add(CellRange(min_col=col, min_row=r, max_col=col + c.span - 1,
                                              max_row=r + c.rowspan - 1))
            col += c.span
        r += 1
    return r


def _paragraph(ws, p: LParagraph, row: int, widths: list[float]) -> None:
    """A paragraph merged across the columns of `widths`."""
    cell = ws.cell(row=row, column=1)
    _put_text(cell, p.text)
    big = p.style in ("cover", "contents_title", "table_title", "part", "title")
    cell.font = Font(name=_FONT, size=14 if big else 11, bold=p.style not in ("body", "note", "info", "contents"))
    cell.alignment = Alignment(horizontal="center" if big or p.style == "caption" else "right" if p.style == "info" else "left",
                               vertical="center",
                               wrap_text=True)
    if len(widths) > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    lines = _lines(p.text, sum(widths), _TEXT_SCALE * (1.3 if big else 1))
    if lines > 1:
        ws.row_dimensions[row].height = _TEXT_LINE * lines + 3


def _sheet_name(title: str, used: set[str]) -> str:
    name = _BAD_SHEET_CHARS.sub("", xml_text(title))[:31] or "表"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _column_widths(t: LTable, total: float | None = None) -> list[float]:
    """Each column as wide as its content (a wrapping one up to `_WRAP_AT`),
    never narrower than a code or an amount in it; within `total` when
    given, by narrowing the columns that wrap."""
    low, high = t.measure()
    lo = [x + _COLUMN_PAD for x in low]
    hi = [max(x, min(y, _WRAP_AT)) + _COLUMN_PAD for x, y in zip(low, high)]
    return _squeeze(lo, hi, total)


def _squeeze(lo: list[float], hi: list[float], total: float | None) -> list[float]:
    """`hi`, narrowed towards `lo` in proportion to what each column can give
    when it does not fit in `total`."""
    if total is None or sum(hi) <= total or sum(lo) >= total:
        return hi if total is None or sum(lo) < total else lo
    give = [h - l for h, l in zip(hi, lo)]
    spare = total - sum(lo)
    return [l + spare * g / sum(give) for l, g in zip(lo, give)]


def _print_setup(ws, landscape: bool, title_rows: str | None = None) -> None:
    """A4, one page wide and as many long as it takes, the header rows on
    every page, page numbers in the footer."""
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "landscape" if landscape else "portrait"
    ps.fitToWidth, ps.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = _MARGINS
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P / &N"
    if title_rows:
        ws.print_title_rows = title_rows


def _table_sheet(wb, run: list, used: set[str], styles: _Styles) -> None:
    """The form's tables: a title paragraph, the table, its notes — one sheet each."""
    table = next(x for x in run if isinstance(x, LTable))
    ws = wb.create_sheet(_sheet_name(run[0].text, used))
    widths = _column_widths(table)
    r, title_rows = 1, None
    for item in run:
        if isinstance(item, LTable):
            top = r
            r = _write_table(ws, item, r, styles, widths)
            first_body = top + sum(1 for row in item.rows if row.role in ("info", "header", "lanci"))
            ws.freeze_panes = ws.cell(row=first_body, column=1)
            title_rows = f"{top}:{first_body - 1}" if first_body > top else None
        else:
            _paragraph(ws, item, r, widths)
            r += 1
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _print_setup(ws, table.wide or sum(widths) > _PORTRAIT * 1.1, title_rows)


def _text_widths(run: list) -> list[float]:
    """The columns of a sheet of text with tables in it, shared by all its
    tables: each as wide as the table that needs it most (`_TEXT_WIDTH`
    where only text runs), within a landscape page's width when a table
    is wider than a portrait page — the columns that wrap narrowed first."""
    tables = [t for t in run if isinstance(t, LTable)]
    n = max([_TEXT_COLUMNS, *(t.width for t in tables)])
    total = _LANDSCAPE_FROM if any(sum(_column_widths(t)) > _PORTRAIT for t in tables) else _PORTRAIT
    lo, hi = [0.0] * n, [0.0] * n
    for t in tables:
        low, _ = t.measure()
        for col, (x, w) in enumerate(zip(low, _column_widths(t, total))):
            lo[col], hi[col] = max(lo[col], x + _COLUMN_PAD), max(hi[col], w)
    hi = [w or _TEXT_WIDTH for w in hi]
    return _squeeze(lo, hi, total)


def _text_sheet(wb, name: str, run: list, used: set[str], styles: _Styles) -> None:
    """Text with its tables in place (a 决算's cover and 概况, the
    explanation with its units, projects, procurement and assets)."""
    ws = wb.create_sheet(_sheet_name(name, used))
    widths = _text_widths(run)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _print_setup(ws, landscape=sum(widths) > _PORTRAIT * 1.1)
    r = 1
    for k, item in enumerate(run):
        if isinstance(item, LParagraph):
            # a caption centred over its tables (a project's head and indicators), not the widest on the sheet
            tables = []
            for x in run[k + 1:]:
                if not isinstance(x, LTable):
                    break
                tables.append(x.width)
            over = max(tables) if item.style == "caption" and tables else len(widths)
            _paragraph(ws, item, r, widths[:over])
            r += 1
        else:
            r = _write_table(ws, item, r, styles, widths) + 1  # a blank row keeps adjacent tables apart


def write_xlsx(lay: Layout) -> bytes:
    """Each of the form's tables on a sheet of its own; the text around them
    (the cover and 概况 before, the explanation after) with its tables in
    place on sheets named by the form."""
    pf = printed_form(lay.disclosure.kind)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    styles = _Styles()
    items = lay.items
    text: list = []
    tables_seen = False

    def flush() -> None:
        if text:
            _text_sheet(wb, pf.workbook_text if tables_seen else pf.workbook_lead, text, used, styles)
            text.clear()

    i = 0
    while i < len(items):
        end = table_run(items, i)
        if end > i:
            flush()
            _table_sheet(wb, items[i:end], used, styles)
            tables_seen, i = True, end
            continue
        text.append(items[i])
        i += 1
    flush()
    if not wb.sheetnames:
        wb.create_sheet(_sheet_name(pf.workbook_text, used))
    wb.properties.title = xml_text(lay.title)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
