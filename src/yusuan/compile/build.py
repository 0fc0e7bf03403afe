"""The input set → a `Disclosure`: tables from the line items, text from the
YAML, the standard paragraphs generated from the tables."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from ..definitions import DEFAULT_PROFILE, section_defs
from ..explain.generate import explain
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
from .inputs import TEXT, CompileError, InputRow, read_inputs

ZERO = Decimal(0)
PRIOR_ITEMS = {"收支总额": "total", "基本支出": "basic", "项目支出": "project", "三公经费": "three_public"}
INCOME_SOURCES = {
    "一般公共预算拨款收入": "general_budget", "政府性基金预算拨款收入": "gov_fund", "国有资本经营预算拨款收入": "soe",
    "财政专户管理资金收入": "special_account", "单位资金": "unit_funds", "单位资金收入": "unit_funds",
}
PLAN_LABELS = ("3月底", "6月底", "10月底", "12月底")


@cache
def default_glossary() -> list[list[str]]:
    text = resources.files("yusuan.data").joinpath("glossary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["glossary"]


def _need(text: dict, key: str, kind: type, where: str):
    value = text.get(key)
    if value is None:
        raise CompileError(f"{where}: {key}", "missing")
    if not isinstance(value, kind):
        raise CompileError(f"{where}: {key}", f"must be a {kind.__name__}")
    return value


def _check_income(rows: list[InputRow], atoms: Atoms) -> None:
    """The income sheet must equal what the spending says each source pays."""
    stated: dict[str, Decimal] = {}
    for r in rows:
        source = r.text("SOURCE")
        if source in ("上年结转", "上年结转结余"):
            if r.amount():
                raise CompileError(r.at("SOURCE"), "上年结转 is not supported yet: budget it as this year's income")
            continue
        key = INCOME_SOURCES.get(source)
        if key is None:
            raise CompileError(r.at("SOURCE"), f"unknown income source {source!r}; use one of {', '.join(INCOME_SOURCES)}")
        stated[key] = stated.get(key, ZERO) + to_wan(r.amount())
    for key in {f["income"] for f in fund_types().values()}:
        spent = atoms.total(fund=lambda f, key=key: fund_types()[f]["income"] == key)
        have = stated.get(key, ZERO)
        if abs(have - spent) > CENT * len(atoms.amounts):
            name = next(s for s, k in INCOME_SOURCES.items() if k == key)
            raise CompileError(f"收入, {name}", f"income {have} 万元 differs from the spending it pays for ({spent} 万元)")


def _prior(rows: list[InputRow], text: dict, year: int) -> PriorYear | None:
    if not rows:
        return None
    prior = PriorYear(year=year - 1, reasons={k: str(v) for k, v in (text.get("reasons") or {}).items()})
    for r in rows:
        key = PRIOR_ITEMS.get(r.text("ITEM"))
        if key is None:
            raise CompileError(r.at("ITEM"), f"unknown item {r.text('ITEM')!r}; use one of {', '.join(PRIOR_ITEMS)}")
        setattr(prior, key, to_wan(r.amount()))
    return prior


def _projects(atoms: Atoms, text: dict, where: str) -> list[Project]:
    specs = {str(p.get("code")): p for p in text.get("projects") or []}
    unknown = set(specs) - set(atoms.projects)
    if unknown:
        raise CompileError(f"{where}: projects", f"no 项目 line items for project code(s) {', '.join(sorted(unknown))}")
    out = []
    for i, (code, name) in enumerate(atoms.projects.items(), start=1):
        spec = specs.get(code, {})
        budget = atoms.total(project=code)
        fiscal = atoms.total(project=code, fund=lambda f: "fiscal" in fund_types()[f])
        plan = spec.get("plan") or {}
        indicators = []
        for n, ind in enumerate(spec.get("indicators") or [], start=1):
            if not (isinstance(ind, list) and len(ind) == 6):
                raise CompileError(f"{where}: projects[{code}].indicators[{n}]",
                                   "give [一级指标, 二级指标, 三级指标, 指标描述, 指标值, 依据]")
            indicators.append(Indicator(**dict(zip(("level1", "level2", "level3", "description", "target", "basis"),
                                                    map(str, ind)))))
        out.append(Project(
            title=f"{i}、{name}绩效目标表", code=code, name=name, unit="万元", budget=budget,
            fiscal=fiscal if fiscal else None, other=(budget - fiscal) or None,
            purpose=spec.get("purpose"), plan=[PlanPoint(label=k, value=str(v)) for k, v in plan.items()],
            goal=spec.get("goal"), indicators=indicators,
        ))
    return out


def _procurement(text: dict, head_code: str | None, dept: str, year: int, where: str) -> Table:
    columns = ("general_budget", "gov_fund", "soe", "special_account", "unit_funds")
    by_fund = {"11": "general_budget", "12": "gov_fund", "13": "soe", "21": "special_account", "31": "unit_funds"}
    groups: dict[str, list[Row]] = {}
    for n, item in enumerate(text.get("procurement") or [], start=1):
        at = f"{where}: procurement[{n}]"
        try:
            qty = Decimal(str(item["quantity"]))
            price = Decimal(str(item["unit_price"]))
            fund = by_fund[str(item.get("fund", "11"))]
            unit_name = str(item["agency"])
        except KeyError as exc:
            raise CompileError(at, f"missing or unknown {exc.args[0]!r}") from None
        except ArithmeticError:
            raise CompileError(at, "quantity and unit_price must be numbers (unit_price in 元)") from None
        total = to_wan(qty * price)
        amounts = {"source_budget": to_wan(Decimal(str(item.get("source_budget", 0)))) or None, "quantity": qty,
                   "unit_price": to_wan(price), "total": total, **{c: None for c in columns},
                   "fiscal_carryover": None, "nonfiscal_carryover": None,
                   "sme_reserved": to_wan(Decimal(str(item["sme_reserved"]))) if item.get("sme_reserved") else None}
        amounts[fund] = total
        groups.setdefault(unit_name, []).append(Row(
            name=str(item["item"]), code=str(item.get("catalogue_code", "")) or None, amounts=amounts,
            texts={k: v for k, v in (("source_project", str(item.get("source_project", ""))),
                                     ("unit", str(item.get("unit", "")))) if v}))
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


def _sections(d: Disclosure, text: dict) -> Explanation:
    titles = {s.key: s.title for s in section_defs()}
    name, year = d.department.name, d.year
    order = ["duties", "overview", "operating_costs", "three_public", "performance", "special_funds", "projects",
             "procurement", "assets", "glossary", "other"]
    body: dict[str, list[str]] = {
        "duties": ["部门职责：", *[str(x) for x in text.get("duties") or []], "机构设置：", "部门机构设置情况"],
        "overview": [text.get("overview_intro") or f"按照预算管理有关规定，目前部门预算的编制实行综合预算管理，即全部收入和支出都反映在预算中。{name}机关及所属事业单位的收支包含在部门预算中。"],
        "operating_costs": [],
        "three_public": [],
        "performance": ["（一）总体绩效目标", *[p.text for p in d.performance.overall],
                        "（二）分项绩效目标", *[p.text for p in d.performance.targets],
                        "（三）工作保障措施", *[p.text for p in d.performance.measures]],
        "special_funds": [text.get("special_funds") or f"{year}年，我部门无专项资金预算。"],
        "projects": [p.title for p in d.projects],
        "procurement": ["部门政府采购预算"],
        "assets": ["部门固定资产占用情况表"],
        "glossary": [f"{i}、{g.term}：{g.definition}" for i, g in enumerate(d.glossary, start=1)],
        "other": [text.get("other") or "我部门无其他需要说明的事项。"],
    }
    sections = [
        Section(key=key, numbering=f"{tb.chinese_numeral(i)}、", heading=titles[key],
                paragraphs=[Paragraph(text=t) for t in body[key]])
        for i, key in enumerate(order, start=1)
    ]
    return Explanation(
        title=f"第一部分  {name}{year}年部门预算信息公开情况说明",
        preface=[Paragraph(text=f"{name}{year}年部门预算信息公开情况说明"),
                 Paragraph(text=f"按照《中华人民共和国预算法》、《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》规定，现将{name}{year}年部门预算公开如下：")],
        sections=sections,
    )


def compile_dir(directory: Path) -> Disclosure:
    sheets, text = read_inputs(directory)
    where = str(directory / TEXT)
    dept = _need(text, "department", dict, where)
    name = dept.get("name")
    if not name:
        raise CompileError(f"{where}: department.name", "missing")
    code = str(dept["code"]) if dept.get("code") is not None else None
    year = _need(text, "year", int, where)
    atoms = atoms_from(sheets["支出明细"], year)
    _check_income(sheets["收入"], atoms)
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
    perf = text.get("performance") or {}
    glossary = text.get("glossary") or default_glossary()
    d = Disclosure(
        profile=DEFAULT_PROFILE, scope="department",
        department=Department(code=code, name=name), year=year, unit="万元", source_format="json", tables=tables,
        duties=[Paragraph(text=str(x)) for x in text.get("duties") or []],
        institutions=[Institution(name=str(i["name"]), kind=i.get("kind"), rank=i.get("rank"), funding=i.get("funding"))
                      for i in text.get("institutions") or []],
        performance=DepartmentPerformance(**{k: [Paragraph(text=str(x)) for x in perf.get(k) or []]
                                             for k in ("overall", "targets", "measures")}),
        projects=_projects(atoms, text, where),
        procurement=_procurement(text, code, name, year, where),
        assets=tb.assets(text.get("assets"), code, name, year, where),
        glossary=[GlossaryEntry(term=str(t), definition=str(x)) for t, x in glossary],
        previous=_prior(sheets.get("上年", []), text, year),
    )
    d.explanation = _sections(d, text)
    # Planned fixed-asset purchases: all capital spending (310), basic and project.
    return explain(d, planned_purchases=atoms.total(eco=lambda e: e.startswith("310")))
