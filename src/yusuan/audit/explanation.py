"""The explanation against the tables (rules T01–T10)."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from ..definitions import squash, table_defs
from ..explain.statements import (
    Statement,
    classify,
    extract,
    reason_words,
    statement_defs_for,
)
from ..explain.subjects import find_rows, heading_class, subject, subject_defs
from ..model import Row, Table
from .context import YUAN, ZERO, Cites, Context, fmt, table_name
from .registry import check


# the tables of one fund each: a 项 funded from several may be stated as their sum
_FUND_TABLES = ("general_expenditure", "fund_expenditure", "soe_expenditure",
                "final_general_expenditure", "final_fund", "final_soe")


def _in_wan(st: Statement) -> Decimal:
    """The stated amount in 万元, the unit every form's text uses."""
    return st.amount * YUAN[st.unit] / YUAN["万元"]


def _as_stated(value: Decimal, table_unit: str, st: Statement) -> Decimal:
    """A table's value in the statement's unit, at the precision the
    statement prints (a table in 元 against text in 万元 with two decimals)."""
    converted = value * YUAN[table_unit] / YUAN[st.unit]
    if table_unit == st.unit:
        return converted
    places = Decimal(1).scaleb(min(st.amount.as_tuple().exponent, 0))
    return converted.quantize(places)


class _Cell(NamedTuple):
    """A table value a statement is compared with: how the message names it,
    and the cell it comes from for the finding's `cites`."""

    value: Decimal | None
    name: str
    table: Table | None
    row: Row | None = None
    column: str | None = None

    def cites(self) -> Cites | None:
        return (self.table, self.row, self.column) if self.table is not None else None


def _resolve(ctx: Context, ref: str) -> _Cell:
    """A `table.row.column` reference: the value and how to name it; None
    when this form's table does not print that column or row (Jiangsu's
    basic-expenditure table has no 人员经费 column: the next ref adds the
    人员经费 codes instead). Row `code:301+303` sums those codes' rows."""
    table_id, row_key, column = ref.split(".")
    t = ctx.table(table_id)
    if t is None:
        # a form that prints the standard table differently (Jiangsu's 支出预算总表 by purpose)
        t = next((x for x in ctx.d.tables.values() if table_defs()[x.id].canonical == table_id), None)
        table_id = t.id if t is not None else table_id
    if t is None or t.column(column) is None:
        return _Cell(None, "", None)
    col = t.column(column)
    col_label = squash(col.label)
    if row_key.startswith("code:"):
        prefixes = row_key[5:].split("+")
        rows = [r for r in t.rows if r.code in prefixes]
        value = sum((ctx.amount(r, column) for r in rows), ZERO)
        name = "+".join(squash(r.name) for r in rows)
        # a sum has no one cell: its first row is cited, so a link lands where
        # the summed rows begin and the message names the others
        return _Cell(value, f"{table_name(t)} {'+'.join(prefixes)} {name} {col_label}", t,
                     rows[0] if rows else None, column)
    row = ctx.named(table_id, row_key)
    value = ctx.value(table_id, row_key, column)
    row_name = squash(row.name) if row is not None else "合计"
    # no row (an empty table counts as zero): the table and column are still cited
    return _Cell(value, f"{table_name(t)} {row_name} {col_label}", t, row, column)


def _first(ctx: Context, refs: tuple[str, ...]) -> _Cell:
    """The first ref this document's tables can answer."""
    for ref in refs:
        cell = _resolve(ctx, ref)
        if cell.value is not None:
            return cell
    return _Cell(None, "", None)


