"""Sums inside one table (rules A01–A08)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..definitions import levels, squash
from ..model import Row, Table
from .context import ZERO, Context, fmt, index_of, numbered, row_label, table_name
from .registry import check


def _diff(a: Decimal, b: Decimal) -> str:
    return fmt(a - b)


@check("A01", "A02")
def hierarchy(ctx: Context) -> None:
    """A01 类 = Σ 款, 款 = Σ 项; A02 合计 = Σ top-level codes."""
    for t in ctx.d.tables.values():
        tdef = ctx.definition(t)
        if not tdef.classification or not t.rows:
            continue
        lengths = sorted(levels(tdef.classification))
        coded = [r for r in t.rows if r.code]
        columns = ctx.amount_columns(t)
        # One pass files each row under its parent's code (its prefix one
        # level up); scanning every row for each parent's children made the
        # check grow with the square of the table.
        parent_len = dict(zip(lengths[1:], lengths))
        children_of: dict[str, list[Row]] = {}
        for r in coded:
            up = parent_len.get(len(r.code))
            if up is not None:
                children_of.setdefault(r.code[:up], []).append(r)
        for parent in coded:
            n = len(parent.code)
            if n not in parent_len.values():
                continue
            children = children_of.get(parent.code)
            if children:
                _compare_sum(ctx, "A01", t, parent, children, columns, "下级科目之和")
        total = ctx.named(t.id, "total") if tdef.rows else None
        present = [len(r.code) for r in coded if len(r.code) in lengths]
        if total is not None and present:
            # Taken once: inside the comprehension it was recomputed per row.
            shortest = min(present)
            top = [r for r in coded if len(r.code) == shortest]
            _compare_sum(ctx, "A02", t, total, top, columns, "各类之和")


def _compare_sum(ctx: Context, rule: str, t: Table, parent: Row, children: list[Row], columns: list[str], what: str) -> None:
    for col in columns:
        want = ctx.amount(parent, col)
        got = sum((ctx.amount(c, col) for c in children), ZERO)
        if not ctx.same(want, got):
            label = t.column(col).label if t.column(col) else col
            ctx.report(
                rule,
                f"{table_name(t)} {row_label(parent)} {squash(label)} {fmt(want)} ≠ {what} {fmt(got)}，相差 {_diff(want, got)}",
                table=t, row=parent, column=col, expected=got,
            )


@check("A03")
def row_identities(ctx: Context) -> None:
    """A03 each row: total = its parts, per the table's identities."""
    for t in ctx.d.all_tables():
        tdef = ctx.definition(t)
        for total, parts in tdef.identities_for({c.key for c in t.columns}):
            side = t.column(total).side
            for r in t.rows:
                if side is not None and r.side != side:
                    continue
                if all(r.amounts.get(k) is None for k in (total, *parts)):
                    continue
                want = ctx.amount(r, total)
                got = sum((ctx.amount(r, p) for p in parts), ZERO)
                if not ctx.same(want, got):
                    names = " + ".join(squash(t.column(p).label) for p in parts if r.amounts.get(p) is not None) or "各栏"
                    ctx.report(
                        "A03",
                        f"{table_name(t)} {row_label(r)} {squash(t.column(total).label)} {fmt(want)} ≠ "
                        f"{names} {fmt(got)}，相差 {_diff(want, got)}",
                        table=t, row=r, column=total, expected=got,
                    )


@check("A04")
def two_sided_totals(ctx: Context) -> None:
    """A04 本年收入合计 = Σ items; 总计 = 合计 + 结转; 收入总计 = 支出总计."""
    for tid in ("summary", "fiscal_summary"):
        t = ctx.table(tid)
        if t is None or not t.rows:
            continue
        grands = {}
        for side in ("income", "expenditure"):
            subtotal = ctx.named(tid, f"{side}_subtotal")
            carry = ctx.named(tid, f"{side}_carry")
            grand = ctx.named(tid, f"{side}_grand")
            rows = [r for r in t.rows if r.side == side]
            columns = ctx.amount_columns(t, side)
            if subtotal is not None and all(v is None for v in subtotal.amounts.values()):
                subtotal = None  # its label is printed, its amount on another side (Jiangsu's 支出用途)
            if grand is not None and all(v is None for v in grand.amounts.values()):
                grand = None
            if subtotal is not None:
                items = [r for r in rows[: index_of(rows, subtotal)] if numbered(r.name)]
                _compare_sum(ctx, "A04", t, subtotal, items, columns, "各项之和")
            carry_parts: list[Row] = []
            if carry is not None:
                after = rows[index_of(rows, carry) + 1 : index_of(rows, grand)]
                carry_parts = [r for r in after if numbered(r.name)]
                if any(r.amounts.get(c) is not None for r in carry_parts for c in columns):
                    _compare_sum(ctx, "A04", t, carry, carry_parts, columns, "各项之和")
            if grand is not None and subtotal is not None:
                # a 决算 adds 使用非财政拨款结余 / 结余分配 between the year's total and the carry-over
                reserve = ctx.named(tid, f"{side}_reserve")
                parts = [subtotal] + [r for r in (reserve, carry) if r is not None]
                _compare_sum(ctx, "A04", t, grand, parts, columns, f"{squash(subtotal.name)}与结转之和")
            grands[side] = grand
        inc, exp = grands.get("income"), grands.get("expenditure")
        if inc is not None and exp is not None:
            a = ctx.amount(inc, ctx.amount_columns(t, "income")[0])
            exp_col = ctx.amount_columns(t, "expenditure")[0]
            b = ctx.amount(exp, exp_col)
            if not ctx.same(a, b):
                ctx.report("A04", f"{table_name(t)} 收入总计 {fmt(a)} ≠ 支出总计 {fmt(b)}，相差 {_diff(a, b)}",
                           table=t, row=inc, expected=b)


