"""One table of a stored document as printed, with one cell marked.

The grid is the writers' own layout (merged headers, 栏次, indents; the
三公 table printed across, 基本支出 in panes) as write/html.py prepares it,
so the page shows what the HTML, DOCX and XLSX files show. The layout
keeps no row or column ids, so the cell is found by printing a copy of the
table with a sentinel value in each of the row's cells and looking for
them in the grid; the real values go back before anything is shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..definitions import table_defs
from ..model import Disclosure, Table
from ..write.form import printed_form
from ..write.html import _table as html_table
from ..write.layout import LCell, amount_text, table_layout


@dataclass
class TableView:
    table_id: str
    title: str
    unit: str
    grid: dict  # write.html's shape: head rows, body rows of (cell, classes)
    highlighted: bool  # the requested cell was found


def table_title(d: Disclosure, t: Table) -> str:
    if t.title:
        return t.title
    tf = printed_form(d.kind).tables.get(t.id)
    if tf is not None and tf.title:
        return tf.title
    td = table_defs().get(t.id)
    return td.name if td is not None else t.id


def _marked(t: Table, position: int) -> tuple[Table, dict[str, tuple[str, str]]]:
    """A copy of `t` whose row `position` has a sentinel in every amount and
    text column: sentinel text → (column key, the text it stands for)."""
    copy = t.model_copy(deep=True)
    row = copy.rows[position]
    marks: dict[str, tuple[str, str]] = {}
    for n, c in enumerate(copy.columns):
        if c.kind in ("amount", "number"):
            # an amount no document prints: 24 digits after the point
            sentinel = Decimal(f"-9{n:04d}.{'7' * 24}")
            marks[amount_text(sentinel)] = (c.key, amount_text(row.amounts.get(c.key)))
            row.amounts[c.key] = sentinel
        elif c.kind == "text":
            sentinel = f"\u2063hl{n}\u2063"
            marks[sentinel] = (c.key, row.texts.get(c.key, ""))
            row.texts[c.key] = sentinel
    return copy, marks


def view(d: Disclosure, table_id: str, row: int | None = None, column: str | None = None) -> TableView | None:
    """The table `table_id` of `d` as printed, the cell at (`row`, `column`)
    marked `highlight` and its printed line `highlight-row`; None when the
    document has no such table."""
    t = next((x for x in d.all_tables() if x.id == table_id), None)
    if t is None:
        return None
    pf = printed_form(d.kind)
    tf = pf.tables.get(t.id) if t.id in d.tables else None
    marks: dict[str, tuple[str, str]] = {}
    printed = t
    if row is not None and 0 <= row < len(t.rows):
        printed, marks = _marked(t, row)
    lt = table_layout(printed, tf, pf.info == "row" and t.id in d.tables, d.unit_of(t))
    target: LCell | None = None
    in_row: set[int] = set()
    for r in lt.rows:
        for c in r.cells:
            if c.text in marks:
                key, text = marks[c.text]
                c.text = text
                in_row.add(id(c))
                if key == column and target is None:
                    target = c
    grid = html_table(lt)
    for body_row in grid["body"]:
        if any(id(c) in in_row for c, _ in body_row["cells"]):
            body_row["highlight"] = True
        body_row["cells"] = [(c, classes, c is target) for c, classes in body_row["cells"]]
    return TableView(t.id, table_title(d, t), d.unit_of(t), grid, target is not None)
