"""The explanation against the tables (rules T01–T10)."""

from __future__ import annotations

from decimal import Decimal

from ..definitions import squash
from ..explain.statements import (
    Statement,
    classify,
    extract,
    reason_words,
    statement_defs,
)
from .context import ZERO, Context, fmt, table_name
from .registry import check


_YUAN = {"元": Decimal(1), "万元": Decimal(10000)}


def _in_wan(st: Statement) -> Decimal:
    """The stated amount in 万元, the unit every form's text uses."""
    return st.amount * _YUAN[st.unit] / _YUAN["万元"]


def _as_stated(value: Decimal, table_unit: str, st: Statement) -> Decimal:
    """A table's value in the statement's unit, at the precision the
    statement prints (a table in 元 against text in 万元 with two decimals)."""
    converted = value * _YUAN[table_unit] / _YUAN[st.unit]
    if table_unit == st.unit:
        return converted
    places = Decimal(1).scaleb(min(st.amount.as_tuple().exponent, 0))
    return converted.quantize(places)


def _resolve(ctx: Context, ref: str) -> tuple[Decimal | None, str]:
    """A `table.row.column` reference: the value and how to name it."""
    table_id, row_key, column = ref.split(".")
    t = ctx.table(table_id)
    if t is None:
        return None, ""
    col = t.column(column)
    col_label = squash(col.label) if col else column
    if row_key.startswith("code:"):
        prefix = row_key[5:]
        rows = [r for r in t.rows if r.code == prefix]
        value = sum((ctx.amount(r, column) for r in rows), ZERO)
        name = squash(rows[0].name) if rows else ""
        return value, f"{table_name(t)} {prefix} {name} {col_label}"
    row = ctx.named(table_id, row_key)
    value = ctx.value(table_id, row_key, column)
    row_name = squash(row.name) if row is not None else "合计"
    return value, f"{table_name(t)} {row_name} {col_label}"


@check("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10")
def stated_amounts(ctx: Context) -> None:
    """T01–T05, T07–T10: each understood amount against its table cell; T03
    and T06 the stated changes."""
    for key in statement_defs():
        section = ctx.d.explanation.section(key)
        if section is None:
            continue
        changes: dict[str, Statement] = {}
        for st in extract(section):
            spec = classify(key, st)
            where = {"section": section, "paragraph": st.paragraph}
            if spec is None:
                if st.amount:
                    ctx.report("T10", f"「{section.heading}」中「{st.clause()}」无法与表中数据核对", **where)
                continue
            if spec.ignore:
                continue
            if spec.change:
                changes.setdefault(spec.change, st)
                continue
            value, name = _resolve(ctx, spec.ref)
            if value is None:
                continue
            table = ctx.table(spec.ref.split(".")[0])
            stated = st.amount
            value = _as_stated(value, ctx.d.unit_of(table), st)
            if spec.relation == "at_least":
                if value - stated > ctx.tolerance:
                    ctx.report(spec.rule, f"「{section.heading}」称「{st.clause()}」，但{name}为 {fmt(value)}", **where)
            elif not ctx.same(stated, value):
                ctx.report(spec.rule, f"「{section.heading}」称「{st.clause()}」，{name}为 {fmt(value)}，"
                                      f"相差 {fmt(stated - value)}", **where)
        _changes_add_up(ctx, section, changes)
        _change_reason(ctx, section, changes.get("three_public"))


def _changes_add_up(ctx: Context, section, changes: dict[str, Statement]) -> None:
    """T03 the change in total = change in basic + change in project."""
    total, basic, project = (changes.get(k) for k in ("total", "basic", "project"))
    if not (total and basic and project):
        return
    signed = {k: _in_wan(s) * s.direction for k, s in (("total", total), ("basic", basic), ("project", project))}
    if not ctx.same(signed["total"], signed["basic"] + signed["project"]):
        ctx.report("T03", f"「{section.heading}」比上年增减 {fmt(signed['total'])} ≠ 基本支出增减 {fmt(signed['basic'])} + "
                          f"项目支出增减 {fmt(signed['project'])}，相差 {fmt(signed['total'] - signed['basic'] - signed['project'])}",
                   section=section, paragraph=total.paragraph)


def _change_reason(ctx: Context, section, st: Statement | None) -> None:
    """T06 a stated increase explained by savings, or a decrease by new
    spending (and "增加0万元", which states no change as a direction)."""
    if st is None or st.direction == 0:
        return
    reason = st.text[st.end:]
    words = reason_words()
    down, up = words["down"].search(reason), words["up"].search(reason)
    if st.direction > 0 and down and not up:
        clash = f"原因却是「{down.group(0)}」"
    elif st.direction < 0 and up and not down:
        clash = f"原因却是「{up.group(0)}」"
    else:
        return
    zero = "；且增减额为 0 时应写“持平”" if st.amount == 0 else ""
    excerpt = squash(reason).lstrip("，,。；;")[:60]
    ctx.report("T06", f"「{section.heading}」称「{st.clause()}」，{clash}{zero}（{excerpt}）",
               section=section, paragraph=st.paragraph)
