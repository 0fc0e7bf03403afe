"""Project performance targets (rules P01–P08)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from ..data_files import data_file

from ..definitions import squash
from ..model import Project
from .context import ZERO, Context, fmt
from .registry import check

_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|元)")
_AT_MOST = re.compile(r"^(≤|<=|＜|<|不高于|不超过|低于)")
_AT_LEAST = re.compile(r"^(≥|>=|＞|>|不低于|高于|大于)")


@cache
def _params() -> dict:
    return data_file("indicators.yaml")


def _where(p: Project) -> dict:
    return {"project": p.name, "source": p.source}


@check("P01")
def spending_plan(ctx: Context) -> None:
    """P01 the quarterly plan never falls and ends at 100 %."""
    for p in ctx.d.projects:
        if not p.plan:
            continue
        values = []
        for point in p.plan:
            m = _PERCENT.search(point.value)
            values.append(Decimal(m.group(1)) if m else None)
        if None in values:
            bad = next(pt for pt, v in zip(p.plan, values) if v is None)
            ctx.report("P01", f"项目「{p.name}」资金支出计划「{bad.label}」为「{bad.value}」，不是百分比", **_where(p))
            continue
        fall = next((i for i in range(1, len(values)) if values[i] < values[i - 1]), None)
        if fall is not None:
            a, b = p.plan[fall - 1], p.plan[fall]
            ctx.report("P01", f"项目「{p.name}」资金支出计划由{a.label} {a.value} 降到{b.label} {b.value}", **_where(p))
        if values[-1] != 100:
            ctx.report("P01", f"项目「{p.name}」资金支出计划截至{p.plan[-1].label}为 {p.plan[-1].value}，未达到 100%",
                       **_where(p))


@check("P02", "P05")
def indicator_levels(ctx: Context) -> None:
    """P02 output, effect and satisfaction indicators are all there;
    P05 an indicator under the wrong level."""
    params = _params()
    sat_level = re.compile(params["satisfaction_level"])
    sat_name = re.compile(params["satisfaction_indicator"])
    for p in ctx.d.projects:
        if not p.indicators:
            continue
        level1 = {squash(i.level1) for i in p.indicators}
        for name, key in params["required_level1"].items():
            if not any(key in l1 for l1 in level1):
                ctx.report("P02", f"项目「{p.name}」没有{name}", **_where(p))
        for ind in p.indicators:
            name = squash(ind.level3)
            in_sat = bool(sat_level.search(squash(ind.level1)))
            is_sat = bool(sat_name.search(name))
            if in_sat and not is_sat:
                ctx.report("P05", f"项目「{p.name}」的「{name}」不是满意度指标，却列在{squash(ind.level1)}下",
                           project=p.name, source=ind.source or p.source)
            elif is_sat and not in_sat:
                ctx.report("P05", f"项目「{p.name}」的满意度指标「{name}」列在{squash(ind.level1)}下",
                           project=p.name, source=ind.source or p.source)


def _money(text: str) -> Decimal | None:
    m = _MONEY.search(text)
    if not m:
        return None
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:
        return None
    return value / 10000 if m.group(2) == "元" else value


@check("P03")
def cost_targets(ctx: Context) -> None:
    """P03 a cost target in money is within the project's 预算数."""
    cost = re.compile(_params()["cost_level2"])
    for p in ctx.d.projects:
        if p.budget is None:
            continue
        for ind in p.indicators:
            if not cost.search(squash(ind.level2)):
                continue
            amount = _money(squash(ind.target))
            if amount is not None and amount - p.budget > ctx.tolerance:
                ctx.report("P03", f"项目「{p.name}」成本指标「{squash(ind.level3)}」目标 {ind.target} 超过项目预算数 "
                                  f"{fmt(p.budget)} 万元，相差 {fmt(amount - p.budget)}", project=p.name,
                           source=ind.source or p.source)


@check("P04")
def directions(ctx: Context) -> None:
    """P04 "≤" on an indicator where more is better, "≥" where less is."""
    params = _params()
    higher = re.compile(params["higher_is_better"])
    lower = re.compile(params["lower_is_better"])
    for p in ctx.d.projects:
        for ind in p.indicators:
            name, target = squash(ind.level3), squash(ind.target)
            if lower.search(name) and _AT_LEAST.match(target):
                why = "越低越好，目标却是下限"
            elif higher.search(name) and not lower.search(name) and _AT_MOST.match(target):
                why = "越高越好，目标却是上限"
            else:
                continue
            ctx.report("P04", f"项目「{p.name}」指标「{name}」{why}：{ind.target}", project=p.name, source=ind.source or p.source)


@check("P06", "P07", "P08")
def project_amounts(ctx: Context) -> None:
    """P06 Σ project 预算数 = 项目支出 when every project has one (P07 info
    when some have none); P08 预算数 = 财政资金 + 其他资金."""
    projects = ctx.d.projects
    if not projects:
        return
    for p in projects:
        if p.budget is not None and (p.fiscal is not None or p.other is not None):
            parts = (p.fiscal or ZERO) + (p.other or ZERO)
            if not ctx.same(p.budget, parts):
                ctx.report("P08", f"项目「{p.name}」预算数 {fmt(p.budget)} ≠ 财政资金 {fmt(p.fiscal)} + 其他资金 "
                                  f"{fmt(p.other)}，相差 {fmt(p.budget - parts)}", **_where(p),
                           expected=parts)
    missing = [p for p in projects if p.budget is None]
    if missing:
        names = "、".join(p.name for p in missing[:3]) + ("等" if len(missing) > 3 else "")
        ctx.report("P07", f"{len(missing)} 个项目绩效目标表未列预算数（共 {len(projects)} 个：{names}），无法核对项目支出合计",
                   section=ctx.d.explanation.section("projects") or ctx.d.explanation.section("performance"))
        return
    total = sum((p.budget for p in projects), ZERO)
    project_spending = ctx.value("expenditure", "total", "project")
    if project_spending is not None and not ctx.same(total, project_spending):
        ctx.report("P06", f"{len(projects)} 个项目预算数之和 {fmt(total)} ≠ 部门预算支出总表 项目支出 {fmt(project_spending)}，"
                          f"相差 {fmt(total - project_spending)}", table=ctx.table("expenditure"),
                   row=ctx.named("expenditure", "total"), column="project", expected=total)
