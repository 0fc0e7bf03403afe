"""A `Disclosure` laid out as the printed document: paragraphs with a role
and tables as grids of cells with their merges, in the official order.

Every writer serialises this one layout, so the formats cannot drift apart;
`to_blocks` turns it into the readers' block stream, which is how the tests
prove that what is written reads back to the same model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..gc_pause import no_gc_pauses
from ..definitions import code_parts, squash, table_defs
from ..model import Disclosure, Paragraph, Project, Row, Section, Table
from ..numerals import chinese_numeral
from ..read.blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow
from .form import PrintedForm, TableForm, printed_form

Role = Literal["info", "header", "lanci", "body", "total"]
Style = Literal["cover", "contents_title", "contents", "table_title", "part", "title", "heading", "subheading", "body",
                "info", "note", "caption"]
WIDE = 12  # tables with this many columns or more print on a landscape page


@dataclass(slots=True)
class LCell:
    text: str = ""
    span: int = 1  # grid columns covered
    rowspan: int = 1  # rows covered, on the first cell of a vertical merge
    merged: bool = False  # a continuation of the vertical merge above (prints nothing)
    numeric: bool = False  # right-aligned; a number in spreadsheets
    kind: str = ""  # the column's kind (code, name, amount…) for a body cell; "" for headers and labels
    indent: int = 0  # hierarchy level of a name cell: 0, 1 for a 款 or 其中 line, 2 for a 项 …


@dataclass(slots=True)
class LRow:
    cells: list[LCell]
    role: Role = "body"


@dataclass(slots=True)
class LTable:
    kind: str  # a standard table id, procurement, assets, institutions, project_head, indicators
    rows: list[LRow]
    width: int
    title: str | None = None
    notes: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)  # relative column widths
    unit: str | None = None  # the amount unit its money columns print in (万元, 元)

    @property
    def wide(self) -> bool:
        """Printed on a landscape page."""
        return self.width >= WIDE

    def measure(self) -> tuple[list[int], list[int]]:
        """Per grid column, in `text_units`: the width below which a cell
        would break where it must not (a code, an amount, a header word) and
        the width that prints every cell on one line."""
        low, high = [1] * self.width, [1] * self.width
        spanning: list[tuple[int, int, int]] = []
        for r in self.rows:
            if r.role == "info":
                continue
            col = 0
            for c in r.cells:
                if c.span == 1 and not c.merged and c.text:
                    units = max(text_units(line) for line in c.text.split("\n")) + 2 * c.indent
                    if r.role in ("header", "lanci"):
                        lo, hi = (units, units) if r.role == "lanci" else (min(units, _HEADER_WORD), min(units, _HEADER_LINE))
                    elif c.numeric or c.kind in _UNBROKEN:
                        lo = hi = units
                    else:
                        lo, hi = min(units, _WRAPPED.get(c.kind, _WRAPPED[""]) + 2 * c.indent), units
                    low[col], high[col] = max(low[col], lo), max(high[col], hi)
                elif c.span > 1 and (c.numeric or c.kind in _UNBROKEN) and c.text:
                    spanning.append((col, c.span, text_units(c.text)))
                col += c.span
        # A code over several columns (a project's 项目编码) needs their sum.
        for col, span, units in spanning:
            for which, have in ((low, sum(low[col:col + span])), (high, sum(high[col:col + span]))):
                short = units - have
                for k in range(span) if short > 0 else ():
                    which[col + k] += -(-short // span)
        return low, high

    def fits(self, total: float, per_unit: float, pad: float) -> bool:
        low, _ = self.measure()
        return sum(x * per_unit + pad for x in low) <= total

    def column_widths(self, total: int, per_unit: float, pad: float) -> list[int]:
        """Column widths summing to `total` (a page's width in any measure):
        every column at least as wide as its content must be, the room left
        given first to the columns whose text would otherwise wrap, then by
        the weights of their kind (names take most)."""
        low, high = self.measure()
        lo = [x * per_unit + pad for x in low]
        hi = [x * per_unit + pad for x in high]
        if sum(hi) <= total:
            w = self.weights if len(self.weights) == self.width else [1.0] * self.width
            spare = total - sum(hi)
            out = [h + spare * x / sum(w) for h, x in zip(hi, w)]
        elif sum(lo) <= total:
            want = [h - l for h, l in zip(hi, lo)]
            spare = total - sum(lo)
            out = [l + spare * x / sum(want) for l, x in zip(lo, want)]
        else:  # too narrow whatever is done: the caller chose the smallest type already
            out = [l * total / sum(lo) for l in lo]
        return [int(x) for x in out]

    @property
    def header_rows(self) -> int:
        """Rows repeated on every page: the header and 栏次 rows."""
        n = 0
        for r in self.rows:
            if r.role in ("header", "lanci"):
                n += 1
            elif r.role != "info":
                break
        return n


@dataclass(slots=True)
class LParagraph:
    text: str
    style: Style = "body"
    new_page: bool = False  # starts a page where the form says so (each 决算 table)


Item = LParagraph | LTable


@dataclass(slots=True)
class Layout:
    disclosure: Disclosure
    items: list[Item]

    @property
    def title(self) -> str:
        d = self.disclosure
        return printed_form(d.kind).title.format(department=d.department.name, year=d.year or "")


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def text_units(text: str) -> int:
    """Printed width in half-width units: a Chinese character (and a
    full-width mark) is two, a digit or Latin letter one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


# Cells that must print on one line: a code or 序号 broken over two lines
# reads as two numbers.
_UNBROKEN = frozenset({"seq", "code", "amount", "number"})
# The narrowest a wrapping cell is allowed to get, in text_units: a name
# keeps six characters a line, other text four.
_WRAPPED = {"name": 12, "": 8}
_HEADER_WORD = 4  # a header breaks between characters, but not to one a line
_HEADER_LINE = 10  # and prints up to four (科目  编码 with its spaces) on one line when there is room


# -- hierarchy ---------------------------------------------------------------
_LEVEL = {"类": 0, "款": 1, "项": 2}
_QIZHONG = re.compile(r"^其中[：:]")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)[、.．]|^[（(][一二三四五六七八九十\d]+[）)]")
_FIRST = re.compile(r"^[一1][、.．]|^[（(][一1][）)]")  # the first of a numbered run


