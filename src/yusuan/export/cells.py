"""The tidy cell list: one line per non-empty numeric cell, the shape an
analyst loads into pandas, DuckDB or Excel.

    table,code,item,column,value
    income,210,卫生健康支出,合计,7272.94
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from ..definitions import squash
from ..model import Disclosure, Table

HEADER = ("table", "code", "item", "column", "value")

# Project amounts are printed as label cells in a form, not as a grid.
PROJECT_COLUMNS = (("budget", "预算数"), ("fiscal", "其中：财政资金"), ("other", "其他资金"))


def _table_cells(table: Table) -> Iterator[tuple[str, str, str, str, Decimal]]:
    labels = {c.key: squash(c.label) for c in table.columns}
    for row in table.rows:
        for key, value in row.amounts.items():
            if value is not None:
                yield table.id, row.code or "", row.name, labels.get(key, key), value


def iter_cells(d: Disclosure) -> Iterator[tuple[str, str, str, str, Decimal]]:
    for table in d.tables.values():
        yield from _table_cells(table)
    for p in d.projects:
        for key, label in PROJECT_COLUMNS:
            value = getattr(p, key)
            if value is not None:
                yield "projects", p.code or "", p.name, label, value
    for table in (d.procurement, d.assets):
        if table is not None:
            yield from _table_cells(table)


def to_csv(d: Disclosure) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for t, code, item, column, value in iter_cells(d):
        w.writerow((t, code, item, column, str(value)))
    return buf.getvalue()
