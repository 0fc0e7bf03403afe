"""The standard paragraphs of the explanation, generated from the tables.

收入说明, 支出说明, 比上年增减 (when last year's figures are known), 机关运行经费,
三公, 政府采购 and 国有资产 are written by the Jinja2 templates in
`templates/explanation/` from the same cells the tables print, so they cannot
disagree with them. Free text — duties, reasons for changes, what the money is
for, any sentence the generator does not write — is carried from the input.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..definitions import squash
from ..lookup import ZERO, Lookup
from ..model import Disclosure, Paragraph, PriorYear, Section
from .statements import Statement, classify, extract

# Income sources in the order and words the seeds use; only those the
# summary table prints are mentioned.
INCOME_SOURCES = (
    ("general_budget", "一般公共预算收入"),
    ("gov_fund", "基金预算收入"),
    ("soe", "国有资本经营预算收入"),
    ("special_account", "财政专户核拨收入"),
    ("business", "事业收入"),
    ("operating", "事业单位经营收入"),
    ("superior_subsidy", "上级补助收入"),
    ("affiliated_remit", "附属单位上缴收入"),
    ("other", "其他收入"),
    ("unit_funds", "单位资金收入"),
    ("income_carry", "上年结转结余"),
)
_OVERVIEW_PART = re.compile(r"^\s*(\d+)\s*[、.．]\s*(收入说明|支出说明|比上年增减)")
_SENTENCE = re.compile(r"[^。]*。|[^。]+$")


def _n(value: Decimal | None) -> str:
    v = value if value is not None else ZERO
    return f"{v:.2f}"


def _direction(value: Decimal | None) -> str:
    if not value:
        return "持平"
    return "增加" if value > 0 else "减少"


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("yusuan", "templates/explanation"), undefined=StrictUndefined,
                      keep_trailing_newline=False, autoescape=False)
    env.globals.update(n=_n, direction=_direction)
    return env


def _render(name: str, **values) -> str:
    return _env().get_template(f"{name}.j2").render(**values).strip()


def figures(d: Disclosure, planned_purchases: Decimal | None = None) -> dict:
    """Every number the standard paragraphs state, from the tables.
    `planned_purchases` (fixed assets to buy this year) defaults to the
    capital spending (310) of the basic-expenditure table: a compiled budget
    knows its project spending too and passes the whole."""
    lk = Lookup(d)
    sources = []
    for key, label in INCOME_SOURCES:
        if lk.named("summary", key) is not None:
            sources.append((label, lk.value("summary", key, "income_amount")))
    tp = {k: lk.value("three_public", k, "total") for k in
          ("subtotal", "abroad", "vehicles", "vehicle_purchase", "vehicle_running", "reception")}
    prev = d.previous
    tp["previous_year"] = prev.year if prev else None
    tp["change"] = (tp["subtotal"] or ZERO) - prev.three_public if prev and prev.three_public is not None else None
    spending = {
        "total": lk.value("expenditure", "total", "total"),
        "basic": lk.value("expenditure", "total", "basic"),
        "project": lk.value("expenditure", "total", "project"),
        "personnel": lk.value("general_basic", "total", "personnel"),
        "public": lk.value("general_basic", "total", "public"),
        "projects": [p.name for p in d.projects],
    }
    income_total = lk.value("summary", "income_grand", "income_amount")
    change = None
    if prev is not None and prev.total is not None:
        change = {
            "year": prev.year,
            "current": income_total,
            "total": (income_total or ZERO) - prev.total,
            "basic": (spending["basic"] or ZERO) - prev.basic if prev.basic is not None else None,
            "project": (spending["project"] or ZERO) - prev.project if prev.project is not None else None,
        }
    return {
        "year": d.year,
        "department": d.department.name,
        "income": {"total": income_total, "sources": sources},
        "spending": spending,
        "change": change,
        "operating_costs": lk.value("general_basic", "total", "public"),
        "tp": tp,
        "procurement": lk.value("procurement", "total", "total"),
        "assets": {"total": lk.value("assets", "total", "value"),
                   "purchase": planned_purchases if planned_purchases is not None
                   else lk.code_total("general_basic", "310", "total")},
        "reasons": prev.reasons if prev else {},
    }


# -- last year's figures, recovered from a document's own text ---------------
def _reason_after(st: Statement) -> str | None:
    """The words after a stated change, up to the end of its clause: "主要为…"."""
    rest = st.text[st.end:]
    m = re.match(r"^\s*[，,]\s*(?P<reason>[^；;。]+)", rest)
    if not m:
        return None
    reason = m.group("reason").strip()
    return None if reason.startswith("其中") else reason


def headline_figures(d: Disclosure) -> dict[str, Decimal | None]:
    """The figures a 比上年 sentence compares, from the tables, in the
    document's unit: 收支总计, 基本支出, 项目支出, 三公经费."""
    lk = Lookup(d)
    return {
        "total": lk.value("summary", "income_grand", "income_amount"),
        "basic": lk.value("expenditure", "total", "basic"),
        "project": lk.value("expenditure", "total", "project"),
        "three_public": lk.value("three_public", "subtotal", "total"),
    }