@check("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T15")
def stated_amounts(ctx: Context) -> None:
    """T01–T05, T07–T10: each understood amount against its table cell; T03
    and T06 the stated changes."""
    kind = ctx.d.kind
    defs = statement_defs_for(kind)
    # a section's kind may be printed as several sections (Jiangsu explains
    # each table under its own heading); each is read
    for section in [s for s in ctx.d.explanation.sections if s.key in defs]:
        key = section.key
        changes: dict[str, Statement] = {}
        l1: str | None = None
        last_paragraph = -1
        for st in extract(section):
            if st.paragraph != last_paragraph:
                for p in section.paragraphs[last_paragraph + 1 : st.paragraph + 1]:
                    l1 = heading_class(p.text) or l1
                last_paragraph = st.paragraph
            where = {"section": section, "paragraph": st.paragraph}
            if (sub := subject(st, l1)) is not None and _stated_subject(ctx, section, st, sub, where):
                continue
            spec = classify(key, st, kind)
            if spec is None:
                if st.amount:
                    ctx.report("T10", f"「{section.heading}」中「{st.clause()}」无法与表中数据核对", **where)
                continue
            if spec.ignore:
                continue
            if spec.change:
                changes.setdefault(spec.change, st)
                continue
            cell = _first(ctx, spec.refs)
            value, name, table = cell.value, cell.name, cell.table
            if value is None:
                # understood, but no table of this form holds it
                if st.amount:
                    ctx.report("T10", f"「{section.heading}」中「{st.clause()}」无法与表中数据核对", **where)
                continue
            stated = st.amount
            value = _as_stated(value, ctx.d.unit_of(table), st)
            if spec.relation == "at_least":
                if value - stated > ctx.tolerance:
                    ctx.report(spec.rule, f"「{section.heading}」称「{st.clause()}」，但{name}为 {fmt(value)}", **where,
                               cites=cell.cites(), expected=value)
            elif not ctx.same(stated, value):
                # a 决算's finding names what the clause speaks of (its label)
                ctx.report(spec.rule, f"「{section.heading}」称「{st.clause()}」，{name}为 {fmt(value)}，"
                                      f"相差 {fmt(stated - value)}", **where,
                           item=st.label if kind == "final_accounts" else None, cites=cell.cites(), expected=value)
        _changes_add_up(ctx, section, changes)
        _change_reason(ctx, section, changes.get("three_public"))


def _stated_subject(ctx: Context, section, st: Statement, sub, where: dict) -> bool:
    """A 科目 named by its levels against its row; False when no table has
    the row (the statement is then left to the others, or T10)."""
    defs = subject_defs()
    kind = ctx.d.kind
    # each table once (a 决算's table also answers to its budget counterpart's id), with its column
    columns: dict[str, str] = {}
    tables: list[Table] = []
    for tid, column in defs.tables_for(kind):
        t = ctx.table(tid)
        if t is not None and t.id not in columns:
            columns[t.id] = column
            tables.append(t)
    found = find_rows(sub, tables)
    if not found:
        return False
    values = [_as_stated(ctx.amount(r, columns[t.id]), ctx.d.unit_of(t), st) for t, r in found]
    # one 项 may be funded from several budgets (一般公共预算 and 基金): the text may give either or their sum
    fiscal = [v for (t, _), v in zip(found, values) if t.id in _FUND_TABLES]
    if any(ctx.same(st.amount, v) for v in values) or (len(fiscal) > 1 and ctx.same(st.amount, sum(fiscal, ZERO))):
        return True
    t, r = found[0]
    ctx.report(defs.rule_for(kind), f"「{section.heading}」称「{st.clause()}」，{table_name(t)} {r.code} {squash(r.name)} 为 "
                          f"{fmt(values[0])}，相差 {fmt(st.amount - values[0])}", code=r.code, item=squash(r.name), **where,
               cites=(t, r, columns[t.id]), expected=values[0])
    return True


def _changes_add_up(ctx: Context, section, changes: dict[str, Statement]) -> None:
    """T03 the change in total = change in basic + change in project."""
    total, basic, project = (changes.get(k) for k in ("total", "basic", "project"))
    if not (total and basic and project):
        return
    signed = {k: _in_wan(s) * s.direction for k, s in (("total", total), ("basic", basic), ("project", project))}
    if not ctx.same(signed["total"], signed["basic"] + signed["project"]):
        ctx.report("T03", f"「{section.heading}」比上年增减 {fmt(signed['total'])} ≠ 基本支出增减 {fmt(signed['basic'])} + "
                          f"项目支出增减 {fmt(signed['project'])}，相差 {fmt(signed['total'] - signed['basic'] - signed['project'])}",
                   section=section, paragraph=total.paragraph, expected=signed["basic"] + signed["project"])


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
