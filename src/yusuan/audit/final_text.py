"""The 决算's explanation against its own figures and the 决算 tables (T11–T19).

T11 shares (占X%) against their amount and the base they name; T12 the
completion rates (完成年初预算的X%); T13 the wording 大于/小于/持平; T14 the
reason a 决算数 differs from its 预算数; T15 the execution figures against
the tables (the other amounts: audit/explanation.py with data/statements.yaml);
T16 the 科目 the text names; T17 year-on-year rates; T18 parts against their
total; T19 the template's leftovers. Phrases are data (data/execution.yaml);
the statements are read by explain/execution.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from ..definitions import squash
from ..explain.execution import Execution, compile_pattern, execution_file, execution_items, in_wan, three_public_key
from ..model import Section, Table
from .context import ZERO, Cites, Context, fmt, table_name
from .explanation import _first
from .inspection import blank_template
from .registry import check

_HUNDRED = Decimal(100)
_ANY_AMOUNT = compile_pattern("{amount}")


def rate(part: Decimal, whole: Decimal, like: Decimal) -> Decimal:
    """part / whole in percent, rounded half up to the precision `like` is printed at."""
    places = Decimal(1).scaleb(min(like.as_tuple().exponent, 0))
    return (part / whole * _HUNDRED).quantize(places, rounding=ROUND_HALF_UP)


def pct(value: Decimal) -> str:
    return f"{value}%"


@cache
def _data() -> dict:
    f = execution_file()
    return {
        "share": compile_pattern(f["shares"]["share"]),
        "bases": [(re.compile(b["name"]), tuple(b["ref"])) for b in f["shares"]["bases"]],
        "default": {k: tuple(v) for k, v in f["shares"]["default"].items()},
        "share_sections": set(f["shares"]["sections"]),
        "change": compile_pattern(f["changes"]["change"]),
        "up": re.compile(f["changes"]["up"]),
        "change_sections": set(f["changes"]["sections"]),
        "sums": [(s["section"], compile_pattern(s["total"]), [compile_pattern(p) for p in s["parts"]])
                 for s in f["sums"]],
        "leftovers": [(re.compile(x["pattern"]), x["says"]) for x in f["leftovers"]["patterns"]],
        "leftover_sections": set(f["leftovers"]["sections"]),
        "roughly": Decimal(str(f["roughly"])),
        "general": f["general"],
        "three_public": f["three_public"],
    }


def _sections(ctx: Context, keys: Iterable[str]) -> list[Section]:
    keys = set(keys)
    return [s for s in ctx.d.explanation.sections if s.key in keys]


def _where(e: Execution) -> dict:
    out: dict = {"section": e.section, "paragraph": e.paragraph}
    if e.kind == "item":
        out["item"] = "".join(f"{n}（{m}）" for n, m in zip(e.names, "类款项") if n)
        if e.code:
            out["code"] = e.code
    elif e.kind == "three_public":
        out["item"] = e.names[0] if e.names else None
    else:
        out["item"] = _label(e.quote)
    return out


def _label(clause: str) -> str:
    """What a clause speaks of: its words before the first figure."""
    return re.split(r"(年初|全年|调整)?预算(数)?为|(支出)?决算(数)?为|\d", clause)[0].strip("，,：:") or clause


def _in_wan(ctx: Context, table: Table, value: Decimal) -> Decimal:
    return value * ctx.yuan(table) / Decimal(10000)


@check("T11", "T12", "T13", "T14", "T15", "T16", "T17", "T18", "T19")
def final_text(ctx: Context) -> None:
    if ctx.d.kind != "final_accounts":
        return
    items = execution_items(ctx.d)
    budgets = _table_budgets(ctx, items)
    for e in items:
        base = budgets.get(id(e))
        _completion(ctx, e, base)
        _wording(ctx, e, base)
        _reason(ctx, e, base)
        _against_table(ctx, e)
        _names(ctx, e)
    _item_sums(ctx, items)
    _stated_sums(ctx)
    _shares(ctx)
    _changes(ctx, items)
    _leftovers(ctx)


# -- execution: T12–T16 -----------------------------------------------------------
def _three_public_row(ctx: Context, key: str | None):
    table = ctx.table(_data()["three_public"]["table"])
    if table is None or key is None:
        return None, None
    return table, ctx.named(table.id, key)


def _table_budgets(ctx: Context, items: list[Execution]) -> dict[int, tuple[Decimal, str]]:
    """The 预算数 of the 三公 items that print none: the table's, with how to name it."""
    out = {}
    column = _data()["three_public"]["columns"]["budget"]
    for e in items:
        if e.kind == "three_public" and e.budget is None and e.full_budget is None:
            table, row = _three_public_row(ctx, e.key)
            if row is not None and row.amounts.get(column) is not None:
                out[id(e)] = (_in_wan(ctx, table, row.amounts[column]), f"{table_name(table)} {squash(row.name)} 预算数")
    return out