def prior_from_text(d: Disclosure) -> PriorYear | None:
    """Last year's totals as the explanation implies them (this year's table
    figure minus the stated change), with the stated reasons. A change is
    only trusted when the paragraph's figure for this year is the table's."""
    if d.year is None:
        return None
    prior = PriorYear(year=d.year - 1)
    found = False
    overview = d.explanation.section("overview")
    three = d.explanation.section("three_public")
    current = headline_figures(d)
    stated_current: dict[str, Decimal] = {}
    changes: dict[str, Statement] = {}
    for section, key in ((overview, "overview"), (three, "three_public")):
        if section is None:
            continue
        for st in extract(section):
            spec = classify(key, st)
            if spec is None:
                continue
            if spec.change:
                changes.setdefault(spec.change, st)
            elif spec.ref == "three_public.subtotal.total":
                stated_current.setdefault("three_public", st.amount)
    for key, st in changes.items():
        now = current.get(key)
        if now is None:
            continue
        if key == "three_public" and stated_current.get("three_public") != now:
            continue  # the paragraph's own figure is wrong: its change cannot be trusted
        setattr(prior, key, now - st.amount * st.direction)
        if reason := _reason_after(st):
            prior.reasons[key] = reason
        found = True
    return prior if found else None


# -- rewriting the explanation ----------------------------------------------
def _carried_sentences(paragraphs: list[Paragraph], section: Section) -> list[str]:
    """Sentences with a figure no generated paragraph states (委托业务费…): the
    department's own words, kept."""
    out = []
    probe = Section(key=section.key, numbering=None, heading=section.heading)
    for p in paragraphs:
        for sentence in _SENTENCE.findall(p.text):
            probe.paragraphs = [Paragraph(text=sentence)]
            sts = extract(probe)
            if sts and all(classify(section.key or "", st) is None for st in sts):
                out.append(sentence.strip())
    return out


def _change_sentences(section: Section) -> list[str]:
    """The section's own sentences that state a change on last year. When
    the change cannot be recomputed (last year unknown, or the paragraph's
    own figure is wrong), they and their reasons are carried as written,
    not dropped: a reviewer still sees what the department said."""
    out = []
    probe = Section(key=section.key, numbering=None, heading=section.heading)
    for p in section.paragraphs:
        for sentence in _SENTENCE.findall(p.text):
            probe.paragraphs = [Paragraph(text=sentence)]
            if any((spec := classify(section.key or "", st)) is not None and spec.change for st in extract(probe)):
                out.append(sentence.strip())
    return out


def _overview(section: Section, fig: dict) -> list[Paragraph]:
    parts: dict[str, tuple[str, list[Paragraph]]] = {}
    intro: list[Paragraph] = []
    current = None
    for p in section.paragraphs:
        m = _OVERVIEW_PART.match(p.text)
        if m:
            current = m.group(2)
            parts[current] = (p.text, [])
        elif current is not None:
            parts[current][1].append(p)
        else:
            intro.append(p)
    out = list(intro)
    out += [Paragraph(text=parts.get("收入说明", ("1、收入说明", []))[0]),
            Paragraph(text=_render("income", **fig))]
    carried = _carried_sentences(parts.get("支出说明", ("", []))[1], section)
    out += [Paragraph(text=parts.get("支出说明", ("2、支出说明", []))[0]),
            Paragraph(text=_render("expenditure", carried=carried, **fig))]
    if fig["change"] is not None:
        out += [Paragraph(text=parts.get("比上年增减", ("3、比上年增减情况", []))[0]),
                Paragraph(text=_render("change", **fig))]
    return out


def _keep_titles(section: Section, d: Disclosure) -> list[Paragraph]:
    """Paragraphs that title a table (部门政府采购预算…), so it stays in place."""
    titles = {squash(t.title) for t in (d.procurement, d.assets) if t is not None}
    return [p for p in section.paragraphs if squash(p.text) in titles]


def explain(d: Disclosure, planned_purchases: Decimal | None = None) -> Disclosure:
    """A copy of `d` whose standard paragraphs are generated from its tables.
    Last year's figures come from `d.previous`, else from the text itself."""
    out = d.model_copy(deep=True)
    if out.previous is None:
        out.previous = prior_from_text(d)
    fig = figures(out, planned_purchases)
    for s in out.explanation.sections:
        if s.key == "overview":
            s.paragraphs = _overview(s, fig)
        elif s.key == "operating_costs":
            s.paragraphs = [Paragraph(text=_render("operating_costs", **fig))]
        elif s.key == "three_public" and out.tables.get("three_public") is not None:
            carried = [] if fig["tp"]["change"] is not None else _change_sentences(s)
            s.paragraphs = [Paragraph(text=_render("three_public", carried=carried, **fig))]
        elif s.key == "procurement" and out.procurement is not None:
            s.paragraphs = [Paragraph(text=_render("procurement", **fig)), *_keep_titles(s, out)]
        elif s.key == "assets" and out.assets is not None:
            s.paragraphs = [Paragraph(text=_render("assets", **fig)), *_keep_titles(s, out)]
    return out