def _is_total(name: str) -> bool:
    s = squash(name)
    return s.startswith(_TOTAL) or s.endswith(("小计", "合计", "总计"))


def _sum_parents(t: Table) -> dict[int, Row]:
    """Rows the form defines as parts of another row (tables.yaml `sums`,
    三公: abroad = abroad_research + abroad_other), by id, with that row —
    unless it is a total: a total's parts are the table itself, not lines
    printed under it."""
    tdef = table_defs().get(t.id)
    if tdef is None or not tdef.sums:
        return {}

    def first(key: str) -> Row | None:
        rd = next((r for r in tdef.rows if r.key == key), None)
        if rd is None:
            return None
        return next((r for r in t.rows if (rd.side is None or r.side == rd.side) and rd.match.search(squash(r.name))), None)

    parents: dict[int, Row] = {}
    for ident in tdef.sums:
        total = first(ident.total)
        if total is None or _is_total(total.name):
            continue
        for part in ident.parts:
            child = first(part)
            if child is not None and child is not total:
                parents[id(child)] = total
    return parents


def row_indents(t: Table) -> list[int]:
    """The printed indentation level of each of a table's rows, as the
    official forms print them: a 款 under its 类 and a 项 under its 款; a
    row the form sums into another under it (三公: 其中：教学科研人员… and
    其他因公出国（境）费 under 一、因公出国（境）费); a 其中 line under the
    line it details, with the plain lines that complete it; a run of lines
    numbered from 一 after the line that introduces them (年初财政拨款结转和
    结余 / 一、一般公共预算拨款 …). Two-sided tables count each side apart."""
    parents = _sum_parents(t)
    out: list[int] = []
    level_of: dict[int, int] = {}  # id(row) → its level
    last: dict[str | None, tuple[Row, int]] = {}  # per side: the line before, with its level
    run: dict[str | None, tuple[str, int]] = {}  # per side: a run of 其中 or numbered lines, and the level it hangs from
    for r in t.rows:
        name, side = squash(r.name), r.side
        prev = last.get(side)
        prev_name = squash(prev[0].name) if prev else ""
        current = run.pop(side, None)
        if r.level in _LEVEL:
            level = _LEVEL[r.level]
        elif id(r) in parents and id(parents[id(r)]) in level_of:
            level = level_of[id(parents[id(r)])] + 1
            if _QIZHONG.match(name):
                run[side] = ("其中", level - 1)
        elif _QIZHONG.match(name) and prev is not None:
            base = current[1] if current and current[0] == "其中" else prev[1]
            level, run[side] = base + 1, ("其中", base)
        elif current and current[0] == "其中" and not r.code and not _NUMBERED.match(name) and not _is_total(name):
            level, run[side] = current[1] + 1, current  # the other part of a 其中 line
        elif current and current[0] == "numbered" and _NUMBERED.match(name):
            level, run[side] = current[1] + 1, current
        elif (_FIRST.match(name) and prev is not None and not prev[0].code and not _NUMBERED.match(prev_name)
              and not _QIZHONG.match(prev_name) and not _is_total(prev_name)):
            level, run[side] = prev[1] + 1, ("numbered", prev[1])
        else:
            level = 0
        level_of[id(r)] = level
        last[side] = (r, level)
        out.append(level)
    return out