def _table_cell(ctx: Context, e: Execution, option: tuple[Decimal, str],
                base: tuple[Decimal, str] | None) -> Cites | None:
    """The 三公 table's 预算数 cell when the budget compared with is the
    table's (the sentence printing none), for the finding's `cites`."""
    if option is not base:
        return None
    table, row = _three_public_row(ctx, e.key)
    return (table, row, _data()["three_public"]["columns"]["budget"]) if table is not None else None


def _bases(e: Execution, base: tuple[Decimal, str] | None, named: str | None) -> list[tuple[Decimal, str]]:
    """The budgets a percent or a comparison may be against: the one it names,
    else any the sentence prints (else the table's)."""
    printed = {"budget": (e.budget, "年初预算"), "full": (e.full_budget, "全年预算")}
    if named is not None:
        value, label = printed[named]
        return [(value, label)] if value is not None else []
    out = [(v, label) for v, label in printed.values() if v is not None]
    if not out and base is not None:
        out = [base]
    return out


def _completion(ctx: Context, e: Execution, base) -> None:
    """T12 完成…预算的Z% = 决算 / 预算 at the printed precision; none against a budget of 0."""
    if e.percent is None or e.actual is None:
        return
    options = _bases(e, base, e.percent_basis)
    if not options:
        return
    if any(v != 0 and rate(e.actual, v, e.percent) == e.percent for v, _ in options):
        return
    value, label = options[0]
    if value == 0:
        if e.actual == 0 and e.percent == 0:
            return  # nothing spent of nothing: no rate claimed
        other = [f"{pct(e.percent)}是决算数 {fmt(e.actual)} / {lab} {fmt(v)}" for v, lab in _bases(e, base, None)
                 if v and rate(e.actual, v, e.percent) == e.percent]
        hint = f"（{other[0]}）" if other else ""
        ctx.report("T12", f"「{e.section.heading}」称「{e.quote}」，但{label}为 0，完成率无从计算{hint}", **_where(e),
                   cites=_table_cell(ctx, e, options[0], base))
        return
    ctx.report("T12", f"「{e.section.heading}」称「{e.quote}」，决算数 {fmt(e.actual)} / {label} {fmt(value)} = "
                      f"{pct(rate(e.actual, value, e.percent))}，而非 {pct(e.percent)}", **_where(e),
               cites=_table_cell(ctx, e, options[0], base), expected=pct(rate(e.actual, value, e.percent)))


def _wording(ctx: Context, e: Execution, base) -> None:
    """T13 大于/小于 as the figures are; 持平 only when equal, 基本持平 within the data's margin."""
    if e.relation is None or e.actual is None:
        return
    options = _bases(e, base, e.wording_basis)
    if not options:
        return
    roughly = _data()["roughly"]

    def fits(v: Decimal) -> bool:
        if e.relation == "more":
            return e.actual > v
        if e.relation == "less":
            return e.actual < v
        if e.relation == "equal":
            return e.actual == v
        return e.actual == v or (v != 0 and abs(e.actual / v * _HUNDRED - _HUNDRED) <= roughly)

    if any(fits(v) for v, _ in options):
        return
    value, label = options[0]
    ctx.report("T13", f"「{e.section.heading}」称「{e.wording}」，但{label}为 {fmt(value)}，决算数为 {fmt(e.actual)}"
                      f"（{e.quote}）", **_where(e), cites=_table_cell(ctx, e, options[0], base))


