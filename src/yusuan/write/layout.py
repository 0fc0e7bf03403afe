"""A `Disclosure` laid out as the printed document: paragraphs with a role
and tables as grids of cells with their merges, in the official order.

Every writer serialises this one layout, so the formats cannot drift apart;
`to_blocks` turns it into the readers' block stream, which is how the tests
prove that what is written reads back to the same model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..definitions import squash, standard_ids, table_defs
from ..model import Disclosure, Project, Row, Table
from ..read.blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow

Role = Literal["info", "header", "lanci", "body", "total"]
Style = Literal["table_title", "part", "title", "heading", "subheading", "body", "note", "caption"]


@dataclass(slots=True)
class LCell:
    text: str = ""
    span: int = 1  # grid columns covered
    rowspan: int = 1  # rows covered, on the first cell of a vertical merge
    merged: bool = False  # a continuation of the vertical merge above (prints nothing)
    numeric: bool = False  # right-aligned; a number in spreadsheets


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

    def column_widths(self, total: int) -> list[int]:
        w = self.weights if len(self.weights) == self.width else [1.0] * self.width
        s = sum(w)
        return [int(total * x / s) for x in w]

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


Item = LParagraph | LTable


@dataclass(slots=True)
class Layout:
    disclosure: Disclosure
    items: list[Item]

    @property
    def title(self) -> str:
        d = self.disclosure
        return f"{d.department.name}{d.year or ''}年部门{'决算' if d.kind == 'final_accounts' else '预算'}"


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# -- tables -----------------------------------------------------------------
def _split(width: int, parts: int) -> list[int]:
    """Spans for `parts` cells across `width` columns, the first ones wider."""
    parts = max(1, min(parts, width))
    base, extra = divmod(width, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _info_row(printed: list[str], width: int) -> LRow:
    spans = _split(width, len(printed))
    return LRow([LCell(t, span=s) for t, s in zip(printed, spans)], role="info")


def _header_rows(t: Table) -> list[LRow]:
    """The printed header grid, merges rebuilt from the column header paths:
    equal group labels side by side merge across, a path shorter than the
    header merges down."""
    paths = [c.header or [c.label] for c in t.columns]
    depth = max((len(p) for p in paths), default=1)
    rows: list[LRow] = []
    for level in range(depth):
        cells: list[LCell] = []
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                cells.append(LCell(merged=True))
                i += 1
                continue
            j = i + 1
            if level < len(path) - 1:  # a group label: merge with the same group beside it
                while j < len(paths) and len(paths[j]) > level + 1 and paths[j][: level + 1] == path[: level + 1]:
                    j += 1
            rowspan = depth - level if level == len(path) - 1 else 1
            cells.append(LCell(path[level], span=j - i, rowspan=rowspan))
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
    two model rows with one 序号."""
    lines: list[list[Row]] = []
    for r in t.rows:
        if r.side and lines and lines[-1][0].seq == r.seq and all(x.side != r.side for x in lines[-1]):
            lines[-1].append(r)
        else:
            lines.append([r])
    return lines


_TOTAL = ("合计", "总计", "小计", "资产总额")


def _body_row(t: Table, rows: list[Row]) -> LRow:
    by_side = {r.side: r for r in rows}
    cells = []
    for c in t.columns:
        r = by_side.get(c.side) if c.side else rows[0]
        if r is None:
            cells.append(LCell(numeric=c.kind in ("amount", "number")))
            continue
        if c.kind == "seq":
            text = r.seq or ""
        elif c.kind == "code":
            text = r.code or ""
        elif c.kind == "name":
            text = r.name
        elif c.kind in ("amount", "number"):
            cells.append(LCell(amount_text(r.amounts.get(c.key)), numeric=True))
            continue
        else:
            text = r.texts.get(c.key, "")
        cells.append(LCell(text))
    first = t.columns[0] if t.columns else None
    row = rows[0]
    # A total of a table whose first column is free text (政府采购: 合  计,
    # 某单位小计) prints its label there, as the official form does.
    if first is not None and first.kind == "text" and not row.texts and not row.code and row.name:
        name_at = next(i for i, c in enumerate(t.columns) if c.kind == "name")
        cells[0], cells[name_at] = LCell(row.name), LCell("")
    total = any(squash(r.name).startswith(_TOTAL) or squash(r.name).endswith("小计") for r in rows)
    return LRow(cells, role="total" if total else "body")


_WEIGHTS = {"seq": 0.9, "code": 1.6, "name": 4.0, "text": 2.2, "amount": 1.6, "number": 1.0}


