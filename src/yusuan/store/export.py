"""The tidy cell list of every document in the database, as one CSV: the
same columns as `yusuan export cells` for one file, then the amount in
元 and the file it came from, so the lists of many departments and years
are one table for pandas, DuckDB or Excel.

    department,year,kind,unit,table,code,item,column,value,value_yuan,file
    晋州市医疗保障局,2026,budget,万元,income,21015,医疗保障管理事务,合计,638.20,6382000.00,jinzhou-2026.txt
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from ..export.cells import HEADER, inert
from . import schema
from .db import DEFAULT_URL, engine_for
from .rows import YUAN_PER

EXPORT_HEADER = (*HEADER, "value_yuan", "file")
FORMATS = ("csv",)


def _yuan(value: str, unit: str | None) -> str:
    # from the amount as printed, not the Numeric column: SQLite hands that
    # back as a binary float, and the file must carry the exact figure
    per = YUAN_PER.get(unit or "")
    return "" if per is None else str(Decimal(value) * per)


def export_cells(url: str = DEFAULT_URL, fmt: str = "csv", out: Path | str = Path("cells.csv"),
                 year: int | None = None, kind: str | None = None, department: str | None = None) -> int:
    """Write the cells of the stored documents (those of `year`, `kind`,
    `department` when given) to `out`, UTF-8 with a byte order mark so
    Excel reads the Chinese; the number of cells written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    d, c = schema.documents, schema.cells
    query = (select(d.c.department, d.c.year, d.c.kind, c.c.unit, c.c.table_id, c.c.code, c.c.item,
                    c.c.column_label, c.c.value, d.c.file_name)
             .join(d, d.c.id == c.c.document_id).order_by(d.c.id, c.c.id))
    if year is not None:
        query = query.where(d.c.year == year)
    if kind is not None:
        query = query.where(d.c.kind == kind)
    if department is not None:
        query = query.where(d.c.department == department)
    engine = engine_for(url)
    written = 0
    try:
        with engine.connect() as connection, open(out, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(EXPORT_HEADER)
            # streamed in batches: a database of thousands of documents is
            # never held in memory at once
            result = connection.execution_options(stream_results=True, yield_per=5000).execute(query)
            for dept, yr, knd, unit, table, code, item, column, value, file_name in result:
                w.writerow((inert(dept or ""), "" if yr is None else yr, inert(knd or ""), inert(unit or ""),
                            inert(table), inert(code or ""), inert(item or ""), inert(column or ""),
                            value, _yuan(value, unit), inert(file_name)))
                written += 1
    finally:
        engine.dispose()
    return written