def _reason(ctx: Context, e: Execution, base) -> None:
    """T14 a 决算数 that differs from every budget printed needs its reason, and
    a 主要原因 clause needs words (the 三公 items share the total's)."""
    if e.actual is None or (e.kind == "three_public" and e.key != "subtotal"):
        return
    options = _bases(e, base, None)
    if not options or any(e.actual == v for v, _ in options) or e.relation in ("equal", "roughly"):
        return
    if e.reason is None:
        ctx.report("T14", f"「{e.section.heading}」中「{e.quote}」，决算数与预算数不同，未说明原因", **_where(e))
    elif not squash(e.reason).strip("：:，,；;。.、“”\"（）()"):
        ctx.report("T14", f"「{e.section.heading}」中「{e.quote}」的「{e.wording or ''}的主要原因」为空", **_where(e))


def _against_table(ctx: Context, e: Execution) -> None:
    """T15 the figures against the 一般公共预算财政拨款支出决算表 (its 项 row or
    its 合计) or the 三公 table (预算数 and 决算数 of the item)."""
    if e.kind == "three_public":
        spec = _data()["three_public"]
        table, row = _three_public_row(ctx, e.key)
    else:
        spec = _data()["general"]
        table = ctx.table(spec["table"])
        if table is None:
            return
        if e.kind == "item":
            row = next((r for r in table.rows if e.code and r.code == e.code), None)
        else:
            row = ctx.named(table.id, "total")
    if table is None or row is None:
        return
    for figure, column in spec["columns"].items():
        stated = {"budget": e.budget, "full": e.full_budget, "actual": e.actual}[figure]
        if stated is None or table.column(column) is None:
            continue
        value = _in_wan(ctx, table, ctx.amount(row, column))
        if ctx.same(stated, value):
            continue
        col = squash(table.column(column).label)
        what = {"budget": "年初预算", "full": "全年预算", "actual": "决算数"}[figure]
        where = _where(e)
        where.setdefault("code", row.code)
        ctx.report("T15", f"「{e.section.heading}」称「{e.quote}」，{what} {fmt(stated)}；{table_name(table)} "
                          f"{' '.join(p for p in (row.code, squash(row.name)) if p)} {col}为 {fmt(value)}，"
                          f"相差 {fmt(stated - value)}", **where, cites=(table, row, column), expected=value)


def _names(ctx: Context, e: Execution) -> None:
    """T16 the 科目 of an item as the table prints it."""
    if e.kind != "item":
        return
    table = ctx.table(_data()["general"]["table"])
    if table is None:
        return
    printed = "".join(f"{n}（{m}）" for n, m in zip(e.names, "类款项") if n)
    if e.code is None:
        ctx.report("T16", f"「{e.section.heading}」列出的「{printed}」在{table_name(table)}中找不到", **_where(e))
    elif not e.exact_names:
        named = "".join(f"{n}（{m}）" for n, m in zip(e.table_names, "类款项") if n)
        ctx.report("T16", f"「{e.section.heading}」列出的「{printed}」，{table_name(table)} {e.code} 为「{named}」",
                   **_where(e), expected=named)


