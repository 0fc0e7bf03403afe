"""Rich renderings of a `Disclosure` for `yusuan show`."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table as RichTable
from rich.text import Text

from .definitions import profile_def
from .model import Disclosure, Project, Table
from .wrapping import hanging

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


def render_table(t: Table) -> RichTable:
    """The table as printed: for two-sided tables, income and expenditure
    halves side by side again."""
    caption = "\n".join([" · ".join(t.header.printed), *(n.text for n in t.notes)])
    rt = RichTable(title=f"[bold]{t.title}[/bold]  [dim]{t.id}[/dim]", caption=caption, box=box.SIMPLE_HEAD,
                   title_justify="left", caption_justify="left")
    for c in t.columns:
        numeric = c.kind in ("amount", "number")
        # amounts and codes are never cut: the names wrap to make room
        whole = numeric or c.kind in ("seq", "code")
        rt.add_column(" ".join(c.label.split()), justify="right" if numeric else "left",
                      style="dim" if c.kind in ("seq", "code") else None, overflow="fold", no_wrap=whole,
                      min_width=_widest(t, c) if whole else None)
    lines: list[list] = []  # one per printed row: the model rows it holds
    for r in t.rows:
        if r.side and lines and lines[-1][0].seq == r.seq and lines[-1][0].side != r.side:
            lines[-1].append(r)
        else:
            lines.append([r])
    for group in lines:
        cells = []
        for c in t.columns:
            r = next((x for x in group if c.side in (None, x.side)), None)
            if r is None:
                cells.append("")
            elif c.kind in ("amount", "number"):
                cells.append(_amount(r.amounts.get(c.key)))
            else:
                cells.append(_label_cell(r, c))
        bold = any(r.level == "类" or _is_total(r.name) for r in group)
        rt.add_row(*cells, style="bold" if bold else None)
    return rt


def render_project(p: Project) -> Group:
    head = Text.assemble((p.name, "bold"), f"  {p.code or ''}")
    lines = [head]
    if p.budget is not None:
        lines.append(Text(f"预算数 {p.budget}  财政资金 {_amount(p.fiscal)}  其他资金 {_amount(p.other)}  ({p.unit or ''})"))
    if p.plan:
        lines.append(Text("资金支出计划 " + "  ".join(f"{x.label} {x.value}" for x in p.plan)))
    if p.goal:
        lines.append(Text("绩效目标 " + p.goal.replace("\n", " ")))
    it = RichTable(box=box.SIMPLE_HEAD)
    for h in ("一级指标", "二级指标", "三级指标", "指标值", "依据"):
        it.add_column(h, overflow="fold")
    for i in p.indicators:
        it.add_row(i.level1, i.level2, i.level3, i.target, i.basis)
    return Group(*lines, it)


def render_explanation(d: Disclosure, width: int) -> Group:
    parts = []
    for s in d.explanation.sections:
        parts.append(Text(hanging(f"{s.numbering or ''}{s.heading}", width, 0), style="bold", no_wrap=True))
        for p in s.paragraphs:
            parts.append(Text("  " + hanging(p.text, width, 2), no_wrap=True))
    return Group(*parts)


def show(d: Disclosure, what: str | None, console: Console) -> None:
    console.print(
        Text.assemble((f"{d.department.code or ''} {d.department.name}", "bold"), f"  {d.year or ''}年  单位：{d.unit or '?'}  ",
                      (f"{d.profile} · {'部门' if d.scope == 'department' else '单位'} · "
                       f"{len(d.tables)}/{len(profile_def(d.profile).tables)} 张表，{len(d.projects)} 个项目", "dim"))
    )
    if what is None or what in d.tables:
        for t in d.tables.values():
            if what is None or t.id == what:
                console.print(render_table(t))
    if what in (None, "procurement") and d.procurement is not None:
        console.print(render_table(d.procurement))
    if what in (None, "assets") and d.assets is not None:
        console.print(render_table(d.assets))
    if what == "projects":
        for p in d.projects:
            console.print(render_project(p))
    if what == "explanation":
        console.print(render_explanation(d, console.width), crop=False)
