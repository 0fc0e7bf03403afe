"""Identities between tables, 勾稽关系 (rules X01–X11)."""

from __future__ import annotations

from decimal import Decimal

from ..definitions import squash, table_defs
from ..model import Row, Table
from .catalogue import catalogue, normalize_name
from .context import (
    ZERO,
    Context,
    fmt,
    index_of,
    numbered,
    row_label,
    strip_numbering,
    table_name,
)
from .registry import check


def _mismatch(ctx: Context, rule: str, what_a: str, a: Decimal | None, what_b: str, b: Decimal | None, **where) -> None:
    if a is None or b is None or ctx.same(a, b):
        return
    ctx.report(rule, f"{what_a} {fmt(a)} ≠ {what_b} {fmt(b)}，相差 {fmt(a - b)}", expected=b, **where)


def _by_code(t: Table | None, length: int | None = None) -> dict[str, Row]:
    if t is None:
        return {}
    return {r.code: r for r in t.rows if r.code and (length is None or len(r.code) == length)}


def _class_rows(ctx: Context, t: Table, column: str) -> dict[str, tuple[Row, Decimal]]:
    """A two-sided table's expenditure rows by 类 code (they print names only)."""
    year = ctx.d.year or 0
    cat = catalogue("functional")
    subtotal = ctx.named(t.id, "expenditure_subtotal")
    rows = [r for r in t.rows if r.side == "expenditure"]
    end = index_of(rows, subtotal)
    if end is not None:
        rows = rows[:end]
    out = {}
    for r in rows:
        if not numbered(r.name):
            continue
        code = cat.code_for_name(strip_numbering(r.name), 3, year)
        if code:
            out[code] = (r, ctx.amount(r, column))
    return out


def _compare_classes(ctx: Context, rule: str, two_sided: Table, column: str, other: Table, other_column: str) -> None:
    """Each 类 row of a two-sided table against the same 类 in a coded table."""
    mine = _class_rows(ctx, two_sided, column)
    theirs = _by_code(other, 3)
    for code in sorted(set(mine) | set(theirs)):
        row, a = mine.get(code, (None, ZERO))
        b = ctx.amount(theirs[code], other_column) if code in theirs else ZERO
        if ctx.same(a, b):
            continue
        label = squash(row.name) if row is not None else f"{code} {squash(theirs[code].name)}"
        col_label = squash(two_sided.column(column).label)
        _mismatch(ctx, rule, f"{table_name(two_sided)} {label} {col_label}", a,
                  f"{table_name(other)} {code} {squash(other.column(other_column).label)}", b,
                  table=two_sided, row=row, column=column, code=code if row is None else None)


@check("X01")
def summary_vs_expenditure(ctx: Context) -> None:
    """X01 收支总表 支出 by 类 = 支出总表 类 合计."""
    s, e = ctx.table("summary"), ctx.table("expenditure")
    if s is not None and e is not None and s.rows and e.rows:
        _compare_classes(ctx, "X01", s, "expenditure_amount", e, "total")


@check("X02")
def grand_totals(ctx: Context) -> None:
    """X02 收支总表 收入总计 = 收入总表 合计; 本年支出合计 = 支出总表 合计."""
    s, i, e = ctx.table("summary"), ctx.table("income"), ctx.table("expenditure")
    if s is None or not s.rows:
        return
    if i is not None and i.rows:
        # an income table without a carry-over column (the 决算's 收入决算表)
        # holds the year's income: 本年收入合计, not 总计
        key = "income_grand" if i.column("carryover") is not None or ctx.named("summary", "income_subtotal") is None \
            else "income_subtotal"
        row = ctx.named("summary", key)
        _mismatch(ctx, "X02", f"{table_name(s)} {squash(row.name) if row else '收入总计'}",
                  ctx.value("summary", key, "income_amount"), f"{table_name(i)} 合计", ctx.value("income", "total", "total"),
                  table=s, row=row, column="income_amount")
    if e is not None and e.rows:
        _mismatch(ctx, "X02", f"{table_name(s)} 本年支出合计",
                  ctx.value("summary", "expenditure_subtotal", "expenditure_amount"),
                  f"{table_name(e)} 合计", ctx.value("expenditure", "total", "total"),
                  table=s, row=ctx.named("summary", "expenditure_subtotal"), column="expenditure_amount")