# -- T18 parts and totals ---------------------------------------------------------------
def _item_sums(ctx: Context, items: list[Execution]) -> None:
    """The 项 items' figures add up to the section total's, and the 三公
    items' 决算 to the 三公 total's, when every item prints the figure."""
    groups: list[tuple[Execution, list[Execution]]] = []
    for total in (e for e in items if e.kind == "total"):
        groups.append((total, [e for e in items if e.kind == "item" and e.section is total.section]))
    parts = set(_data()["three_public"]["parts"])
    for total in (e for e in items if e.kind == "three_public" and e.key == "subtotal"):
        groups.append((total, [e for e in items if e.kind == "three_public" and e.section is total.section
                               and e.paragraph == total.paragraph and e.key in parts]))
    for total, members in groups:
        if not members:
            continue
        for figure, label in (("actual", "决算数"), ("budget", "年初预算"), ("full", "全年预算")):
            stated = getattr(total, figure if figure != "full" else "full_budget")
            values = [getattr(m, figure if figure != "full" else "full_budget") for m in members]
            if stated is None or any(v is None for v in values):
                continue
            added = sum(values, ZERO)
            if not ctx.same(stated, added):
                ctx.report("T18", f"「{total.section.heading}」称「{total.quote}」，其下 {len(members)} 项的{label}之和为 "
                                  f"{fmt(added)}，相差 {fmt(stated - added)}",
                           section=total.section, paragraph=total.paragraph, item=_label(total.quote),
                           expected=added)


def _stated_sums(ctx: Context) -> None:
    """Sums a paragraph states (data: execution.yaml `sums`)."""
    for key, total_pattern, part_patterns in _data()["sums"]:
        for section in _sections(ctx, [key]):
            for index, p in enumerate(section.paragraphs):
                text = squash(p.text)
                tm = total_pattern.search(text)
                if not tm:
                    continue
                found = [pp.search(text, tm.end()) for pp in part_patterns]
                if not all(found):
                    continue
                total, added = in_wan(tm), sum((in_wan(m) for m in found), ZERO)
                if not ctx.same(total, added):
                    shown = " + ".join(m.group(0) for m in found)
                    ctx.report("T18", f"「{section.heading}」称「{tm.group(0)}」，但 {shown} = {fmt(added)}，"
                                      f"相差 {fmt(total - added)}", section=section, paragraph=index,
                               item=_label(tm.group(0)), expected=added)


# -- T11 shares ---------------------------------------------------------------------
def _shares(ctx: Context) -> None:
    data = _data()
    for section in _sections(ctx, data["share_sections"]):
        for index, p in enumerate(section.paragraphs):
            text = squash(p.text)
            shares = list(data["share"].finditer(text))
            if not shares:
                continue
            amounts = list(_ANY_AMOUNT.finditer(text))
            shared = {id(a) for a in amounts for s in shares if _joined(text, a, s)}
            for s in shares:
                part = next((a for a in reversed(amounts) if _joined(text, a, s)), None)
                if part is None:
                    continue
                whole, named, cites = _share_base(ctx, section, text, s, part, amounts, shared)
                if whole is None or whole == 0:
                    continue
                printed = Decimal(s.group("n"))
                expected = rate(in_wan(part), whole, printed)
                if expected == printed:
                    continue
                clause = text[max(text.rfind("；", 0, part.start()), text.rfind("，", 0, part.start() - 12), 0):s.end()]
                ctx.report("T11", f"「{section.heading}」称「{clause.lstrip('，；')}」，{fmt(in_wan(part))} / {named} "
                                  f"{fmt(whole)} = {pct(expected)}", section=section, paragraph=index,
                           item=_label(text[max(text.rfind(c, 0, part.start()) for c in "，,：:；;。") + 1:part.start()]),
                           cites=cites, expected=pct(expected))


def _joined(text: str, amount: re.Match, share: re.Match) -> bool:
    """The share speaks of this amount: printed right after it."""
    return amount.end() <= share.start() and text[amount.end():share.start()] in ("", "，", ",")


