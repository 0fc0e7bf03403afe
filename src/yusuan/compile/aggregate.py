"""Line items → atoms rounded to 万元, and the names every printed code
carries.

An atom is the money of one (functional code, economic code, basic/project,
fund type, project) in 元, rounded once to 0.01 万元. Every published figure
is a sum of atoms, so every total equals the sum of its printed parts and the
tables agree with each other by construction (round the leaves, then add).

A code is accepted for its shape, not for being in yusuan's catalogue, which
is partial: the budget system knows the year's codes better than yusuan does.
Its name is the one the input gives, else the catalogue's; a code neither
names is refused, and a name the catalogue does not confirm is a warning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..audit.catalogue import catalogue
from ..definitions import normalize_name
from .inputs import InputRow, Place, Report
from .spec import fund_types

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
CLASSIFICATIONS = {
    # classification → the columns of 支出明细 and 科目名称 that give its codes and names
    "functional": ("EXP_FUNC_CODE", "EXP_FUNC_NAME", "支出功能分类"),
    "economic": ("DEP_BGT_ECO_CODE", "DEP_BGT_ECO_NAME", "部门预算支出经济分类"),
}
LEVEL = {3: "类", 5: "款", 7: "项"}
LEAF = {"functional": 7, "economic": 5}  # the length a line item carries

__all__ = ["CENT", "AtomKey", "Atoms", "atoms_from", "fund_types", "to_wan"]


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
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # classification → code → name as printed
    first_row: dict[str, Place] = field(default_factory=dict)  # PRO_CODE → its first line item

    def total(self, **where) -> Decimal:
        return sum((v for k, v in self.amounts.items() if all(_match(getattr(k, f), w) for f, w in where.items())),
                   Decimal(0))

    def name(self, classification: str, code: str) -> str:
        return self.names[classification][code]


def _match(value, wanted) -> bool:
    if callable(wanted):
        return wanted(value)
    return value == wanted


@dataclass
class _Given:
    """Names the input gives, each with the first place it was given."""

    names: dict[tuple[str, str], tuple[str, Place]] = field(default_factory=dict)

    def add(self, classification: str, code: str, name: str, place: Place, report: Report) -> None:
        known = self.names.get((classification, code))
        if known is None:
            self.names[(classification, code)] = (name, place)
        elif normalize_name(known[0]) != normalize_name(name):
            report.error(place, f"科目 {code} 的名称“{name}”与{known[1]}的“{known[0]}”不一致")


def _names_sheet(rows: list[InputRow], given: _Given, report: Report) -> None:
    for r in rows:
        if r.bad:
            continue
        for classification, (code_col, name_col, _) in CLASSIFICATIONS.items():
            code, name = r.get(code_col), r.text(name_col)
            if code and not name:
                report.error(r.at(name_col), f"填了科目编码 {code}，名称未填写")
            elif name and not code:
                report.error(r.at(code_col), f"填了科目名称“{name}”，编码未填写")
            elif code:
                given.add(classification, code, name, r.at(name_col), report)


def _resolve(classification: str, codes: dict[str, Place], given: _Given, year: int, report: Report,
             names_place: Place) -> dict[str, str]:
    """Each code's printed name; `codes` maps a code to the line item that
    first needed it."""
    cat = catalogue(classification)
    code_col, name_col, zh = CLASSIFICATIONS[classification]
    out = {}
    for code in sorted(codes):
        entry = cat.lookup(code, year)
        name, place = given.names.get((classification, code), (None, None))
        level = LEVEL[len(code)]
        if name is None:
            if entry is not None:
                out[code] = entry.name
            elif len(code) == LEAF[classification]:
                report.error(codes[code].at(name_col),
                             f"{zh}科目 {code} 不在 yusuan 的科目表中，请填写它的名称（{name_col}）")
            else:
                report.error(names_place.at(code_col),
                             f"{zh}{level}级科目 {code}（{codes[code]} 用到的科目的上级）不在 yusuan 的科目表中："
                             f"请在「{names_place.sheet}」表加一行，{code_col} 填 {code}，{name_col} 填它的名称")
            continue
        out[code] = name
        if entry is None:
            report.warn(place, f"{zh}科目 {code} 不在 yusuan 的科目表中，按所填名称“{name}”公开；"
                               f"请对照{year}年《政府收支分类科目》核对编码和名称")
        elif normalize_name(entry.name) != normalize_name(name):
            report.warn(place, f"{zh}科目 {code} 在 yusuan 科目表中{year}年的名称是“{entry.name}”，所填为“{name}”；"
                               "按所填名称公开，请核对（yusuan check 会报告名称与科目表不符）")
    return out


def atoms_from(rows: list[InputRow], names_rows: list[InputRow], year: int | None, report: Report,
               sheet_place: Place, names_place: Place) -> Atoms | None:
    """The atoms of every line item whose cells passed their checks, or None
    when there are none; problems go to `report`."""
    yuan: dict[AtomKey, Decimal] = defaultdict(Decimal)
    projects: dict[str, str] = {}
    first_row: dict[str, Place] = {}
    agencies: dict[str, str] = {}
    given = _Given()
    _names_sheet(names_rows, given, report)
    used: dict[str, dict[str, Place]] = {"functional": {}, "economic": {}}
    for r in rows:
        if r.bad:
            continue
        fy = r.get("FISCAL_YEAR")
        if fy is not None and year is not None and fy != year:
            report.error(r.at("FISCAL_YEAR"), f"预算年度 {fy} 与「情况说明」的预算年度 {year} 不一致")
        for classification, (code_col, name_col, _) in CLASSIFICATIONS.items():
            code = r.get(code_col)
            for n in (3, 5, 7) if classification == "functional" else (3, 5):
                used[classification].setdefault(code[:n], r.at(code_col))
            if r.text(name_col):
                given.add(classification, code, r.text(name_col), r.at(name_col), report)
        kind = r.get("EXP_KIND")
        pro, pro_name = r.text("PRO_CODE") or None, r.text("PRO_NAME")
        if kind == "project":
            if not pro or not pro_name:
                report.error(r.at("PRO_CODE" if not pro else "PRO_NAME"), "项目支出须填写项目编码 PRO_CODE 和项目名称 PRO_NAME")
                continue
            name = projects.setdefault(pro, pro_name)
            first_row.setdefault(pro, r.place)
            if name != pro_name:
                report.error(r.at("PRO_NAME"), f"项目 {pro} 在{first_row[pro]}的名称是“{name}”，本行为“{pro_name}”")
        elif pro:
            report.error(r.at("PRO_CODE"), "基本支出不属于项目，PRO_CODE 应留空")
            continue
        agencies.setdefault(r.get("AGENCY_CODE"), r.get("AGENCY_NAME"))
        yuan[AtomKey(r.get("EXP_FUNC_CODE"), r.get("DEP_BGT_ECO_CODE"), kind, r.get("FUND_TYPE_CODE"),
                     pro if kind == "project" else None)] += r.get("AMOUNT")
    if not rows:
        report.error(sheet_place, "没有支出明细：每笔支出预算一行")
    if not yuan:
        return None
    names = {c: _resolve(c, used[c], given, year, report, names_place) for c in CLASSIFICATIONS} if year else {}
    rounded = {k: to_wan(v) for k, v in yuan.items()}
    return Atoms({k: v for k, v in rounded.items() if v}, projects, agencies, names, first_row)