def table_layout(t: Table) -> LTable:
    width = len(t.columns)
    rows: list[LRow] = []
    if t.header.printed:
        rows.append(_info_row(t.header.printed, width))
    rows += _header_rows(t)
    if (lanci := _lanci_row(t)) is not None:
        rows.append(lanci)
    body = [_body_row(t, line) for line in _printed_lines(t)]
    rows += body or [LRow([LCell() for _ in range(width)])]
    weights = [_WEIGHTS[c.kind] for c in t.columns]
    return LTable(kind=t.id, rows=rows, width=width, title=t.title, notes=[n.text for n in t.notes], weights=weights)


def institutions_layout(d: Disclosure) -> LTable:
    head = ["单位名称", "单位性质", "单位规格", "经费保障形式"]
    rows = [LRow([LCell(h) for h in head], role="header")]
    for i in d.institutions:
        rows.append(LRow([LCell(v or "") for v in (i.name, i.kind, i.rank, i.funding)]))
    return LTable(kind="institutions", rows=rows, width=4, weights=[3, 1, 1, 2])


def project_layouts(p: Project) -> list[LTable]:
    """The head form and the indicator grid of one project table."""
    full = p.code or p.budget is not None or p.plan or p.purpose
    tables = []
    if full:
        w = 7
        rows = [LRow([LCell(f"单位：{p.unit or '万元'}", span=w)], role="info")]
        rows.append(LRow([LCell("项目编码"), LCell(p.code or "", span=2), LCell("项目名称"), LCell(p.name, span=3)]))
        rows.append(LRow([LCell("预算规模及资金用途", rowspan=2), LCell("预算数"), LCell(amount_text(p.budget), numeric=True),
                          LCell("其中：财政资金"), LCell(amount_text(p.fiscal), numeric=True), LCell("其他资金"),
                          LCell(amount_text(p.other), numeric=True)]))
        rows.append(LRow([LCell(merged=True), LCell(p.purpose or "", span=w - 1)]))
        if p.plan:
            spans = _split(w - 1, len(p.plan))
            rows.append(LRow([LCell("资金支出计划（%）", rowspan=2), *(LCell(pt.label, span=s) for pt, s in zip(p.plan, spans))]))
            rows.append(LRow([LCell(merged=True), *(LCell(pt.value, span=s) for pt, s in zip(p.plan, spans))]))
        rows.append(LRow([LCell("绩效目标"), LCell(p.goal or "", span=w - 1)]))
        tables.append(LTable(kind="project_head", rows=rows, width=w, weights=[2, 1, 1.2, 1.5, 1.2, 1, 1.2]))
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


def layout(d: Disclosure) -> Layout:
    """The whole document in the order the seeds print it: the nine tables,
    then the explanation with institutions, projects, procurement and assets
    placed after the paragraph that titles them."""
    items: list[Item] = []
    for tid in standard_ids():
        t = d.tables.get(tid)
        if t is not None:
            items += _table_items(table_layout(t), t.title or table_defs()[tid].name)

    ex = d.explanation
    if ex.title:
        items.append(LParagraph(ex.title, "part"))
    items += [LParagraph(p.text, "title" if i == 0 and ex.title else "body") for i, p in enumerate(ex.preface)]

    # Tables placed after the paragraph that names them; what is not named
    # goes at the end of its home section.
    project_home = "projects" if ex.section("projects") is not None else "performance"
    entries: list[tuple[str, str, list[LTable]]] = []  # (home section, title, tables)
    if d.institutions:
        entries.append(("duties", "部门机构设置情况", [institutions_layout(d)]))
    entries += [(project_home, p.title, project_layouts(p)) for p in d.projects]
    entries += [(key, t.title, [table_layout(t)]) for t, key in ((d.procurement, "procurement"), (d.assets, "assets"))
                if t is not None]
    by_title = {squash(entry[1]): entry for entry in entries}
    placed: set[str] = set()

    def place(caption: str, tables: list[LTable]) -> None:
        items.append(LParagraph(caption, "caption"))
        for lt in tables:
            items.append(lt)
            items.extend(LParagraph(n, "note") for n in lt.notes)

    for s in ex.sections:
        items.append(LParagraph(f"{s.numbering or ''}{s.heading}", "heading"))
        for p in s.paragraphs:
            key = squash(p.text)
            hit = by_title.get(key) or (by_title.get("部门机构设置情况") if key.endswith("机构设置情况") else None)
            if hit is not None and hit[1] not in placed:
                placed.add(hit[1])
                place(p.text, hit[2])
            else:
                items.append(LParagraph(p.text, "subheading" if _is_subheading(p.text) else "body"))
        for home, title, tables in entries:
            if home == s.key and title not in placed:
                placed.add(title)
                place(title, tables)
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
