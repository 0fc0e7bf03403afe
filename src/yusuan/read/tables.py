"""A grid table block + its definition → a model `Table`.

The header rows are read into a path per grid column (top level first); each
column gets its semantic key by matching that path against the definition,
in column order. Body cells are then read by column key, never by position.
"""

from __future__ import annotations

import re

from ..definitions import ColumnDef, TableDef, levels, squash
from ..model import Column, Row, Source, Table, TableHeader
from .blocks import Cell, TableBlock
from .grid import place_header, place_row_right
from .numbers import NotANumber, looks_numeric, parse_amount

_INFO = re.compile(r"单位[：:]|预算年度|截止(时间|日期)|^\d{3,}\D")
_YEAR = re.compile(r"(?:预算|决算)?年度[：:]\s*(\d{4})")
_UNIT = re.compile(r"单位[：:]\s*(\S+)")
_AS_OF = re.compile(r"截止(?:时间|日期)[：:]\s*(\S+)")
_TOTAL_WORDS = re.compile(r"^(合计|总计|小计|资产总额)|小计$")
_MAX_HEADER_ROWS = 4


def parse_info(cells: list[str]) -> TableHeader:
    info = TableHeader(printed=[c for c in cells if c])
    for c in cells:
        if m := _YEAR.search(c):
            info.year = m.group(1)
        elif m := _AS_OF.search(c):
            info.as_of = m.group(1)
        elif m := _UNIT.search(c):
            info.unit = m.group(1)
        elif c and info.department is None:
            info.department = c
    return info


def is_info_row(cells: list[Cell]) -> bool:
    return any(_INFO.search(c.text) for c in cells if c.text) and not any(
        squash(c.text) in ("序号", "栏次") for c in cells
    )


def _is_lanci(cells: list[Cell]) -> bool:
    return bool(cells) and squash(cells[0].text) == "栏次"


def _header_length(rows: list[list[Cell]]) -> int:
    """Header rows end at the 栏次 row, or before the first row that looks
    like data (a number, or a total's label)."""
    for i, cells in enumerate(rows[: _MAX_HEADER_ROWS + 1]):
        if _is_lanci(cells):
            return i + 1
        first = squash(cells[0].text) if cells else ""
        if i > 0 and (_TOTAL_WORDS.search(first) or any(looks_numeric(c.text) for c in cells)):
            return i
    return min(len(rows), 2)


def interpret_table(block: TableBlock, tdef: TableDef, title: str, fmt: str) -> Table:
    rows = [r.cells for r in block.rows]
    info = TableHeader()
    start = 0
    if rows and is_info_row(rows[0]):
        info = parse_info([c.text for c in rows[0]])
        start = 1
    body_rows = rows[start:]
    nh = _header_length(body_rows)
    positioned = all(c.col is not None for r in body_rows for c in r)
    width = block.width or max((len(r) for r in body_rows), default=0)
    header = body_rows[:nh]
    if positioned:
        placed_header = header
    else:
        placed_header = place_header(header, width, tdef)
    lanci_row = placed_header[-1] if placed_header and _is_lanci(placed_header[-1]) else None
    label_rows = placed_header[:-1] if lanci_row is not None else placed_header

    paths: list[list[str]] = [[] for _ in range(width)]
    for cells in label_rows:
        for c in cells:
            if not c.text:
                continue
            for col in range(c.col or 0, min(width, (c.col or 0) + c.span)):
                if not paths[col] or paths[col][-1] != c.text:
                    paths[col].append(c.text)
    numbers: dict[int, int] = {}
    if lanci_row is not None:
        for c in lanci_row:
            if c.text.isdigit():
                numbers[c.col or 0] = int(c.text)

    problems: list[str] = []
    col_defs = _match_columns(paths, tdef, problems)
    columns = [
        Column(
            key=d.key if d else f"col{i + 1}",
            kind=d.kind if d else "text",
            label=paths[i][-1] if paths[i] else "",
            header=paths[i],
            number=numbers.get(i),
            side=d.side if d else None,
        )
        for i, d in enumerate(col_defs)
    ]

    out_rows: list[Row] = []
    level_of = levels(tdef.classification)
    row_offset = start + nh
    for r_index, cells in enumerate(body_rows[nh:]):
        if not any(c.text for c in cells):
            continue
        placed = cells if positioned else place_row_right(cells, width)
        by_col = {c.col or 0: c.text for c in placed}
        src_row = block.rows[row_offset + r_index]
        source = Source(format=fmt, block=block.index, row=row_offset + r_index, line=src_row.line, page=src_row.page)
        out_rows.extend(_body_rows(by_col, columns, tdef, level_of, source, problems))

    return Table(
        id=tdef.id,
        title=title,
        header=info,
        columns=columns,
        rows=out_rows,
        problems=problems,
        source=Source(format=fmt, block=block.index, line=block.line, page=block.page),
    )


def _match_columns(paths: list[list[str]], tdef: TableDef, problems: list[str]) -> list[ColumnDef | None]:
    """Each grid column's definition, matched in order: leaf header against
    `header`, the headers above it against `group`."""
    out: list[ColumnDef | None] = []
    used: set[str] = set()
    p = 0
    defs = tdef.columns

    def fits(d: ColumnDef, path: list[str]) -> bool:
        if d.key in used or not d.header.search(squash(path[-1])):
            return False
        return d.group is None or any(d.group.search(squash(g)) for g in path[:-1])

    for i, path in enumerate(paths):
        if not path:
            out.append(None)
            problems.append(f"column {i + 1} has no header")
            continue
        hit = next((q for q in range(p, len(defs)) if fits(defs[q], path)), None)
        if hit is None:
            hit = next((q for q in range(len(defs)) if fits(defs[q], path)), None)
        if hit is None:
            out.append(None)
            problems.append(f"column {i + 1} ({'/'.join(path)}) is not in the definition of {tdef.id}")
            continue
        used.add(defs[hit].key)
        out.append(defs[hit])
        p = hit + 1
    return out


def _body_rows(
    by_col: dict[int, str],
    columns: list[Column],
    tdef: TableDef,
    level_of: dict[int, str],
    source: Source,
    problems: list[str],
) -> list[Row]:
    seq = next((by_col.get(i) for i, c in enumerate(columns) if c.kind == "seq"), None) or None
    rows = []
    for side in tdef.sides or (None,):
        cols = [(i, c) for i, c in enumerate(columns) if side is None or c.side in (side, None)]
        name = code = None
        amounts: dict = {}
        texts: dict = {}
        for i, c in cols:
            text = by_col.get(i, "")
            if c.kind == "name":
                name = text
            elif c.kind == "code":
                code = text or None
            elif c.kind in ("amount", "number"):
                try:
                    amounts[c.key] = parse_amount(text)
                except NotANumber:
                    amounts[c.key] = None
                    problems.append(f"row {source.row} column {c.label}: not a number: {text!r}")
            elif c.kind == "text" and text:
                texts[c.key] = text
        if not name:
            # A total's label sits in whichever label cell the merge started in.
            if texts:
                name = texts.pop(next(iter(texts)))
            elif seq and not seq.isdigit():
                name, seq = seq, None
            else:
                name = ""
        if not name and not code and all(v is None for v in amounts.values()):
            continue
        level = level_of.get(len(code)) if code and code.isdigit() else None
        rows.append(
            Row(seq=seq, code=code, name=name, level=level, side=side, amounts=amounts, texts=texts, source=source)
        )
    return rows