def _share_base(ctx: Context, section: Section, text: str, share: re.Match, part: re.Match,
                amounts: list[re.Match], shared: set[int]) -> tuple[Decimal | None, str, Cites | None]:
    """The whole a share is of: the base it names (a table's figure), else the
    sentence's lead amount, else the section's default; with the table cell
    it comes from, for the finding's `cites` (none for the sentence's own)."""
    data = _data()
    base = share.group("base")
    if base:
        refs = next((refs for pat, refs in data["bases"] if pat.search(base)), None)
        if refs is None:
            return None, "", None
        cell = _first(ctx, refs)
        return (_in_wan(ctx, cell.table, cell.value), base, cell.cites()) if cell.value is not None else (None, "", None)
    sentence_start = text.rfind("。", 0, part.start()) + 1
    lead = next((a for a in amounts if sentence_start <= a.start() < part.start() and id(a) not in shared), None)
    if lead is not None:
        label = text[max(text.rfind(c, sentence_start, lead.start()) for c in "，,：:；;") + 1:lead.start()]
        return in_wan(lead), label or "总额", None
    refs = data["default"].get(section.key or "")
    if refs:
        cell = _first(ctx, refs)
        if cell.value is not None:
            return _in_wan(ctx, cell.table, cell.value), cell.name, cell.cites()
    return None, "", None


# -- T17 year-on-year -------------------------------------------------------------------
def _changes(ctx: Context, items: list[Execution]) -> None:
    data = _data()
    three = {e.key: e for e in items if e.kind == "three_public"}
    for section in _sections(ctx, data["change_sections"]):
        three_public = section.key in execution_file()["three_public"]["sections"]
        for index, p in enumerate(section.paragraphs):
            text = squash(p.text)
            changes = list(data["change"].finditer(text))
            if not changes:
                continue
            change_spans = [(m.start(), m.end()) for m in changes]
            for m in changes:
                up1, up2 = bool(data["up"].fullmatch(m.group("dir"))), bool(data["up"].fullmatch(m.group("dir2")))
                quote = m.group(0)
                if up1 != up2:
                    ctx.report("T17", f"「{section.heading}」称「{quote}」，增减方向前后矛盾", section=section, paragraph=index)
                    continue
                if not m.group("sign"):
                    continue  # a rate without its % sign: T19
                change = in_wan(m)
                current = _current(ctx, text, m, change_spans, three if three_public else None)
                if current is None:
                    continue
                previous = current - change if up1 else current + change
                if previous <= 0:
                    continue  # a rate against nothing (a new department): not checked
                printed = Decimal(m.group("n"))
                expected = rate(change, previous, printed)
                if expected != printed:
                    ctx.report("T17", f"「{section.heading}」称「{quote}」，本年 {fmt(current)}、上年 {fmt(previous)}，"
                                      f"增减幅度为 {pct(expected)}", section=section, paragraph=index,
                               expected=pct(expected))


def _current(ctx: Context, text: str, m: re.Match, change_spans, three: dict | None) -> Decimal | None:
    """This year's figure a change is of: (三公) the 决算 of the item the clause
    names, else the paragraph's first amount before the change that is not itself a change."""
    if three is not None:
        start = max(text.rfind(c, 0, m.start()) for c in "。；;，,") + 1
        key = three_public_key(text[start:m.start()])
        if key is not None:
            e = three.get(key)
            if e is not None and e.actual is not None:
                return e.actual
            table, row = _three_public_row(ctx, key)
            if row is not None and row.amounts.get("total") is not None:
                return _in_wan(ctx, table, row.amounts["total"])
        return None
    before = [a for a in _ANY_AMOUNT.finditer(text, 0, m.start())
              if not any(s <= a.start() < e for s, e in change_spans)]
    return in_wan(before[0]) if before else None


# -- T19 leftovers ----------------------------------------------------------------------
def _leftovers(ctx: Context) -> None:
    if (why := blank_template(ctx.d)) is not None:
        ctx.cannot("T19", why)  # the blank form is all instructions: nothing is left over
        return
    data = _data()
    for section in _sections(ctx, data["leftover_sections"]):
        for index, p in enumerate(section.paragraphs):
            text = squash(p.text)
            for pattern, says in data["leftovers"]:
                for m in pattern.finditer(text):
                    excerpt = text[max(0, m.start() - 12):m.end() + 2]
                    ctx.report("T19", f"「{section.heading}」中「{excerpt}」：{says}", section=section, paragraph=index)
