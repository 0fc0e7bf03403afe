"""The tidy cell list of every document in the database, as one file: the
same columns as `yusuan export cells` for one file, then the amount in
元 and the file it came from, so the lists of many departments and years
are one table for pandas, DuckDB or Excel.

    department,year,kind,unit,table,code,item,column,value,value_yuan,file
    晋州市医疗保障局,2026,budget,万元,income,21015,医疗保障管理事务,合计,638.20,6382000.00,jinzhou-2026.txt

Formats: `csv` (UTF-8 with a byte order mark), `xlsx` (numbers as
numbers, a new sheet where Excel's row limit would cut), `parquet`
(pyarrow, amounts as exact decimals) and `fdp`, a Fiscal Data Package
(a folder: datapackage.json and cells.csv, see fdp.py). Every format is
written from one stream of the stored cells (`stream_cells`), fetched in
batches, so a database of thousands of documents is never in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select

from ..export.cells import HEADER, inert
from . import schema
from .db import DEFAULT_URL, engine_for
from .rows import YUAN_PER

EXPORT_HEADER = (*HEADER, "value_yuan", "file")
FORMATS = ("csv", "xlsx", "parquet", "fdp")

# csv keeps EXPORT_HEADER as it was (scripts read it by position); the
# other formats are new and carry the column's key beside its label
WIDE_HEADER = (*HEADER[:8], "column_key", *EXPORT_HEADER[8:])


class MissingExtra(ImportError):
    """A format needs a package that is an optional extra of yusuan."""


class StoredCell(NamedTuple):
    department: str
    scope: str
    year: int | None
    kind: str
    unit: str
    table: str
    code: str
    item: str
    column: str
    column_key: str  # "" in a database of the first schema's cells, which had none
    value: str  # as printed
    value_yuan: Decimal | None  # None: not money (a count, an area)
    file: str

    def wide(self) -> tuple:
        """The fields of WIDE_HEADER, in its order."""
        return (self.department, self.year, self.kind, self.unit, self.table, self.code, self.item, self.column,
                self.column_key, self.value, self.value_yuan, self.file)


def _yuan(value: str, unit: str | None) -> Decimal | None:
    # from the amount as printed, not the Numeric column: SQLite hands that
    # back as a binary float, and the file must carry the exact figure
    per = YUAN_PER.get(unit or "")
    return None if per is None else Decimal(value) * per


def stream_cells(url: str = DEFAULT_URL, year: int | None = None, kind: str | None = None,
                 department: str | None = None, batch: int = 5000) -> Iterator[StoredCell]:
    """The stored cells (of the documents of `year`, `kind`, `department`
    when given) in the order they were stored, document by document."""
    d, c = schema.documents, schema.cells
    query = (select(d.c.department, d.c.scope, d.c.year, d.c.kind, c.c.unit, c.c.table_id, c.c.code, c.c.item,
                    c.c.column_label, c.c.column_key, c.c.value, d.c.file_name)
             .join(d, d.c.id == c.c.document_id).order_by(d.c.id, c.c.id))
    if year is not None:
        query = query.where(d.c.year == year)
    if kind is not None:
        query = query.where(d.c.kind == kind)
    if department is not None:
        query = query.where(d.c.department == department)
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=batch).execute(query)
            for dept, scope, yr, knd, unit, table, code, item, column, column_key, value, file_name in result:
                yield StoredCell(dept or "", scope or "", yr, knd or "", unit or "", table, code or "", item or "",
                                 column or "", column_key or "", value, _yuan(value, unit), file_name)
    finally:
        engine.dispose()


def _write_csv(cells: Iterator[StoredCell], out: Path) -> int:
    written = 0
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(EXPORT_HEADER)
        for cell in cells:
            w.writerow((inert(cell.department), "" if cell.year is None else cell.year, inert(cell.kind),
                        inert(cell.unit), inert(cell.table), inert(cell.code), inert(cell.item), inert(cell.column),
                        cell.value, "" if cell.value_yuan is None else str(cell.value_yuan), inert(cell.file)))
            written += 1
    return written


def export_cells(url: str = DEFAULT_URL, fmt: str = "csv", out: Path | str = Path("cells.csv"),
                 year: int | None = None, kind: str | None = None, department: str | None = None,
                 force: bool = False) -> int:
    """Write the cells of the stored documents (those of `year`, `kind`,
    `department` when given) to `out` in `fmt`; the number of cells
    written. csv, xlsx and parquet replace a file at `out`; fdp makes `out`
    a folder and refuses one that holds anything unless `force`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "fdp":
        from .fdp import prepare_folder, write_fdp
        # refused before the database is opened: a wrong folder costs nothing
        prepare_folder(out, force)
        writer = write_fdp
    elif fmt == "parquet":
        from .formats import require_pyarrow, write_parquet
        require_pyarrow()
        writer = write_parquet
    elif fmt == "xlsx":
        from .formats import write_xlsx
        writer = write_xlsx
    else:
        writer = _write_csv
    # closed even when a writer fails half-way, so the connection is let go at once
    with closing(stream_cells(url, year, kind, department)) as cells:
        return writer(cells, out)
