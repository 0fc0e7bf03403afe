"""Rich renderings of a `Disclosure` for `yusuan show`."""

from __future__ import annotations

import re

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table as RichTable
from rich.text import Text

from .definitions import profile_def
from .model import Disclosure, Project, Table
from .wrapping import hanging, printable, wrap
from .write.layout import row_indents

EXTRA_VIEWS = ("procurement", "assets", "projects", "explanation")


def _amount(value) -> str:
    return "" if value is None else str(value)


def _label_cell(r, c) -> str:
    if c.kind == "seq":
        return r.seq or ""
    if c.kind == "code":
        return r.code or ""
    if c.kind == "name":
        return r.name
    return r.texts.get(c.key, "")


def _widest(t: Table, c) -> int:
    cells = [_amount(r.amounts.get(c.key)) if c.kind in ("amount", "number") else _label_cell(r, c) for r in t.rows]
    return max((cell_len(x) for x in cells), default=1)


def _is_total(name: str) -> bool:
    return "".join(name.split()).startswith(("合计", "收入总计", "支出总计", "本年收入合计", "本年支出合计"))


_NAME_CELLS = 12  # a name column keeps room for six characters; longer names wrap
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_HEAD_CELLS = 8  # an amount column is at least four characters wide, its header wrapping inside


def _whole(c) -> bool:
    """Amounts, 序号 and codes are never cut: the names wrap to make room."""
    return c.kind in ("amount", "number", "seq", "code")


def _least(t: Table, c) -> int:
    if c.kind in ("amount", "number"):
        return max(_widest(t, c), _HEAD_CELLS)
    if _whole(c):  # and its header on one line, if short (序号, 科目编码)
        return max(_widest(t, c), min(cell_len(_header(c.label)), _HEAD_CELLS))
    return min(max(_widest(t, c), 2), _NAME_CELLS)


def _roomy(t: Table, c) -> int:
    """What a column asks for when the table is cut into parts: names get
    room for twelve characters before another amount column is added."""
    return _least(t, c) if _whole(c) else min(max(_widest(t, c), 2), 2 * _NAME_CELLS)


def _header(label: str) -> str:
    # the spaces printed inside a Chinese header only spread it over its cell
    return _CJK_GAP.sub("", " ".join(label.split()))


def _table_width(widths: list[int]) -> int:
    return sum(widths) + 3 * len(widths) + 1  # padding either side and a rule between columns


def column_groups(t: Table, width: int) -> list[list]:
    """The table's columns in groups that fit `width`: a table wider than
    the terminal is printed in parts, each repeating the leading label
    columns (序号, 编码, 名称), rather than squeezing amounts until they
    split or names until they vanish."""
    lead: list = []
    for c in t.columns:
        if c.kind in ("amount", "number"):
            break
        lead.append(c)
    if _table_width([_least(t, c) for c in t.columns]) <= width:
        return [list(t.columns)]
    groups: list[list] = [[]]
    for c in t.columns[len(lead):]:
        if groups[-1] and _table_width([_roomy(t, x) for x in lead + groups[-1] + [c]]) > width:
            groups.append([])
        groups[-1].append(c)
    return [lead + g for g in groups]


