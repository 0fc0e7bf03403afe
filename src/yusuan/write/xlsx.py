"""Layout → XLSX: one sheet per table of the form (title, info line, merged
header, amounts as numbers with two decimals, frozen header); the text
before and after them (a 决算's cover and 概况, the explanation) with its
tables in place on sheets of their own.

Table cells have borders and nothing else does; yusuan's XLSX reader uses
exactly that to tell tables from paragraphs.
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

from .form import printed_form
from .layout import Layout, LParagraph, LTable

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Style objects made once: openpyxl hashes each assigned style, and building
# a fresh Font per cell doubled the time of a workbook.
_CELL_FONT = Font(name=_FONT, size=9)
_HEAD_FONT = Font(name=_FONT, size=9, bold=True)
_ALIGN = {
    (numeric, header): Alignment(horizontal="right" if numeric else ("center" if header else "left"),
                                 vertical="center", wrap_text=True)
    for numeric in (False, True) for header in (False, True)
}
_TEXT_COLUMNS = 8  # paragraphs on the explanation sheet are merged across these


def _number(text: str) -> Decimal | str:
    try:
        return Decimal(text.replace(",", ""))
    except ArithmeticError:
        return text


def _number_format(text: str) -> str:
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return "0." + "0" * decimals if decimals else "0"


class _Styles:
    """openpyxl files every style assigned to a cell in the workbook's style
    lists, hashing it each time; a table cell has one of a handful of looks,
    so each look is filed once and its style ids copied to the other cells."""

    def __init__(self) -> None:
        self._ids: dict[tuple, object] = {}

    def apply(self, cell, header: bool, numeric: bool, bordered: bool, number_format: str | None) -> None:
        key = (header, numeric, bordered, number_format)
        ids = self._ids.get(key)
        if ids is not None:
            cell._style = copy(ids)
            return
        cell.font = _HEAD_FONT if header else _CELL_FONT
        cell.alignment = _ALIGN[(numeric, header)]
        if bordered:
            cell.border = BORDER
        if number_format:
            cell.number_format = number_format
        self._ids[key] = copy(cell._style)


def _write_table(ws, t: LTable, top: int, styles: _Styles) -> int:
    """Write `t` with its first row at `top`; return the next free row."""
    r = top
    for row in t.rows:
        col = 1
        header = row.role in ("header", "lanci")
        bordered = row.role != "info"
        for c in row.cells:
            cell = ws.cell(row=r, column=col)
            fmt = None
            if not c.merged:
                if c.numeric and c.text:
                    value = _number(c.text)
                    cell.value = value  # openpyxl writes a Decimal as the number it prints
                    fmt = _number_format(c.text)
                elif c.text:
                    cell.value = c.text
            styles.apply(cell, header, c.numeric, bordered, fmt)
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


def _paragraph(ws, p: LParagraph, row: int, width: int) -> None:
    cell = ws.cell(row=row, column=1, value=p.text)
    big = p.style in ("cover", "contents_title", "table_title", "part", "title")
    cell.font = Font(name=_FONT, size=14 if big else 11, bold=p.style not in ("body", "note", "info", "contents"))
    cell.alignment = Alignment(horizontal="center" if big or p.style == "caption" else "right" if p.style == "info" else "left",
                               vertical="center",
                               wrap_text=True)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    if len(p.text) > 60:
        ws.row_dimensions[row].height = 15 * (len(p.text) // (width * 9) + 1)


def _sheet_name(title: str, used: set[str]) -> str:
    name = _BAD_SHEET_CHARS.sub("", title)[:31] or "表"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _table_run(items, i: int) -> int:
    """The end of a table printed on a sheet of its own starting at `i` (its
    title, info line, grid and notes), or `i` when none starts there."""
    if not (isinstance(items[i], LParagraph) and items[i].style == "table_title"):
        return i
    j = i + 1
    while j < len(items) and isinstance(items[j], LParagraph) and items[j].style == "info":
        j += 1
    if j >= len(items) or not isinstance(items[j], LTable):
        return i
    j += 1
    while j < len(items) and isinstance(items[j], LParagraph) and items[j].style == "note":
        j += 1
    return j


def _table_sheet(wb, run: list, used: set[str], styles: _Styles) -> None:
    """The form's tables: a title paragraph, the table, its notes — one sheet each."""
    table = next(x for x in run if isinstance(x, LTable))
    ws = wb.create_sheet(_sheet_name(run[0].text, used))
    r = 1
    for item in run:
        if isinstance(item, LTable):
            top = r
            r = _write_table(ws, item, r, styles)
            first_body = top + sum(1 for row in item.rows if row.role in ("info", "header", "lanci"))
            ws.freeze_panes = ws.cell(row=first_body, column=1)
        else:
            _paragraph(ws, item, r, table.width)
            r += 1
    for col in range(1, table.width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.column_dimensions["B" if table.width > 2 else "A"].width = 30


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
    text_sheet, r, tables_seen = None, 1, False
    i = 0
    while i < len(items):
        end = _table_run(items, i)
        if end > i:
            _table_sheet(wb, items[i:end], used, styles)
            text_sheet, tables_seen, i = None, True, end
            continue
        item = items[i]
        i += 1
        if text_sheet is None:
            text_sheet = wb.create_sheet(_sheet_name(pf.workbook_text if tables_seen else pf.workbook_lead, used))
            for col in range(1, _TEXT_COLUMNS + 1):
                text_sheet.column_dimensions[get_column_letter(col)].width = 14
            r = 1
        if isinstance(item, LParagraph):
            _paragraph(text_sheet, item, r, _TEXT_COLUMNS)
            r += 1
        else:
            r = _write_table(text_sheet, item, r, styles) + 1  # a blank row keeps adjacent tables apart
    if not wb.sheetnames:
        wb.create_sheet(_sheet_name(pf.workbook_text, used))
    wb.properties.title = lay.title
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
