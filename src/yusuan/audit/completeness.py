"""Are all required parts there (rules C01–C08)."""

from __future__ import annotations

import re

from ..definitions import profile_def, section_defs, squash, table_defs
from .context import Context, table_name
from .inspection import blank_template, empty_table_stated
from .registry import check

OVERVIEW_PARTS = {
    "收入说明": re.compile(r"收入说明|预算收入|收入预算"),
    "支出说明": re.compile(r"支出说明|支出预算|预算支出"),
    "比上年增减情况": re.compile(r"比上年|较上年|[较比与]\d{4}年"),
}
# a 决算 states its income and its expenditure in sections of their own
# (二、收入决算情况说明, 三、支出决算情况说明), not in the overview
OVERVIEW_SECTIONS = {"收入说明": "final_income", "支出说明": "final_expenditure"}
EMPTY_NOTE = re.compile(r"无|空表")
PROJECT_LISTED = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[、.．](.+?绩效目标表)$")


@check("C01")
def standard_tables(ctx: Context) -> None:
    present = {t.id for t in ctx.d.all_tables()}
    for tid in profile_def(ctx.d.profile).required_tables:
        if tid not in present:
            ctx.report("C01", f"缺少标准表「{table_defs()[tid].name}」")


@check("C02", "C03")
def required_sections(ctx: Context) -> None:
    titles = {s.key: s.title for s in section_defs()}
    for key in profile_def(ctx.d.profile).required_sections:
        if ctx.d.explanation.section(key) is None:
            ctx.report("C02", f"情况说明缺少「{titles[key]}」部分")
    # the overview may be printed as several sections (Jiangsu: one per table,
    # after the 编制依据); what it must say may be in any of them
    overviews = [s for s in ctx.d.explanation.sections if s.key == "overview"]
    if overviews:
        overview = overviews[0]
        text = "".join(p.text for s in overviews for p in s.paragraphs)
        for part, pattern in OVERVIEW_PARTS.items():
            own = ctx.d.explanation.section(OVERVIEW_SECTIONS.get(part, ""))
            if not pattern.search(text) and (own is None or not own.paragraphs):
                ctx.report("C03", f"「{overview.heading}」没有{part}", section=overview)


@check("C04")
def empty_tables_explained(ctx: Context) -> None:
    if blank_template(ctx.d) is not None:
        return  # the blank form's tables are empty by design (C16 says so)
    for t in ctx.d.all_tables():
        if any(v is not None for r in t.rows for v in r.amounts.values()):
            continue
        stated = empty_table_stated(ctx.d, t)  # a 决算's: under the table or in its section
        if stated is None and not any(EMPTY_NOTE.search(n.text) for n in t.notes):
            ctx.report("C04", f"{table_name(t)} 为空表，但没有说明原因的注（如“注：无…，空表列示。”）", table=t)
        elif stated is False:
            ctx.report("C04", f"{table_name(t)} 为空表，表下和情况说明中都没有“本年度没有…，故本表无数据”的说明", table=t)


@check("C05", "C06")
def projects_have_tables(ctx: Context) -> None:
    titles = {squash(re.sub(r"^\d+[、.．]", "", p.title)) for p in ctx.d.projects}
    for key in ("projects", "performance"):
        section = ctx.d.explanation.section(key)
        if section is None:
            continue
        for i, p in enumerate(section.paragraphs):
            m = PROJECT_LISTED.match(squash(p.text))
            if m and m.group(1) not in titles:
                ctx.report("C05", f"「{section.heading}」列出「{m.group(1)}」，但文档中没有这张表", section=section, paragraph=i)
    for p in ctx.d.projects:
        if not p.indicators:
            ctx.report("C06", f"项目「{p.name}」的绩效目标表没有绩效指标", project=p.name, source=p.source)


@check("C07", "C08")
def institutions_and_extra_tables(ctx: Context) -> None:
    if not ctx.d.institutions:
        ctx.report("C07", "没有机构设置情况（所属单位及其性质、规格、经费形式）", section=ctx.d.explanation.section("duties"))
    for tid, table in (("procurement", ctx.d.procurement), ("assets", ctx.d.assets)):
        if table is None:
            ctx.report("C08", f"缺少「{table_defs()[tid].name}」", section=ctx.d.explanation.section(tid))