# -- tables -----------------------------------------------------------------
def _split(width: int, parts: int) -> list[int]:
    """Spans for `parts` cells across `width` columns, the first ones wider."""
    parts = max(1, min(parts, width))
    base, extra = divmod(width, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def fit_spans(needs: list[float], widths: list[float], spans: list[int]) -> list[int]:
    """Spans for a row of cells needing `needs` over columns of `widths`
    (the info line: 单位 and year beside the department): `spans` when each
    cell fits in its columns, else each cell as few columns as it needs,
    from the left, the last one taking the rest."""
    def fits(sp: list[int]) -> bool:
        col = 0
        for need, span in zip(needs, sp):
            if sum(widths[col:col + span]) < need:
                return False
            col += span
        return True

    if fits(spans) or len(needs) != len(spans):
        return spans
    out, col = [], 0
    for k, need in enumerate(needs):
        after = len(needs) - k - 1  # cells still to place, a column each at least
        if after == 0:
            out.append(len(widths) - col)
            break
        span = 1
        while col + span < len(widths) - after and sum(widths[col:col + span]) < need:
            span += 1
        out.append(span)
        col += span
    return out


def _info_row(printed: list[str], width: int) -> LRow:
    spans = _split(width, len(printed))
    return LRow([LCell(t, span=s) for t, s in zip(printed, spans)], role="info")


def _header_rows(paths: list[list[str]], bottom_leaves: bool = False) -> list[LRow]:
    """The printed header grid of columns with these header paths, merges
    rebuilt: equal group labels side by side merge across, a path shorter
    than the header merges down — its leaf, or with `bottom_leaves` the
    label above the leaf, so that every leaf sits on the bottom row (a
    table printed across: 合计 over 预算数 | 决算数)."""
    depth = max((len(p) for p in paths), default=1)
    padded: list[list[str | None]] = []
    for p in paths:
        p = list(p) or [""]
        stretch = len(p) - (2 if bottom_leaves and len(p) >= 2 else 1)  # the label that merges down
        padded.append([*p[: stretch + 1], *[None] * (depth - len(p)), *p[stretch + 1:]])
    rows: list[LRow] = []
    for level in range(depth):
        cells: list[LCell] = []
        i = 0
        while i < len(padded):
            path = padded[i]
            j = i + 1
            if path[level] is None:  # the cell above goes on down: as wide as it is
                while j < len(padded) and padded[j][: level + 1] == path[: level + 1]:
                    j += 1
                cells.append(LCell(merged=True, span=j - i))
                i = j
                continue
            if level < depth - 1:  # a group label: merge with the same group beside it
                while j < len(padded) and padded[j][: level + 1] == path[: level + 1]:
                    j += 1
            below = 0
            while level + 1 + below < depth and path[level + 1 + below] is None:
                below += 1
            cells.append(LCell(path[level], span=j - i, rowspan=1 + below))
            i = j
        rows.append(LRow(cells, role="header"))
    return rows


def _lanci_row(t: Table) -> LRow | None:
    if not any(c.number is not None for c in t.columns):
        return None
    cells = []
    for c in t.columns:
        if c.kind == "seq":
            cells.append(LCell("栏次"))
        else:
            cells.append(LCell(str(c.number) if c.number is not None else ""))
    return LRow(cells, role="lanci")


def _printed_lines(t: Table) -> list[list[Row]]:
    """Model rows grouped as printed: the two sides of a 收支总表 line are
    two model rows with one 序号 (or none), the left side first."""
    order = {c.side: i for i, c in enumerate(t.columns) if c.side}
    lines: list[list[Row]] = []
    for r in t.rows:
        last = lines[-1] if lines else []
        if (r.side and last and last[0].seq == r.seq
                and all(x.side in order and order[x.side] < order.get(r.side, -1) for x in last)):
            last.append(r)
        else:
            lines.append([r])
    return lines


_TOTAL = ("合计", "总计", "小计", "资产总额")


def _body_row(t: Table, rows: list[Row], indents: dict[int, int]) -> LRow:
    by_side = {r.side: r for r in rows}
    cells = []
    for c in t.columns:
        r = by_side.get(c.side) if c.side else rows[0]
        if r is None:
            cells.append(LCell(numeric=c.kind in ("amount", "number"), kind=c.kind))
            continue
        if c.kind == "seq":
            text = r.seq or ""
        elif c.kind == "code":
            text = r.code or ""
        elif c.kind == "code_part":
            text = code_part(r.code, c.key)
        elif c.kind == "name":
            cells.append(LCell(r.name, kind=c.kind, indent=indents.get(id(r), 0)))
            continue
        elif c.kind in ("amount", "number"):
            cells.append(LCell(amount_text(r.amounts.get(c.key)), numeric=True, kind=c.kind))
            continue
        else:
            text = r.texts.get(c.key, "")
        cells.append(LCell(text, kind=c.kind))
    first = t.columns[0] if t.columns else None
    row = rows[0]
    # A total of a table whose first column is free text (政府采购: 合  计,
    # 某单位小计) prints its label there, as the official form does.
    if first is not None and first.kind == "text" and not row.texts and not row.code and row.name:
        name_at = next(i for i, c in enumerate(t.columns) if c.kind == "name")
        cells[0], cells[name_at] = LCell(row.name, kind="name"), LCell(kind="name")
    # A row without a code (合计) prints its name over the code and name columns.
    kinds = [c.kind for c in t.columns]
    if len(rows) == 1 and not row.code and row.name and "code" in kinds:
        at = kinds.index("code")
        if at + 1 < len(kinds) and kinds[at + 1] == "name":
            cells[at : at + 2] = [LCell(row.name, span=2, kind="name", indent=indents.get(id(row), 0))]
    total = any(_is_total(r.name) for r in rows)
    return LRow(cells, role="total" if total else "body")


def code_part(code: str | None, key: str) -> str:
    """The 类, 款 or 项 digits of a code printed across 类 | 款 | 项 columns
    (widths from the table definitions), as the reader joins them back."""
    start = 0
    for part, width in code_parts().items():
        if part == key:
            return (code or "")[start:start + width]
        start += width
    return ""


# a 类, 款 or 项 part of a split code prints two or three digits: narrower than a whole code
_WEIGHTS = {"seq": 0.9, "code": 1.6, "code_part": 0.8, "name": 4.0, "text": 2.2, "amount": 1.6, "number": 1.0}


def _paths(t: Table) -> list[list[str]]:
    return [list(c.header or [c.label]) for c in t.columns]


def _blank(t: Table) -> list[LCell]:
    return [LCell(numeric=c.kind in ("amount", "number"), kind=c.kind) for c in t.columns]


def _pane_rows(t: Table, panes: tuple[tuple[str, ...], ...], indents: dict[int, int]) -> list[LRow]:
    """Rows printed in panes side by side (基本支出决算表: 人员经费 | 公用经费):
    a row goes to the pane of its code's 类, a row without a code to the pane
    of the row before it; a pane's closing rows without a code (人员经费合计)
    stand on the last lines."""
    split: list[list[Row]] = [[] for _ in panes]
    at = 0
    for r in t.rows:
        if r.code:
            at = next((i for i, codes in enumerate(panes) if r.code[:3] in codes), at)
        split[at].append(r)
    tails = []
    for pane in split:
        n = len(pane)
        while n and not pane[n - 1].code:
            n -= 1
        tails.append((pane[:n], pane[n:]))
    height = max((len(head) + len(tail) for head, tail in tails), default=0)
    lines: list[list[LCell]] = [[] for _ in range(height)]
    roles = ["body"] * height
    for head, tail in tails:
        printed = [*head, *[None] * (height - len(head) - len(tail)), *tail]
        for i, r in enumerate(printed):
            if r is None:
                lines[i] += _blank(t)
                continue
            row = _body_row(t, [r], indents)
            lines[i] += row.cells
            if row.role == "total":
                roles[i] = "total"
    return [LRow(cells, role=role) for cells, role in zip(lines, roles)]


def _across(t: Table, tf: TableForm) -> LTable:
    """A table printed across (三公: 预算数 | 决算数 under each item): the
    header paths of its items from the form, one row of values."""
    assert tf.across is not None
    values = [c for k in tf.across.values if (c := t.column(k)) is not None]
    paths, cells = [], []
    for r in t.rows:
        path = tf.across.path(r.name) or (r.name,)
        for c in values:
            paths.append([*path, (c.header or [c.label])[-1]])
            cells.append(LCell(amount_text(r.amounts.get(c.key)), numeric=True, kind=c.kind))
    rows = [*_header_rows(paths, bottom_leaves=True), LRow(cells)]
    return LTable(kind=t.id, rows=rows, width=len(paths), title=t.title, notes=[n.text for n in t.notes])


def table_layout(t: Table, tf: TableForm | None = None, info_row: bool = True, unit: str | None = None) -> LTable:
    """One table as printed: its info line (when the form prints it in the
    grid), header, 栏次 and rows — across or in panes where the form says so.
    `unit` is the amount unit of its money columns."""
    if tf is not None and tf.across is not None and t.rows:
        lt = _across(t, tf)
        lt.unit = unit
        return lt
    panes = len(tf.panes) if tf is not None and tf.panes else 1
    width = len(t.columns) * panes
    rows: list[LRow] = []
    if info_row and t.header.printed:
        rows.append(_info_row(t.header.printed, width))
    rows += _header_rows(_paths(t) * panes)
    if (lanci := _lanci_row(t)) is not None:
        rows.append(lanci)
    indents = {id(r): n for r, n in zip(t.rows, row_indents(t))}
    if panes > 1:
        body = _pane_rows(t, tf.panes, indents)
    else:
        body = [_body_row(t, line, indents) for line in _printed_lines(t)]
    rows += body or [LRow(_blank(t) * panes)]
    weights = [_WEIGHTS[c.kind] for c in t.columns] * panes
    return LTable(kind=t.id, rows=rows, width=width, title=t.title, notes=[n.text for n in t.notes], weights=weights,
                  unit=unit)


def institutions_layout(d: Disclosure, pf: PrintedForm) -> LTable:
    columns = pf.institutions.columns
    rows = [LRow([LCell(h) for _, h in columns], role="header")]
    for n, i in enumerate(d.institutions, start=1):
        values = {**i.model_dump(exclude={"source"}), "seq": str(n)}
        rows.append(LRow([LCell((values.get(f) or "") if f else "") for f, _ in columns]))
    weights = [3.0 if f == "name" else 1.0 if f == "seq" else 1.5 for f, _ in columns]
    return LTable(kind="institutions", rows=rows, width=len(columns), weights=weights)


def _amount_cell(value: Decimal | None) -> LCell:
    return LCell(amount_text(value), numeric=True, kind="amount")


def project_layouts(p: Project, unit: str | None = None) -> list[LTable]:
    """The head form and the indicator grid of one project table (`unit`:
    the document's, for a project that states none)."""
    full = p.code or p.budget is not None or p.plan or p.purpose
    tables = []
    if full:
        w = 7
        rows = [LRow([LCell(f"单位：{p.unit or '万元'}", span=w)], role="info")]
        rows.append(LRow([LCell("项目编码"), LCell(p.code or "", span=2, kind="code"), LCell("项目名称"), LCell(p.name, span=3)]))
        rows.append(LRow([LCell("预算规模及资金用途", rowspan=2), LCell("预算数"), _amount_cell(p.budget),
                          LCell("其中：财政资金"), _amount_cell(p.fiscal), LCell("其他资金"), _amount_cell(p.other)]))
        rows.append(LRow([LCell(merged=True), LCell(p.purpose or "", span=w - 1)]))
        if p.plan:
            spans = _split(w - 1, len(p.plan))
            rows.append(LRow([LCell("资金支出计划（%）", rowspan=2), *(LCell(pt.label, span=s) for pt, s in zip(p.plan, spans))]))
            rows.append(LRow([LCell(merged=True), *(LCell(pt.value, span=s) for pt, s in zip(p.plan, spans))]))
        rows.append(LRow([LCell("绩效目标"), LCell(p.goal or "", span=w - 1)]))
        tables.append(LTable(kind="project_head", rows=rows, width=w, weights=[2, 1, 1.2, 1.5, 1.2, 1, 1.2],
                             unit=p.unit or unit))
    elif p.goal:
        tables.append(LTable(kind="project_head", rows=[LRow([LCell("绩效目标"), LCell(p.goal)])], width=2, weights=[1, 6]))
    head = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    rows = [LRow([LCell(h) for h in head], role="header")]
    for i, ind in enumerate(p.indicators):
        prev = p.indicators[i - 1] if i else None
        same1 = prev is not None and prev.level1 == ind.level1
        same2 = same1 and prev.level2 == ind.level2
        rows.append(LRow([LCell("" if same1 else ind.level1, merged=same1), LCell("" if same2 else ind.level2, merged=same2),
                          LCell(ind.level3), LCell(ind.description), LCell(ind.target), LCell(ind.basis)]))
    _close_merges(rows, (0, 1))
    tables.append(LTable(kind="indicators", rows=rows, width=6, weights=[1.2, 1.4, 2, 2.6, 1.2, 2]))
    return tables


def _close_merges(rows: list[LRow], columns: tuple[int, ...]) -> None:
    """Set rowspan on the top cell of each run of merged continuations."""
    for col in columns:
        top = None
        for r in rows:
            cell = r.cells[col]
            if cell.merged and top is not None:
                top.rowspan += 1
            else:
                top = cell


# -- the document ------------------------------------------------------------
def _table_items(t: LTable, title: str | None) -> list[Item]:
    items: list[Item] = []
    if title:
        items.append(LParagraph(title, "table_title"))
    items.append(t)
    items += [LParagraph(n, "note") for n in t.notes]
    return items


class _Doc:
    """What the layout of one document needs while it is built: the form,
    the model, and which of the model's paragraphs are the form's own lines
    (a part heading, a table's title or info line the reader left in the
    text): those print where the form puts them, not again as text."""

    def __init__(self, d: Disclosure):
        self.d = d
        self.pf = printed_form(d.kind)
        self.fmt = {"department": d.department.name, "year": d.year or ""}
        ex = d.explanation
        text = [*d.cover, *ex.preface, *(p for s in ex.sections for p in s.paragraphs)]
        self.claimed: set[int] = set()
        self.heading: dict[int, str] = {}  # part → the heading the model printed
        for i, part in enumerate(self.pf.parts):
            if part.match is None:
                continue
            if part.explanation_title is False and ex.title and part.match.search(squash(ex.title)):
                self.heading[i] = ex.title
                continue
            hit = next((p for p in text if id(p) not in self.claimed and part.match.search(squash(p.text))), None)
            if hit is not None:
                self.claimed.add(id(hit))
                self.heading[i] = hit.text
        order = [*(k for k in self.pf.tables if k in d.tables), *(k for k in d.tables if k not in self.pf.tables)]
        self.tables = [d.tables[k] for k in order]
        self.lines = {squash(t.title) for t in self.tables}
        if self.pf.info == "paragraph":
            self.lines |= {squash(_info_text(t)) for t in self.tables if t.header.printed}
        taken = {k for p in self.pf.parts for k in p.sections}
        self.sections: dict[int, list[Section]] = {
            i: [s for s in ex.sections if s.key in part.sections or (part.rest and s.key not in taken)]
            for i, part in enumerate(self.pf.parts) if not part.tables}

    def free(self, p: Paragraph) -> bool:
        return id(p) not in self.claimed and squash(p.text) not in self.lines

    def part_heading(self, i: int) -> str | None:
        part = self.pf.parts[i]
        if i in self.heading:
            return self.heading[i]
        if part.explanation_title:
            return self.d.explanation.title
        secs = self.sections.get(i)
        if part.tables and not self.tables or not part.tables and not secs:
            return None  # nothing of the part in the model: not printed
        if secs and self.headed_by(i, secs[0]):
            return f"{secs[0].numbering or ''}{secs[0].heading}"
        return part.heading.format(**self.fmt) if part.heading else None

    def headed_by(self, i: int, s: Section) -> bool:
        """A section whose heading is its part's (第四部分 名词解释)."""
        match = self.pf.parts[i].match
        return i not in self.heading and s.numbering is None and match is not None and bool(match.search(squash(s.heading)))


def _info_text(t: Table) -> str:
    return "  ".join(t.header.printed)


def _contents(doc: _Doc) -> list[Item]:
    """The contents: each part, its sections or its numbered tables."""
    items: list[Item] = [LParagraph(doc.pf.contents or "", "contents_title")]
    for i, part in enumerate(doc.pf.parts):
        heading = doc.part_heading(i)
        if heading is None:
            continue
        line = part.contents.format(**doc.fmt) if part.contents and i not in doc.heading else heading
        items.append(LParagraph(line, "contents"))
        if part.tables:
            items += [LParagraph(f"{chinese_numeral(n)}、{t.title}", "contents") for n, t in enumerate(doc.tables, start=1)]
            continue
        for s in doc.sections[i]:
            if not doc.headed_by(i, s):
                items.append(LParagraph(f"{s.numbering or ''}{s.heading}", "contents"))
    return items


def _tables(doc: _Doc) -> list[Item]:
    items: list[Item] = []
    info_row = doc.pf.info == "row"
    for t in doc.tables:
        tf = doc.pf.tables.get(t.id)
        title = t.title or (tf.title if tf else table_defs()[t.id].name)
        # Each standard table starts a page in every form: a reviewer turns
        # to a table by its page, and a table run on under another's notes
        # reads as part of it.
        items.append(LParagraph(title, "table_title", new_page=True))
        if not info_row and t.header.printed:
            items.append(LParagraph(_info_text(t), "info"))
        lt = table_layout(t, tf, info_row, doc.d.unit_of(t))
        items.append(lt)
        items += [LParagraph(n, "note") for n in lt.notes]
    return items


def layout(d: Disclosure) -> Layout:
    """The whole document in the order of its printed form (forms/<kind>/form.yaml):
    cover, contents, then the parts — the tables, the sections with
    institutions, projects, procurement and assets placed after the
    paragraph that titles them, else at the end of their home section."""
    # a hundred thousand cells at 3,000 rows a table: with the collector's
    # passes the layout took 16–21× the time for 10× the rows, 8–10× without
    with no_gc_pauses():
        return _layout(d)


def _layout(d: Disclosure) -> Layout:
    doc = _Doc(d)
    pf, ex = doc.pf, d.explanation
    items: list[Item] = []
    cover = [p.text for p in d.cover if doc.free(p)] if d.cover else [c.format(**doc.fmt) for c in pf.cover]
    items += [LParagraph(text, "cover") for text in cover]
    if pf.contents:
        items += _contents(doc)

    # Tables placed after the paragraph that names them; what is not named
    # goes at the end of its home section. (home section, caption, tables)
    project_home = "projects" if ex.section("projects") is not None else "performance"
    inst = pf.institutions
    entries: list[tuple[str, str | None, list[LTable]]] = []
    if d.institutions:
        entries.append((inst.section, inst.caption, [institutions_layout(d, pf)]))
    entries += [(project_home, p.title, project_layouts(p, d.unit)) for p in d.projects]
    entries += [(key, t.title, [table_layout(t, unit=d.unit_of(t))])
                for t, key in ((d.procurement, "procurement"), (d.assets, "assets")) if t is not None]
    by_title = {squash(caption): n for n, (_, caption, _) in enumerate(entries) if caption}
    placed: set[int] = set()

    def place(n: int, caption: str | None) -> None:
        placed.add(n)
        if caption:
            items.append(LParagraph(caption, "caption"))
        for lt in entries[n][2]:
            items.append(lt)
            items.extend(LParagraph(note, "note") for note in lt.notes)

    def named(key: str) -> int | None:
        n = by_title.get(key)
        if n is None and d.institutions and inst.caption_match is not None and inst.caption_match.search(key):
            n = 0  # the list of units under its own wording of the caption
        return n if n not in placed else None

    for i, part in enumerate(pf.parts):
        heading = doc.part_heading(i)
        if heading:
            items.append(LParagraph(heading, "part"))
        if part.tables:
            items += _tables(doc)
            continue
        if part.explanation_title:
            items += [LParagraph(p.text, "title" if k == 0 and ex.title else "body")
                      for k, p in enumerate(q for q in ex.preface if doc.free(q))]
        for s in doc.sections[i]:
            if not doc.headed_by(i, s):
                items.append(LParagraph(f"{s.numbering or ''}{s.heading}", "heading"))
            for p in s.paragraphs:
                if not doc.free(p):
                    continue
                n = named(squash(p.text))
                if n is not None:
                    place(n, p.text)
                else:
                    items.append(LParagraph(p.text, "subheading" if _is_subheading(p.text) else "body"))
            for n, (home, caption, _) in enumerate(entries):
                if home == s.key and n not in placed:
                    place(n, caption)
    return Layout(d, items)


def _is_subheading(text: str) -> bool:
    t = squash(text)
    return len(t) < 30 and not t.endswith(("。", "；")) and (t.startswith("（") or t[:1].isdigit() and "、" in t[:3])


# -- back to blocks ----------------------------------------------------------
def to_blocks(lay: Layout, fmt: str = "json") -> Document:
    """The layout as the readers' block stream (what a reader of any of the
    written formats sees)."""
    doc = Document(format=fmt)
    for item in lay.items:
        index = len(doc.blocks)
        if isinstance(item, LParagraph):
            doc.blocks.append(ParagraphBlock(text=item.text, index=index))
            continue
        rows = []
        for r in item.rows:
            col, cells = 0, []
            for c in r.cells:
                cells.append(Cell(text="" if c.merged else c.text, col=col, span=c.span))
                col += c.span
            rows.append(TableRow(cells=cells))
        doc.blocks.append(TableBlock(rows=rows, width=item.width, index=index))
    return doc


def table_run(items: list, i: int) -> int:
    """The end of the standard table whose title is at `i` (its title, info
    line, grid and notes: what prints on a page or sheet of its own), or
    `i` when none starts there."""
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
