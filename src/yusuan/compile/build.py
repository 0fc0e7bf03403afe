"""The input set → a `Disclosure`: tables from the line items, text from the
workbook's text sheets or disclosure.yaml, the standard paragraphs generated
from the tables. Every problem in the input is collected before anything is
built, and refused together; warnings are returned with the disclosure."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import yaml

from ..definitions import DEFAULT_PROFILE, section_defs
from ..explain.generate import explain
from ..numerals import chinese_numeral
from ..model import (
    Department,
    DepartmentPerformance,
    Disclosure,
    Explanation,
    GlossaryEntry,
    Indicator,
    Institution,
    Paragraph,
    PlanPoint,
    PriorYear,
    Project,
    Row,
    Section,
    Table,
    TableHeader,
)
from . import tables as tb
from .aggregate import CENT, Atoms, atoms_from, fund_types, to_wan
from .inputs import TEXT, CompileWarning, InputRow, Place, Report, read_inputs
from .spec import input_spec
from .text import PROJECTS, Text, check_text, merge

ZERO = Decimal(0)


class Compiled(NamedTuple):
    disclosure: Disclosure
    warnings: list[CompileWarning]


@cache
def default_glossary() -> list[list[str]]:
    text = resources.files("yusuan.data").joinpath("glossary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["glossary"]


def _check_income(rows: list[InputRow], atoms: Atoms, report: Report, place: Place) -> None:
    """The income sheet must equal what the spending says each source pays."""
    stated: dict[str, Decimal] = {}
    first: dict[str, Place] = {}
    for r in rows:
        if r.bad:
            return  # its cell is reported already; a sum without it would mislead
        key = r.get("SOURCE")
        if key == "carryover":
            if r.get("AMOUNT"):
                report.error(r.at("AMOUNT"), "上年结转暂不支持：请作为本年收入编列，或填0")
            continue
        stated[key] = stated.get(key, ZERO) + to_wan(r.get("AMOUNT"))
        first.setdefault(key, r.at("AMOUNT"))
    labels = {v: k for k, v in reversed(input_spec().sheets["收入"].column("SOURCE").choices)}
    for key in dict.fromkeys(f["income"] for f in fund_types().values()):
        spent = atoms.total(fund=lambda f, key=key: fund_types()[f]["income"] == key)
        have = stated.get(key, ZERO)
        if abs(have - spent) > CENT * len(atoms.amounts):
            report.error(first.get(key, place.at("SOURCE")),
                         f"{labels[key]} {have} 万元与支出明细中由它安排的支出 {spent} 万元不相等")


def _prior(rows: list[InputRow], text: Text, atoms: Atoms | None, report: Report, year: int) -> PriorYear | None:
    if not rows:
        return None
    prior = PriorYear(year=year - 1, reasons=dict(text.reasons))
    for r in rows:
        if not r.bad:
            setattr(prior, r.get("ITEM"), to_wan(r.get("AMOUNT")))
    if atoms is None:
        return prior
    now = {"basic": atoms.total(kind="basic"), "project": atoms.total(kind="project")}
    items = input_spec().sheets["情况说明"]
    for key in ("basic", "project"):
        before = getattr(prior, key)
        if before is not None and before != now[key] and key not in text.reasons:
            label = next(i.label for i in items.items if i.key == f"reasons.{key}")
            report.warn(text.place(f"reasons.{key}"),
                        f"{label}未填写（「上年」{before} 万元，本年 {now[key]} 万元；公开文件将只写增减数，不写原因）")
    return prior


def _three_public_reason(d: Disclosure, text: Text, report: Report) -> None:
    prior = d.previous
    if prior is None or prior.three_public is None:
        return
    row = next((r for r in d.tables["three_public"].rows if r.name.endswith("小计")), None)
    now = (row.amounts.get("total") if row else None) or ZERO
    if now != prior.three_public and "three_public" not in text.reasons:
        label = next(i.label for i in input_spec().sheets["情况说明"].items if i.key == "reasons.three_public")
        report.warn(text.place("reasons.three_public"),
                    f"{label}未填写（「上年」{prior.three_public} 万元，本年 {now} 万元；公开文件将只写增减数，不写原因）")


def _projects(atoms: Atoms, text: Text, report: Report) -> list[Project]:
    for code, spec in text.projects.items():
        if code not in atoms.projects:
            report.error(spec.place, f"支出明细中没有项目 {code} 的支出")
    out = []
    for i, (code, name) in enumerate(atoms.projects.items(), start=1):
        spec = text.projects.get(code)
        if spec is None:
            place = text.place(PROJECTS)
            todo = (f"请在 {PROJECTS} 中加上它（资金用途、绩效目标、支出进度和指标）" if place.file == TEXT
                    else f"请在「{place.sheet}」加一行，并在「绩效指标」表填写它的指标")
            report.error(place if place.file == TEXT else place.at("PRO_CODE"),
                         f"项目 {code}（{name}，{atoms.first_row[code]}）没有绩效目标：{todo}")
            continue
        budget = atoms.total(project=code)
        fiscal = atoms.total(project=code, fund=lambda f: "fiscal" in fund_types()[f])
        out.append(Project(
            title=f"{i}、{name}绩效目标表", code=code, name=name, unit="万元", budget=budget,
            fiscal=fiscal if fiscal else None, other=(budget - fiscal) or None,
            purpose=spec.purpose, plan=[PlanPoint(label=k, value=v) for k, v in spec.plan],
            goal=spec.goal,
            indicators=[Indicator(**dict(zip(("level1", "level2", "level3", "description", "target", "basis"), ind)))
                        for ind in spec.indicators],
        ))
    return out


def _procurement(text: Text, head_code: str | None, dept: str, year: int) -> Table:
    columns = ("general_budget", "gov_fund", "soe", "special_account", "unit_funds")
    by_fund = {code: ft.get("fiscal") or ft["income"] for code, ft in fund_types().items()}
    groups: dict[str, list[Row]] = {}
    for item in text.procurement:
        total = to_wan(item["quantity"] * item["unit_price"])
        amounts = {"source_budget": to_wan(item["source_budget"] or ZERO) or None, "quantity": item["quantity"],
                   "unit_price": to_wan(item["unit_price"]), "total": total, **{c: None for c in columns},
                   "fiscal_carryover": None, "nonfiscal_carryover": None,
                   "sme_reserved": to_wan(item["sme_reserved"]) if item["sme_reserved"] else None}
        amounts[by_fund[item["fund"] or "11"]] = total
        groups.setdefault(item["agency"], []).append(Row(
            name=item["item"], code=item["catalogue_code"] or None, amounts=amounts,
            texts={k: item[k] for k in ("source_project", "unit") if item[k]}))
    rows: list[Row] = []
    grand = {c: ZERO for c in ("total", *columns, "sme_reserved")}
    for unit_name, items in groups.items():
        sums = {c: sum((r.amounts.get(c) or ZERO for r in items), ZERO) for c in grand}
        rows.append(Row(name=f"{unit_name}小计", amounts={**{c: tb._v(v) for c, v in sums.items()}}))
        rows += items
        for c in grand:
            grand[c] += sums[c]
    if rows:
        rows.insert(0, Row(name="合  计", amounts={c: tb._v(v) for c, v in grand.items()}))
    dept_text = f"{head_code or ''}{dept}"
    head = TableHeader(department=dept_text, unit="万元", printed=[dept_text, "单位：万元"])
    for r in rows:  # every amount column present, as the reader gives them
        for c in ("source_budget", "quantity", "unit_price", "total", *columns, "fiscal_carryover",
                  "nonfiscal_carryover", "sme_reserved"):
            r.amounts.setdefault(c, None)
    return tb._table("procurement", head, rows, year, numbered=False)


def _sections(d: Disclosure, text: Text) -> Explanation:
    titles = {s.key: s.title for s in section_defs()}
    name, year = d.department.name, d.year
    order = ["duties", "overview", "operating_costs", "three_public", "performance", "special_funds", "projects",
             "procurement", "assets", "glossary", "other"]
    body: dict[str, list[str]] = {
        "duties": ["部门职责：", *text.duties, "机构设置：", "部门机构设置情况"],
        "overview": [text.overview_intro or f"按照预算管理有关规定，目前部门预算的编制实行综合预算管理，即全部收入和支出都反映在预算中。{name}机关及所属事业单位的收支包含在部门预算中。"],
        "operating_costs": [],
        "three_public": [],
        "performance": ["（一）总体绩效目标", *[p.text for p in d.performance.overall],
                        "（二）分项绩效目标", *[p.text for p in d.performance.targets],
                        "（三）工作保障措施", *[p.text for p in d.performance.measures]],
        "special_funds": [text.special_funds or f"{year}年，我部门无专项资金预算。"],
        "projects": [p.title for p in d.projects],
        "procurement": ["部门政府采购预算"],
        "assets": ["部门固定资产占用情况表"],
        "glossary": [f"{i}、{g.term}：{g.definition}" for i, g in enumerate(d.glossary, start=1)],
        "other": [text.other or "我部门无其他需要说明的事项。"],
    }
    sections = [
        Section(key=key, numbering=f"{chinese_numeral(i)}、", heading=titles[key],
                paragraphs=[Paragraph(text=t) for t in body[key]])
        for i, key in enumerate(order, start=1)
    ]
    return Explanation(
        title=f"第一部分  {name}{year}年部门预算信息公开情况说明",
        preface=[Paragraph(text=f"{name}{year}年部门预算信息公开情况说明"),
                 Paragraph(text=f"按照《中华人民共和国预算法》、《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》规定，现将{name}{year}年部门预算公开如下：")],
        sections=sections,
    )


def compile_dir(directory: Path) -> Compiled:
    """The disclosure the input set describes, with the warnings to show.
    Raises CompileError listing every problem when it cannot be built."""
    report = Report()
    inputs = read_inputs(directory, report)
    text = check_text(merge(inputs, report), report)
    year = text.year
    sheets = inputs.sheets
    atoms = atoms_from(sheets.get("支出明细", []), sheets.get("科目名称", []), year, report,
                       inputs.sheet_place("支出明细"), inputs.sheet_place("科目名称"))
    income_rows = sheets.get("收入")
    if not income_rows:
        report.error(inputs.sheet_place("收入"), "没有收入：按来源每行一项")
    elif atoms is not None and not any(r.bad for r in sheets.get("支出明细", [])):
        _check_income(income_rows, atoms, report, inputs.sheet_place("收入"))
    projects = _projects(atoms, text, report) if atoms is not None else []
    previous = _prior(sheets.get("上年", []), text, atoms, report, year) if year is not None else None
    report.stop_if_any()
    assert atoms is not None and year is not None and text.name is not None  # else a problem was reported
    name, code = text.name, text.department_code
    head = tb.header(code, name, year)
    tables = {
        "summary": tb.summary(atoms, year, head),
        "income": tb.income(atoms, year, head),
        "expenditure": tb.expenditure(atoms, year, head),
        "fiscal_summary": tb.fiscal_summary(atoms, year, head),
        "general_expenditure": tb.by_fund("general_expenditure", "11", atoms, year, head),
        "general_basic": tb.general_basic(atoms, year, head),
        "fund_expenditure": tb.by_fund("fund_expenditure", "12", atoms, year, head),
        "soe_expenditure": tb.by_fund("soe_expenditure", "13", atoms, year, head),
        "three_public": tb.three_public(atoms, year, head),
    }
    d = Disclosure(
        profile=DEFAULT_PROFILE, scope="department",
        department=Department(code=code, name=name), year=year, unit="万元", source_format="json", tables=tables,
        duties=[Paragraph(text=x) for x in text.duties],
        institutions=[Institution(**i) for i in text.institutions],
        performance=DepartmentPerformance(**{k: [Paragraph(text=x) for x in v] for k, v in text.performance.items()}),
        projects=projects,
        procurement=_procurement(text, code, name, year),
        assets=tb.assets(text.assets, code, name, year),
        glossary=[GlossaryEntry(term=str(t), definition=str(x)) for t, x in text.glossary or default_glossary()],
        previous=previous,
    )
    _three_public_reason(d, text, report)
    report.stop_if_any()
    d.explanation = _sections(d, text)
    # Planned fixed-asset purchases: all capital spending (310), basic and project.
    d = explain(d, planned_purchases=atoms.total(eco=lambda e: e.startswith("310")))
    return Compiled(d, sorted(report.warnings, key=lambda w: w.place.sort_key()))
