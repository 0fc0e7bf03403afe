"""Line items → atoms rounded to 万元.

An atom is the money of one (functional code, economic code, basic/project,
fund type, project) in 元, rounded once to 0.01 万元. Every published figure
is a sum of atoms, so every total equals the sum of its printed parts and the
tables agree with each other by construction (round the leaves, then add).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

import yaml

from ..audit.catalogue import catalogue
from .inputs import CompileError, InputRow

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
KINDS = {"基本": "basic", "基本支出": "basic", "1": "basic", "项目": "project", "项目支出": "project", "2": "project"}


@cache
def fund_types() -> dict[str, dict]:
    text = resources.files("yusuan.data").joinpath("fund_types.yaml").read_text(encoding="utf-8")
    return {str(k): v for k, v in yaml.safe_load(text)["fund_types"].items()}


def to_wan(yuan: Decimal) -> Decimal:
    return (yuan / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class AtomKey:
    func: str
    eco: str
    kind: str  # basic | project
    fund: str
    project: str | None


@dataclass
class Atoms:
    amounts: dict[AtomKey, Decimal]  # 万元, rounded
    projects: dict[str, str]  # PRO_CODE → PRO_NAME, in first-seen order
    agencies: dict[str, str]  # AGENCY_CODE → AGENCY_NAME

    def total(self, **where) -> Decimal:
        return sum((v for k, v in self.amounts.items() if all(_match(getattr(k, f), w) for f, w in where.items())),
                   Decimal(0))


def _match(value, wanted) -> bool:
    if callable(wanted):
        return wanted(value)
    return value == wanted


def atoms_from(rows: list[InputRow], year: int) -> Atoms:
    func_cat, eco_cat = catalogue("functional"), catalogue("economic")
    yuan: dict[AtomKey, Decimal] = defaultdict(Decimal)
    projects: dict[str, str] = {}
    agencies: dict[str, str] = {}
    for r in rows:
        fy = r.text("FISCAL_YEAR")
        if fy and fy != str(year):
            raise CompileError(r.at("FISCAL_YEAR"), f"year {fy} is not the disclosure's year {year}")
        func = r.text("EXP_FUNC_CODE")
        if not (func.isdigit() and len(func) == 7):
            raise CompileError(r.at("EXP_FUNC_CODE"), f"not a 7-digit functional code (项): {func!r}")
        if func_cat.lookup(func, year) is None:
            raise CompileError(r.at("EXP_FUNC_CODE"), f"unknown functional code {func} for {year} (not in yusuan's catalogue)")
        for parent in (func[:3], func[:5]):
            if func_cat.lookup(parent, year) is None:
                raise CompileError(r.at("EXP_FUNC_CODE"), f"functional code {func}: its parent {parent} is not in yusuan's catalogue")
        eco = r.text("DEP_BGT_ECO_CODE")
        if not (eco.isdigit() and len(eco) == 5):
            raise CompileError(r.at("DEP_BGT_ECO_CODE"), f"not a 5-digit economic code (款): {eco!r}")
        if eco_cat.lookup(eco, year) is None or eco_cat.lookup(eco[:3], year) is None:
            raise CompileError(r.at("DEP_BGT_ECO_CODE"), f"unknown economic code {eco} for {year}")
        fund = r.text("FUND_TYPE_CODE")
        if fund not in fund_types():
            raise CompileError(r.at("FUND_TYPE_CODE"), f"unknown fund type {fund!r}; use one of {', '.join(fund_types())}")
        kind = KINDS.get(r.text("EXP_KIND"))
        if kind is None:
            raise CompileError(r.at("EXP_KIND"), f"not 基本 or 项目: {r.text('EXP_KIND')!r}")
        pro = r.text("PRO_CODE") or None
        if kind == "project":
            if not pro or not r.text("PRO_NAME"):
                raise CompileError(r.at("PRO_CODE"), "a 项目 line needs PRO_CODE and PRO_NAME")
            name = projects.setdefault(pro, r.text("PRO_NAME"))
            if name != r.text("PRO_NAME"):
                raise CompileError(r.at("PRO_NAME"), f"project {pro} is called {name!r} on an earlier row")
        elif pro:
            raise CompileError(r.at("PRO_CODE"), "a 基本 line has no project; leave PRO_CODE empty")
        agency = r.text("AGENCY_CODE")
        if not agency or not r.text("AGENCY_NAME"):
            raise CompileError(r.at("AGENCY_CODE"), "AGENCY_CODE and AGENCY_NAME are required")
        agencies.setdefault(agency, r.text("AGENCY_NAME"))
        yuan[AtomKey(func, eco, kind, fund, pro if kind == "project" else None)] += r.amount()
    if not yuan:
        raise CompileError("支出明细", "no expenditure lines")
    rounded = {k: to_wan(v) for k, v in yuan.items()}
    return Atoms({k: v for k, v in rounded.items() if v}, projects, agencies)
