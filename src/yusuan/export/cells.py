"""The tidy cell list: one line per non-empty numeric cell, the shape an
analyst loads into pandas, DuckDB or Excel. Each line says whose document
it is from and in what unit, so that the lists of many departments and
years can be stacked into one.

    department,year,kind,unit,table,code,item,column,value
    晋州市医疗保障局,2026,budget,万元,income,210,卫生健康支出,合计,7272.94

`to_csv_bytes` gives the file as Excel opens it correctly: UTF-8 with a byte
order mark (without one, Excel reads the Chinese as the system's code page);
pandas and Python's csv module with encoding="utf-8-sig" read it unchanged.

A text field that begins with "=", "+", "-", "@", a tab or a carriage
return is written with a single quote before it (`'=HYPERLINK(…)`), as the
OWASP guidance on CSV injection advises: a spreadsheet opening the file
would otherwise run it as a formula. The quote is the only change, so a
reader wanting the name as printed strips one leading quote from such a
field. `value` is never quoted: it is always a number, and a negative
amount (-3.00) must stay one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from ..definitions import squash
from ..model import Disclosure, Table

HEADER = ("department", "year", "kind", "unit", "table", "code", "item", "column", "value")
BOM = "\ufeff"

# Project amounts are printed as label cells in a form, not as a grid.
PROJECT_COLUMNS = (("budget", "预算数"), ("fiscal", "其中：财政资金"), ("other", "其他资金"))

# (unit, table, code, item, column, value)
Cell = tuple[str, str, str, str, str, Decimal]


class PlacedCell(NamedTuple):
    """A cell with where it sits: the row's position in its table (0 for
    the first row read) and the column's key as well as its label, which
    is what the database keeps so a row or a column can be found again."""

    unit: str
    table: str
    row: int
    code: str
    item: str
    column_key: str
    column: str
    value: Decimal

    def plain(self) -> Cell:
        return self.unit, self.table, self.code, self.item, self.column, self.value


def _table_cells(table: Table, unit: str) -> Iterator[PlacedCell]:
    columns = {c.key: c for c in table.columns}
    for position, row in enumerate(table.rows):
        for key, value in row.amounts.items():
            if value is not None:
                c = columns.get(key)
                # a count or an area (资产: 数量) is in no money unit
                cell_unit = "" if c is not None and c.kind == "number" else unit
                yield PlacedCell(cell_unit, table.id, position, row.code or "", row.name, key,
                                 squash(c.label) if c is not None else key, value)


def iter_placed_cells(d: Disclosure) -> Iterator[PlacedCell]:
    for table in d.tables.values():
        yield from _table_cells(table, d.unit_of(table))
    for position, p in enumerate(d.projects):
        for key, label in PROJECT_COLUMNS:
            value = getattr(p, key)
            if value is not None:
                yield PlacedCell(p.unit or d.unit or "万元", "projects", position, p.code or "", p.name, key, label,
                                 value)
    for table in (d.procurement, d.assets):
        if table is not None:
            yield from _table_cells(table, d.unit_of(table))


def iter_cells(d: Disclosure) -> Iterator[Cell]:
    for cell in iter_placed_cells(d):
        yield cell.plain()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """A text field a spreadsheet will not take for a formula. A carriage
    return becomes a newline: the csv module quotes a field holding a
    newline but not one holding a bare CR, which readers take for the
    end of the line."""
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def to_csv(*docs: Disclosure) -> str:
    """The cell lists of one or more documents under one header, as text
    (no byte order mark: for standard output)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for d in docs:
        whose = (inert(d.department.name), "" if d.year is None else str(d.year), inert(d.kind))
        for unit, table, code, item, column, value in iter_cells(d):
            w.writerow((*whose, inert(unit), inert(table), inert(code), inert(item), inert(column), str(value)))
    return buf.getvalue()


def to_csv_bytes(*docs: Disclosure, bom: bool = True) -> bytes:
    """The cell lists as a file's bytes: UTF-8, with a byte order mark unless
    `bom` is False."""
    return ((BOM if bom else "") + to_csv(*docs)).encode("utf-8")
