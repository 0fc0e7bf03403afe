"""A 决算 against the budget the department published for the same year
(rules X12–X13): the 年初预算 the 决算 states — per 项 and in total, in a
年初预算 column where the form prints one, else in its 情况说明 — and its
三公 预算数 must be the budget's own figures.

The pairing of documents (same department, same year, one budget and one
决算) is `pair_budgets`; the CLI and batch jobs call it, then audit the 决算
with its budget."""

from __future__ import annotations

from decimal import Decimal

from ..definitions import squash, table_defs
from ..explain.execution import execution_items
from ..lookup import Lookup
from ..model import About, Disclosure, Row, Table
from .context import YUAN, ZERO, Context, fmt, table_name
from .registry import check

def pair_budgets(models: list[tuple[str, Disclosure | About]]) -> dict[str, tuple[str, Disclosure | About]]:
    """For each 决算 among the files, the budget of the same department and
    year among them (a name that contains the other, as printed or without
    spaces): 决算 file → (budget file, budget as given)."""
    abouts = [(f, About.of(d), d) for f, d in models]
    budgets = [(f, a, d) for f, a, d in abouts if a.kind == "budget" and a.has_tables]
    out = {}
    for f, a, _ in abouts:
        if a.kind != "final_accounts":
            continue
        name = squash(a.department)
        for bf, ba, bd in budgets:
            other = squash(ba.department)
            if ba.year == a.year and name and other and (name in other or other in name):
                out[f] = (bf, bd)
                break
    return out


def _as_printed(value: Decimal, unit: str, to_unit: str, like: Decimal) -> Decimal:
    """A budget figure in the 决算's unit, at the precision the 决算 prints."""
    converted = value * YUAN.get(unit, Decimal(1)) / YUAN.get(to_unit, Decimal(1))
    return converted.quantize(Decimal(1).scaleb(min(like.as_tuple().exponent, 0)))


def _where(file: str, t: Table, row: Row | None, what: str) -> str:
    page = row.source.page if row is not None and row.source and row.source.page else None
    label = f"{row.code or ''} {squash(row.name)}".strip() if row is not None else "（无此行）"
    return f"预算 {file}：{table_name(t)} {label} {what}" + (f"，第{page}页" if page else "")


def _given_budget(ctx: Context) -> tuple[str, Disclosure, Lookup] | None:
    """The budget given with this 决算: its file, model and a lookup into it."""
    if ctx.budget is None:
        return None
    file, budget = ctx.budget
    return file, budget, Lookup(budget)


def _budget_rows(b: Lookup, tid: str) -> tuple[Table | None, dict[str, Row]]:
    t = b.table(tid)
    return t, ({r.code: r for r in t.rows if r.code} if t is not None else {})


@check("X12")
def initial_budget(ctx: Context) -> None:
    """X12 each 年初预算 the 决算 states = the budget's 一般公共预算 row."""
    if (given := _given_budget(ctx)) is None:
        return
    file, budget, b = given
    bt, by_code = _budget_rows(b, "general_expenditure")
    if bt is None:
        ctx.cannot("X12", f"预算 {file} 没有一般公共预算财政拨款支出表")
        return
    b_unit = budget.unit_of(bt)
    g = ctx.table("general_expenditure")
    stated = list(_stated_initial(ctx, g))
    if not stated:
        ctx.cannot("X12", "决算没有列出年初预算数（表中无年初预算栏，情况说明中也没有）")
        return
    for code, value, unit, label, where in stated:
        if code is None:
            row = b.named("general_expenditure", "total")
            want = ctx.amount(row, "total") if row is not None else None
            what = "合计"
        else:
            row = by_code.get(code)
            want = ctx.amount(row, "total") if row is not None else ZERO
            what = "合计" if row is not None else ""
        if want is None:
            continue
        want = _as_printed(want, b_unit, unit, value)
        if ctx.same(value, want):
            continue
        subject = "一般公共预算财政拨款支出" if code is None else f"{code} {label}"
        ctx.report("X12", f"决算称{subject}年初预算为 {fmt(value)}{unit}，部门预算为 {fmt(want)}{unit}，"
                          f"相差 {fmt(value - want)}{unit}",
                   against=_where(file, bt, row, what), code=code, **where, expected=want)


def _stated_initial(ctx: Context, g: Table | None):
    """(code or None for the total, 年初预算, unit, location) as the 决算
    states them: the table's 年初预算 column where printed, else the
    情况说明's items (explain/execution.py)."""
    if g is not None and g.column("budget_initial") is not None:
        for r in g.rows:
            v = r.amounts.get("budget_initial")
            if v is None:
                continue
            code = r.code if r.code else (None if ctx.named(g.id, "total") is r else "")
            if code == "":
                continue
            yield code, v, ctx.d.unit_of(g), squash(r.name), {"table": g, "row": r, "column": "budget_initial"}
        return
    for e in execution_items(ctx.d):  # the 情况说明's 年初预算为…，支出决算为…
        if e.kind not in ("item", "total") or e.budget is None or (e.kind == "item" and e.code is None):
            continue
        label = next((n for n in reversed(e.names) if n), e.quote)  # the 项 as printed
        yield (e.code if e.kind == "item" else None), e.budget, "万元", label, {"section": e.section, "paragraph": e.paragraph}


@check("X13")
def three_public_budget(ctx: Context) -> None:
    """X13 the 决算's 三公 预算数 = the budget's 三公 table, item by item."""
    if (given := _given_budget(ctx)) is None:
        return
    file, budget, b = given
    t, bt = ctx.table("three_public"), b.table("three_public")
    if t is None or bt is None:
        if bt is None:
            ctx.cannot("X13", f"预算 {file} 没有三公经费表")
        return
    if t.column("budget") is None:
        ctx.cannot("X13", f"{table_name(t)} 没有预算数栏")
        return
    keys = [rd.key for rd in table_defs()[t.id].rows]
    for key in keys:
        row, b_row = ctx.named("three_public", key), b.named("three_public", key)
        if row is None or row.amounts.get("budget") is None:
            continue
        mine = row.amounts["budget"]
        if b_row is None:
            if mine:
                ctx.report("X13", f"{table_name(t)} {squash(row.name)} 预算数 {fmt(mine)}，部门预算三公表没有此项",
                           table=t, row=row, column="budget", against=_where(file, bt, None, ""))
            continue
        want = _as_printed(ctx.amount(b_row, "total"), budget.unit_of(bt), ctx.d.unit_of(t), mine)
        if not ctx.same(mine, want):
            ctx.report("X13", f"{table_name(t)} {squash(row.name)} 预算数 {fmt(mine)}{ctx.d.unit_of(t)}，"
                              f"部门预算为 {fmt(want)}{ctx.d.unit_of(t)}，相差 {fmt(mine - want)}{ctx.d.unit_of(t)}",
                       table=t, row=row, column="budget", against=_where(file, bt, b_row, "预算数"), expected=want)