def _widths(t: Table, columns: list, width: int) -> list[int]:
    """Each column's width: amounts and codes as wide as their widest
    cell, names sharing what is left (up to their widest)."""
    widths = [_least(t, c) for c in columns]
    names = [i for i, c in enumerate(columns) if not _whole(c)]
    spare = width - _table_width(widths)
    for i in names:
        grow = min(_widest(t, columns[i]) - widths[i], spare // len(names))
        if grow > 0:
            widths[i] += grow
    spare = width - _table_width(widths)
    for i in names:  # what one name did not need goes to the next
        grow = min(_widest(t, columns[i]) - widths[i], spare)
        if grow > 0:
            widths[i] += grow
            spare -= grow
    return widths


def render_table(t: Table, width: int = 200) -> list[RichTable]:
    """The table as printed: for two-sided tables, income and expenditure
    halves side by side again; in parts when it is wider than `width`."""
    caption = "\n".join([" · ".join(t.header.printed), *(n.text for n in t.notes)])
    groups = column_groups(t, width)
    return [_rich_table(t, cols, f"{t.title}" + (f"（{i + 1}/{len(groups)}）" if len(groups) > 1 else ""),
                        caption if i == len(groups) - 1 else None, width)
            for i, cols in enumerate(groups)]


def _rich_table(t: Table, columns: list, title: str, caption: str | None, width: int) -> RichTable:
    # the document's words go in as Text, never as markup: a name with
    # `[/]` in it would otherwise be read as a closing tag
    rt = RichTable(title=Text.assemble((printable(title), "bold"), "  ", (t.id, "dim")),
                   caption=Text(printable(caption)) if caption else None, box=box.SIMPLE_HEAD,
                   title_justify="left", caption_justify="left")
    widths = _widths(t, columns, width)
    for c, w in zip(columns, widths):
        numeric = c.kind in ("amount", "number")
        rt.add_column(Text("\n".join(wrap(_header(c.label), w))), justify="right" if numeric else "left",
                      style="dim" if c.kind in ("seq", "code") else None, overflow="fold", no_wrap=_whole(c), width=w)
    indent = dict(zip(map(id, t.rows), row_indents(t)))
    lines: list[list] = []  # one per printed row: the model rows it holds
    for r in t.rows:
        if r.side and lines and lines[-1][0].seq == r.seq and lines[-1][0].side != r.side:
            lines[-1].append(r)
        else:
            lines.append([r])
    for group in lines:
        cells = []
        for c, w in zip(columns, widths):
            r = next((x for x in group if c.side in (None, x.side)), None)
            if r is None:
                cells.append("")
            elif c.kind in ("amount", "number"):
                cells.append(_amount(r.amounts.get(c.key)))
            elif c.kind == "name":  # wrapped here so a wrapped name keeps its indentation
                pad = "  " * indent.get(id(r), 0)
                cells.append("\n".join(pad + line for line in wrap(_label_cell(r, c), w - len(pad))))
            else:
                cells.append(_label_cell(r, c))
        bold = any(r.level == "类" or _is_total(r.name) for r in group)
        rt.add_row(*(Text(printable(x)) for x in cells), style="bold" if bold else None)
    return rt


def render_project(p: Project) -> Group:
    head = Text.assemble((printable(p.name), "bold"), f"  {printable(p.code or '')}")
    lines = [head]
    if p.budget is not None:
        lines.append(Text(printable(f"预算数 {p.budget}  财政资金 {_amount(p.fiscal)}  其他资金 {_amount(p.other)}  ({p.unit or ''})")))
    if p.plan:
        lines.append(Text(printable("资金支出计划 " + "  ".join(f"{x.label} {x.value}" for x in p.plan))))
    if p.goal:
        lines.append(Text(printable("绩效目标 " + p.goal.replace("\n", " "))))
    it = RichTable(box=box.SIMPLE_HEAD)
    for h in ("一级指标", "二级指标", "三级指标", "指标值", "依据"):
        it.add_column(h, overflow="fold")
    for i in p.indicators:
        it.add_row(*(Text(printable(x or "")) for x in (i.level1, i.level2, i.level3, i.target, i.basis)))
    return Group(*lines, it)


def render_explanation(d: Disclosure, width: int) -> Group:
    parts = []
    for s in d.explanation.sections:
        parts.append(Text(hanging(f"{s.numbering or ''}{s.heading}", width, 0), style="bold", no_wrap=True))
        for p in s.paragraphs:
            parts.append(Text("  " + hanging(p.text, width, 2), no_wrap=True))
    return Group(*parts)


def show(d: Disclosure, what: str | None, console: Console) -> None:
    name = f"{d.department.code or ''} {d.department.name}"
    head = Text(hanging(f"{name}  {d.year or ''}年  单位：{d.unit or '?'}  {d.profile} · "
                        f"{'部门' if d.scope == 'department' else '单位'} · "
                        f"{len(d.tables)}/{len(profile_def(d.profile).tables)} 张表，{len(d.projects)} 个项目", console.width, 2))
    head.stylize("bold", 0, len(name))
    console.print(head, no_wrap=True, crop=False)
    if what is None or what in d.tables:
        for t in d.tables.values():
            if what is None or t.id == what:
                console.print(*render_table(t, console.width))
    if what in (None, "procurement") and d.procurement is not None:
        console.print(*render_table(d.procurement, console.width))
    if what in (None, "assets") and d.assets is not None:
        console.print(*render_table(d.assets, console.width))
    if what == "projects":
        for p in d.projects:
            console.print(render_project(p))
    if what == "explanation":
        console.print(render_explanation(d, console.width), crop=False)


def _num(v) -> str:
    return "" if v is None else f"{v:f}"


def show_comparison(c, console: Console) -> None:
    """`yusuan compare`: what B's text says about the change from A, then
    every amount that differs, table by table."""
    head = f"A {c.a.department.name} {c.a.year or ''} {c.a.kind}  →  B {c.b.department.name} {c.b.year or ''} {c.b.kind}"
    console.print(Text(hanging(head, console.width, 2), style="bold"), no_wrap=True, crop=False)
    for s in c.statements:
        verdict = {True: ("一致", "green"), False: ("不符", "bold red"), None: ("A 无此数", "yellow")}[s.agrees]
        line = (f"  B 的说明推出 A 的{s.what}为 {_num(s.implied)}，A 的表中为 {_num(s.actual)}"
                + (f"，相差 {_num(s.actual - s.implied)}" if s.agrees is False else "")
                + (f"（B 所述原因：{s.reason}）" if s.reason else ""))
        text = Text(f"  {verdict[0]} ", style=verdict[1])
        text.append(hanging(line.strip(), console.width - 8, 8))
        console.print(text, no_wrap=True, crop=False)
    rt = RichTable(box=box.SIMPLE_HEAD, title=Text(f"金额变化（{len(c.changes)} 处，{c.unchanged} 处相同）", style="bold"),
                   title_justify="left")
    for head, right in (("表", False), ("编码", False), ("项目", False), ("栏目", False), ("A", True), ("B", True),
                        ("增减", True), ("增减率%", True)):
        rt.add_column(head, justify="right" if right else "left", overflow="fold", no_wrap=right)
    for ch in c.changes:
        rt.add_row(*(Text(printable(x)) for x in (ch.title, ch.code, ch.item, ch.column, _num(ch.a), _num(ch.b),
                                                   _num(ch.difference), _num(ch.rate))))
    console.print(rt)
    for side, rows in (("只在 A 中", c.only_a), ("只在 B 中", c.only_b)):
        if rows:
            console.print(Text(hanging(f"{side}：" + "；".join(f"{t} {r}" for t, r in rows), console.width, 2)),
                          no_wrap=True, crop=False)
