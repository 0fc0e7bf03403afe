"""The stored cells as an Excel workbook or a Parquet file, each written
as the cells stream in (export.stream_cells), never held whole.

Excel: the columns of the CSV export (with `column_key` after `column`
when the database keeps it), `value` and `value_yuan` as numbers, the
header row frozen. Excel holds a number as a binary double and shows 15
significant digits; every amount a disclosure prints is far shorter, so
the figure read back is the printed one. A sheet holds at most 1,048,576
rows: the cells go on on `cells-2`, `cells-3` … rather than being cut.

Parquet: `value` as printed (text) and as a decimal, `value_yuan` as
decimal128(24, 4) (the database's own precision), `year` an integer;
pandas reads the decimals as decimal.Decimal, exact.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

from .export import WIDE_HEADER, MissingExtra, StoredCell

# rows per sheet, the header included: Excel's own limit
XLSX_MAX_ROWS = 1_048_576
SHEET = "cells"

# in Excel's character widths; a Chinese character takes about two
_WIDTHS = {"department": 30, "year": 7, "kind": 15, "unit": 7, "table": 22, "code": 11, "item": 40, "column": 26,
           "column_key": 18, "value": 16, "value_yuan": 20, "file": 28}
_AMOUNTS = {"value", "value_yuan"}


@cache
def _number_format(places: int) -> str:
    # cents for the usual 万元 figure; as many places as the amount has when
    # it has more, so none is hidden by rounding on screen
    return "#,##0.00" if places <= 2 else "#,##0.0000" if places <= 4 else "#,##0." + "0" * places


def write_xlsx(cells: Iterator[StoredCell], out: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    amount_at = {i for i, name in enumerate(WIDE_HEADER) if name in _AMOUNTS}

    def new_sheet(number: int):
        ws = wb.create_sheet(SHEET if number == 1 else f"{SHEET}-{number}")
        # widths and the frozen pane go before the first row: a write-only
        # sheet writes its column settings ahead of the rows
        for i, name in enumerate(WIDE_HEADER, 1):
            ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 16)
        ws.freeze_panes = "A2"
        ws.append(WIDE_HEADER)
        return ws

    def cell_of(ws, i: int, value):
        if value is None or value == "":
            return None
        if i in amount_at:
            number = Decimal(value)
            c = WriteOnlyCell(ws, number)
            c.number_format = _number_format(max(0, -number.as_tuple().exponent))
            return c
        if not isinstance(value, str):
            return value
        # control characters from a PDF's text layer make openpyxl refuse
        # the sheet; they carry nothing a reader could see
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if text.startswith("="):
            # openpyxl takes such text for a formula; an item name is never one
            c = WriteOnlyCell(ws, text)
            c.data_type = "s"
            return c
        return text

    sheets = 1
    ws = new_sheet(sheets)
    rows_here = 1
    written = 0
    for cell in cells:
        if rows_here == XLSX_MAX_ROWS:
            sheets += 1
            ws = new_sheet(sheets)
            rows_here = 1
        ws.append([cell_of(ws, i, v) for i, v in enumerate(cell.wide())])
        rows_here += 1
        written += 1
    wb.save(out)
    return written


PARQUET_BATCH = 10_000


def require_pyarrow() -> None:
    try:
        importlib.import_module("pyarrow.parquet")
    except ImportError as e:
        raise MissingExtra("the parquet format needs pyarrow: pip install 'yusuan[parquet]'") from e


def parquet_schema():
    import pyarrow as pa

    types = {"year": pa.int32(), "value_yuan": pa.decimal128(24, 4)}
    fields = []
    for name in WIDE_HEADER:
        fields.append(pa.field(name, types.get(name, pa.string())))
        if name == "value":
            # 万元 printed to 6 places is the finest a disclosure prints
            fields.append(pa.field("value_decimal", pa.decimal128(24, 6)))
    return pa.schema(fields)


def write_parquet(cells: Iterator[StoredCell], out: Path) -> int:
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    names = schema.names
    value_at = WIDE_HEADER.index("value")
    written = 0
    with pq.ParquetWriter(out, schema) as writer:
        columns: dict[str, list] = {n: [] for n in names}

        def flush():
            writer.write_batch(pa.RecordBatch.from_pydict(columns, schema=schema))
            for v in columns.values():
                v.clear()

        for cell in cells:
            row = cell.wide()
            for name, v in zip(WIDE_HEADER, row):
                # the text columns keep "" as it is in the csv; only a
                # missing year or a non-money cell's yuan is null
                columns[name].append(v)
            columns["value_decimal"].append(Decimal(row[value_at]))
            written += 1
            if len(columns["value"]) == PARQUET_BATCH:
                flush()
        if columns["value"]:
            flush()
    return written