@check("A05")
def named_sums(ctx: Context) -> None:
    """A05 sums between named rows (the 三公 table's 小计 and items)."""
    for t in ctx.d.all_tables():
        tdef = ctx.definition(t)
        for ident in tdef.sums:
            total = ctx.named(t.id, ident.total)
            parts = [ctx.named(t.id, p) for p in ident.parts]
            if total is None or any(p is None for k, p in zip(ident.parts, parts) if k not in ident.optional):
                continue
            parts = [p for p in parts if p is not None]
            for col in ctx.amount_columns(t):
                want = ctx.amount(total, col)
                got = sum((ctx.amount(p, col) for p in parts), ZERO)
                if not ctx.same(want, got):
                    names = " + ".join(squash(p.name) for p in parts)
                    ctx.report("A05", f"{table_name(t)} {squash(total.name)} {squash(t.column(col).label)} {fmt(want)} ≠ "
                                      f"{names} {fmt(got)}，相差 {_diff(want, got)}", table=t, row=total, column=col,
                               expected=got)


_CATEGORY = re.compile(r"^[一二三四五六七八九十]+、")


def _procurement_groups(ctx: Context, t: Table) -> tuple[Row | None, list[tuple[Row | None, list[Row]]]]:
    """The 合计 row and the (小计 row, its item rows) groups, in order."""
    total = ctx.named("procurement", "total")
    sub_def = ctx.definition(t).row_def("subtotal")
    groups: list[tuple[Row | None, list[Row]]] = []
    for r in t.rows:
        if r is total:
            continue
        if sub_def.match.search(squash(r.name)):
            groups.append((r, []))
        else:
            if not groups:
                groups.append((None, []))
            groups[-1][1].append(r)
    return total, groups


@check("A06")
def procurement_sums(ctx: Context) -> None:
    """A06 小计 = Σ its items; 合计 = Σ 小计 (or Σ items)."""
    t = ctx.d.procurement
    if t is None or not t.rows:
        return
    columns = ctx.amount_columns(t, additive_only=True)
    total, groups = _procurement_groups(ctx, t)
    for sub, items in groups:
        if sub is not None and items:
            _compare_sum(ctx, "A06", t, sub, items, columns, "明细之和")
    categories = [r for r in t.rows if r is not total and _CATEGORY.match(squash(r.name))]
    if total is not None and categories:
        # grouped by 品目大类 (一、货物 / 二、工程 / 三、服务): the total is their sum
        _compare_sum(ctx, "A06", t, total, categories, columns, "各品目大类之和")
        return
    if total is not None:
        subs = [s for s, _ in groups if s is not None]
        parts = subs if subs else [r for _, items in groups for r in items]
        _compare_sum(ctx, "A06", t, total, parts, columns, "小计之和" if subs else "明细之和")


@check("A07")
def quantity_times_price(ctx: Context) -> None:
    """A07 数量 × 单价 ≈ 合计, within the rounding of the printed unit price
    and of the printed amount."""
    t = ctx.d.procurement
    if t is None:
        return
    for r in t.rows:
        q, p, a = r.amounts.get("quantity"), r.amounts.get("unit_price"), r.amounts.get("total")
        if q is None or p is None or a is None:
            continue
        half_p = Decimal(5).scaleb(p.as_tuple().exponent - 1)
        half_a = Decimal(5).scaleb(a.as_tuple().exponent - 1)
        low = q * (p - half_p) - half_a - ctx.tolerance
        high = q * (p + half_p) + half_a + ctx.tolerance
        if not (low <= a <= high):
            ctx.report("A07", f"政府采购 {squash(r.name)} 数量 {q} × 单价 {fmt(p)} = {fmt(q * p)}，"
                              f"与金额 {fmt(a)} 不符（按单价的舍入，应在 {fmt(max(low, ZERO))}–{fmt(high)} 之间）",
                       table=t, row=r, column="total", expected=q * p)


@check("A08")
def asset_total(ctx: Context) -> None:
    """A08 资产总额 = Σ numbered items (其中 rows are inside their item)."""
    t = ctx.d.assets
    if t is None or not t.rows:
        return
    total = ctx.named("assets", "total")
    item_def = ctx.definition(t).row_def("item")
    items = [r for r in t.rows if r is not total and item_def.match.search(squash(r.name))]
    if total is not None and items:
        _compare_sum(ctx, "A08", t, total, items, ["value"], "各项之和")