@check("X03")
def income_vs_expenditure_codes(ctx: Context) -> None:
    """X03 without carry-over, 收入总表 and 支出总表 list the same codes with
    the same 合计."""
    i, e = ctx.table("income"), ctx.table("expenditure")
    if i is None or e is None or not i.rows or not e.rows:
        return
    if any(ctx.amount(r, "carryover") for r in i.rows):
        return
    if ctx.value("summary", "income_carry", "income_amount") or ctx.value("summary", "expenditure_carry", "expenditure_amount"):
        return  # carry-over in or out (a 决算's 年初/年末结转和结余): income and spending differ by it
    inc, exp = _by_code(i), _by_code(e)
    for code in sorted(set(inc) | set(exp), key=lambda c: (c[:3], c)):
        if code in inc and code in exp:
            _mismatch(ctx, "X03", f"{table_name(i)} {row_label(inc[code])} 合计", ctx.amount(inc[code], "total"),
                      f"{table_name(e)} 合计", ctx.amount(exp[code], "total"), table=i, row=inc[code], column="total")
        else:
            here, there, row = (i, e, inc[code]) if code in inc else (e, i, exp[code])
            ctx.report("X03", f"{table_name(here)} 列有科目 {row_label(row)}（合计 {fmt(ctx.amount(row, 'total'))}），"
                              f"{table_name(there)} 没有", table=here, row=row, column="total")


@check("X04")
def fiscal_income(ctx: Context) -> None:
    """X04 财政拨款收支总表 收入 = 收支总表 的三项财政拨款收入."""
    f, s = ctx.table("fiscal_summary"), ctx.table("summary")
    if f is None or s is None or not f.rows or not s.rows:
        return
    for key in ("general_budget", "gov_fund", "soe"):
        row = ctx.named("fiscal_summary", key)
        if row is None:
            continue
        _mismatch(ctx, "X04", f"{table_name(f)} {squash(row.name)}", ctx.amount(row, "income_amount"),
                  f"{table_name(s)} 对应收入", ctx.value("summary", key, "income_amount"),
                  table=f, row=row, column="income_amount")


@check("X05")
def fiscal_vs_general(ctx: Context) -> None:
    """X05 财政拨款收支总表 一般公共预算 column = 一般公共预算支出表 (by 类
    and in total)."""
    f, g = ctx.table("fiscal_summary"), ctx.table("general_expenditure")
    if f is None or g is None or not f.rows:
        return
    if f.column("general_budget") is None:
        ctx.cannot("X05", f"{table_name(f)} 没有按一般公共预算列示支出")
        return
    _compare_classes(ctx, "X05", f, "general_budget", g, "total")
    _mismatch(ctx, "X05", f"{table_name(f)} 本年支出合计 一般公共预算",
              ctx.value("fiscal_summary", "expenditure_subtotal", "general_budget"),
              f"{table_name(g)} 合计", ctx.value("general_expenditure", "total", "total"),
              table=f, row=ctx.named("fiscal_summary", "expenditure_subtotal"), column="general_budget")


@check("X06")
def general_basic_total(ctx: Context) -> None:
    """X06 一般公共预算支出表 基本支出 = 基本支出表 合计."""
    g, b = ctx.table("general_expenditure"), ctx.table("general_basic")
    if g is None or b is None:
        return
    if g.column("basic") is None:
        ctx.cannot("X06", f"{table_name(g)} 没有基本支出列")
        return
    total, label = ctx.value("general_basic", "total", "total"), "合计"
    if total is None and ctx.named("general_basic", "personnel_total") is not None:
        # the 决算 prints no 合计, only 人员经费合计 | 公用经费合计 side by side
        total = sum((ctx.value("general_basic", k, "total") or ZERO for k in ("personnel_total", "public_total")), ZERO)
        label = "人员经费合计 + 公用经费合计"
    if total is None:
        ctx.cannot("X06", f"{table_name(b)} 没有合计行")
        return
    _mismatch(ctx, "X06", f"{table_name(g)} 合计 基本支出", ctx.value("general_expenditure", "total", "basic"),
              f"{table_name(b)} {label}", total,
              table=g, row=ctx.named("general_expenditure", "total"), column="basic")


def _only_general_budget(ctx: Context) -> bool:
    """All income is general-budget appropriation (so tables 3 and 5 must agree)."""
    s = ctx.table("summary")
    if s is None:
        return False
    keys = [rd.key for rd in table_defs()["summary"].rows
            if rd.side == "income" and rd.key not in ("general_budget", "income_subtotal", "income_grand")]
    return all(not ctx.value("summary", k, "income_amount") for k in keys)


@check("X07")
def general_vs_expenditure(ctx: Context) -> None:
    """X07 一般公共预算支出表 = the general-budget part of 支出总表: equal
    when all income is general budget, never more otherwise."""
    g, e = ctx.table("general_expenditure"), ctx.table("expenditure")
    if g is None or e is None or not e.rows:
        return
    exact = _only_general_budget(ctx)
    gen, exp = _by_code(g), _by_code(e)
    for code in sorted(set(gen) | (set(exp) if exact else set()), key=lambda c: (c[:3], c)):
        for col in ("total", "basic", "project"):
            a = ctx.amount(gen[code], col) if code in gen else ZERO
            b = ctx.amount(exp[code], col) if code in exp else ZERO
            bad = not ctx.same(a, b) if exact else a - b > ctx.tolerance
            if bad:
                row = gen.get(code)
                relation = "≠" if exact else ">"
                ctx.report("X07", f"{table_name(g)} {code} {squash((row or exp[code]).name)} {squash(g.column(col).label)} "
                                  f"{fmt(a)} {relation} {table_name(e)} {fmt(b)}，相差 {fmt(a - b)}",
                           table=g, row=row, column=col, code=code, expected=b)


@check("X08")
def fund_tables(ctx: Context) -> None:
    """X08 政府性基金 / 国有资本经营 tables = the fiscal summary's columns."""
    f = ctx.table("fiscal_summary")
    if f is None or not f.rows:
        return
    for tid, col in (("fund_expenditure", "gov_fund"), ("soe_expenditure", "soe")):
        t = ctx.table(tid)
        if t is None or f.column(col) is None:
            continue
        _mismatch(ctx, "X08", f"{table_name(t)} 合计", ctx.value(tid, "total", "total"),
                  f"{table_name(f)} 本年支出合计 {squash(f.column(col).label)}",
                  ctx.value("fiscal_summary", "expenditure_subtotal", col),
                  table=t, row=ctx.named(tid, "total"), column="total")
        if t.rows:
            _compare_classes(ctx, "X08", f, col, t, "total")


@check("X09")
def three_public_vs_basic(ctx: Context) -> None:
    """X09 a 三公 item covers at least the basic-expenditure amount of its
    economic codes (the 三公 table also includes project spending)."""
    t, b = ctx.table("three_public"), ctx.table("general_basic")
    if t is None or b is None:
        return
    codes = _by_code(b)
    for rd in table_defs()["three_public"].rows:
        row = ctx.named("three_public", rd.key)
        if not rd.economic or row is None:
            continue
        # the 三公 table may print 万元 beside a basic table in 元: compare in 元
        basic = sum((ctx.amount(codes[c], "total") for c in rd.economic if c in codes), ZERO) * ctx.yuan(b)
        have = ctx.amount(row, "total") * ctx.yuan(t)
        if basic - have > ctx.tolerance:
            econ = "、".join(f"{c} {squash(codes[c].name)}" for c in rd.economic if c in codes)
            ctx.report("X09", f"{table_name(t)} {squash(row.name)} {fmt(have / ctx.yuan(t))}{ctx.d.unit_of(t)} 小于 "
                              f"{table_name(b)} {econ} {fmt(basic / ctx.yuan(b))}{ctx.d.unit_of(b)}，"
                              f"相差 {fmt((have - basic) / ctx.yuan(t))}{ctx.d.unit_of(t)}", table=t, row=row, column="total")


@check("X10")
def same_code_same_name(ctx: Context) -> None:
    """X10 a code carries one name in every table of its classification."""
    seen: dict[tuple[str, str], tuple[Table, Row]] = {}
    for t in ctx.d.tables.values():
        cls = ctx.definition(t).classification
        if not cls:
            continue
        for r in t.rows:
            if not r.code:
                continue
            first = seen.setdefault((cls, r.code), (t, r))
            if normalize_name(first[1].name) != normalize_name(r.name):
                ctx.report("X10", f"科目 {r.code} 在{table_name(t)}名为「{squash(r.name)}」，"
                                  f"在{table_name(first[0])}名为「{squash(first[1].name)}」", table=t, row=r,
                           expected=squash(first[1].name))


@check("X11")
def summary_fiscal_income(ctx: Context) -> None:
    """X11 收支总表 的财政拨款收入 = 收入总表 合计 财政拨款."""
    s, i = ctx.table("summary"), ctx.table("income")
    if s is None or i is None or not s.rows or not i.rows or i.column("fiscal") is None:
        return
    fiscal = sum((ctx.value("summary", k, "income_amount") or ZERO for k in ("general_budget", "gov_fund", "soe")), ZERO)
    _mismatch(ctx, "X11", f"{table_name(s)} 财政拨款收入（一般公共预算、政府性基金、国有资本经营）", fiscal,
              f"{table_name(i)} 合计 财政拨款收入", ctx.value("income", "total", "fiscal"),
              table=s, row=ctx.named("summary", "general_budget"), column="income_amount")
