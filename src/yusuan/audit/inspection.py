"""What the Ministry's yearly inspection requires a 部门决算 to state, and
the arithmetic of those statements (rules C09–C16, T20–T24).

The requirements are data (data/forms/final_accounts/requirements.yaml):
for each, the section (and the （一）… part of it) where it is stated and
the patterns that state it. A statement left as the template's placeholder
(团组XX个) is not a statement; in a blank template nothing can be checked,
so the rules are recorded as not run and one C16 note says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..data_files import data_file

from ..definitions import squash, table_defs
from ..model import Disclosure, Section, Table
from .context import Context, section_label, table_name
from .registry import check
from .rulebook import rules

_NUMBER = r"\d+(?:\.\d+)?"
_PLACEHOLDER = r"[XＸ×]+"
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")
_SENTENCE_END = re.compile(r"[。；]")


def _compile(pattern: str, where: str, *, placeholders: bool = True) -> re.Pattern:
    """A pattern with its {n} slots made numbered groups n0, n1, …"""
    out, i = pattern, 0
    while "{n}" in out:
        token = f"{_NUMBER}|{_PLACEHOLDER}" if placeholders else _NUMBER
        out = out.replace("{n}", f"(?P<n{i}>{token})", 1)
        i += 1
    try:
        return re.compile(out)
    except re.error as exc:
        raise ValueError(f"{where}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class State:
    name: str
    pattern: re.Pattern
    unless: re.Pattern | None


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    section: str
    part: str | None
    what: str
    waived_by: re.Pattern | None
    states: tuple[State, ...]


@dataclass(frozen=True, slots=True)
class Spec:
    parts: dict[str, tuple[str, re.Pattern]]
    requirements: tuple[Requirement, ...]
    arithmetic: dict[str, re.Pattern]
    procurement_parts: tuple[str, ...]
    empty_sections: dict[str, str]
    empty_statement: re.Pattern
    empty_instruction: re.Pattern
    template_department: re.Pattern
    placeholder_row: re.Pattern


@cache
def spec() -> Spec:
    name = "forms/final_accounts/requirements.yaml"
    data = data_file(name)
    sections = {s["key"] for s in data_file("sections.yaml")["sections"]}
    known = rules()
    parts = {}
    for key, p in data["parts"].items():
        if p["section"] not in sections:
            raise ValueError(f"{name}: part {key!r}: unknown section {p['section']!r}")
        parts[key] = (p["section"], _compile(p["heading"], f"{name}: part {key!r}"))
    reqs, seen = [], set()
    for r in data["requirements"]:
        where = f"{name}: requirement {r.get('id')!r}"
        if r["id"] not in known or r["id"] in seen:
            raise ValueError(f"{where}: not a rule of rules.yaml, or repeated")
        seen.add(r["id"])
        if r["section"] not in sections:
            raise ValueError(f"{where}: unknown section {r['section']!r}")
        if r.get("part") is not None and r["part"] not in parts:
            raise ValueError(f"{where}: unknown part {r['part']!r}")
        states = []
        for sname, s in r["states"].items():
            s = s if isinstance(s, dict) else {"pattern": s}
            if "{n}" not in s["pattern"]:
                raise ValueError(f"{where}: {sname}: a statement's pattern must hold a {{n}} slot")
            states.append(State(sname, _compile(s["pattern"], f"{where}: {sname}"),
                                _compile(s["unless"], f"{where}: {sname}") if s.get("unless") else None))
        if not states:
            raise ValueError(f"{where}: states nothing")
        reqs.append(Requirement(r["id"], r["section"], r.get("part"), r["what"],
                                _compile(r["waived_by"], where) if r.get("waived_by") else None, tuple(states)))
    arith = dict(data["arithmetic"])
    procurement_parts = tuple(arith.pop("procurement_parts"))
    c14 = next((r for r in reqs if r.id == "C14"), None)
    if c14 is None or not set(procurement_parts) | {"总额"} <= {s.name for s in c14.states}:
        raise ValueError(f"{name}: arithmetic.procurement_parts must name C14's states (and C14 must state 总额)")
    empty = data["empty_tables"]
    for tid, key in empty["sections"].items():
        if tid not in table_defs() or key not in sections:
            raise ValueError(f"{name}: empty_tables: {tid!r} → {key!r} is not a table and a section")
    return Spec(
        parts=parts,
        requirements=tuple(reqs),
        arithmetic={k: _compile(v, f"{name}: arithmetic {k!r}", placeholders=False) for k, v in arith.items()},
        procurement_parts=procurement_parts,
        empty_sections=dict(empty["sections"]),
        empty_statement=re.compile(empty["statement"]),
        empty_instruction=re.compile(empty["instruction"]),
        template_department=re.compile(data["template"]["department"]),
        placeholder_row=re.compile(data["template"]["placeholder_row"]),
    )


# -- the document's text, part by part ------------------------------------------
@dataclass(frozen=True, slots=True)
class Text:
    """A run of paragraphs of one section, squashed and joined, with where
    each paragraph starts so a match is reported at its paragraph."""

    section: Section
    first: int  # index of its first paragraph in the section
    text: str
    starts: tuple[int, ...]

    def paragraph(self, offset: int) -> int:
        i = 0
        for k, s in enumerate(self.starts):
            if s <= offset:
                i = k
        return self.first + i

    @property
    def label(self) -> str:
        return section_label(self.section)


def _text(section: Section, first: int, last: int) -> Text:
    starts, chunks, pos = [], [], 0
    for p in section.paragraphs[first:last]:
        t = squash(p.text)
        starts.append(pos)
        chunks.append(t)
        pos += len(t)
    return Text(section, first, "".join(chunks), tuple(starts))


def part_text(d: Disclosure, section_key: str, part: str | None) -> Text | None:
    """The section, or its （一）… part whose heading fits; the whole section
    when it prints no sub-headings at all; None when it is not there."""
    section = d.explanation.section(section_key)
    if section is None:
        return None
    if part is None:
        return _text(section, 0, len(section.paragraphs))
    heading = spec().parts[part][1]
    heads = [i for i, p in enumerate(section.paragraphs) if _SUBHEADING.match(squash(p.text))]
    if not heads:
        return _text(section, 0, len(section.paragraphs))
    for k, i in enumerate(heads):
        if heading.search(squash(section.paragraphs[i].text)):
            end = heads[k + 1] if k + 1 < len(heads) else len(section.paragraphs)
            return _text(section, i, end)
    return None


def blank_template(d: Disclosure, *, any_kind: bool = False) -> str | None:
    """Why this 决算 (with `any_kind`, this document of any form) is the
    blank form rather than a filled one, or None: the department is a
    placeholder and no table holds an amount."""
    s = spec()
    if (d.kind != "final_accounts" and not any_kind) or not s.template_department.search(d.department.name or ""):
        return None
    if any(v is not None for t in d.all_tables() for r in t.rows for v in r.amounts.values()):
        return None
    return f"部门名称「{d.department.name}」是占位符，表中没有数字"


def _placeholder(m: re.Match) -> str | None:
    return next((v for k, v in m.groupdict().items() if k.startswith("n") and v and re.fullmatch(_PLACEHOLDER, v)), None)


def _numbers(m: re.Match) -> list[Decimal]:
    slots = [(int(k[1:]), v) for k, v in m.groupdict().items() if re.fullmatch(r"n\d+", k) and v is not None]
    return [Decimal(v) for _, v in sorted(slots)]


def _sentence(text: str, m: re.Match) -> str:
    """The clause a match sits in, for quoting in a message."""
    a = max((x.end() for x in _SENTENCE_END.finditer(text, 0, m.start())), default=0)
    e = _SENTENCE_END.search(text, m.end())
    return text[a:e.start() if e else len(text)]


# -- C09–C15: what must be stated -------------------------------------------------
_COMPLETENESS = ("C09", "C10", "C11", "C12", "C13", "C14", "C15")


@check(*_COMPLETENESS)
def stated(ctx: Context) -> None:
    why = blank_template(ctx.d)
    for req in spec().requirements:
        if why is not None:
            ctx.cannot(req.id, f"空白模板（{why}）：没有可核对的说明")
            continue
        section = ctx.d.explanation.section(req.section)
        if section is None:
            ctx.cannot(req.id, f"情况说明没有「{req.section}」部分")  # C02 reports the section missing
            continue
        t = part_text(ctx.d, req.section, req.part)
        if t is None:
            heading = spec().parts[req.part][1].pattern if req.part else req.section
            ctx.report(req.id, f"「{section_label(section)}」中没有「{heading}」部分，未说明{req.what}", section=section)
            continue
        if req.waived_by is not None and req.waived_by.search(t.text):
            continue  # the template's own statement that there was none
        missing, holders = [], []
        for st in req.states:
            m = st.pattern.search(t.text)
            if m is None:
                if st.unless is None or not st.unless.search(t.text):
                    missing.append(st.name)
            elif (ph := _placeholder(m)) is not None:
                holders.append((st.name, ph, m))
        if missing:
            ctx.report(req.id, f"「{t.label}」没有说明{req.what}：缺少{'、'.join(missing)}",
                       section=t.section, paragraph=t.first if req.part else None)
        for name, ph, m in holders:
            ctx.report(req.id, f"「{t.label}」的{name}仍是模板占位符：「{_sentence(t.text, m)}」",
                       section=t.section, paragraph=t.paragraph(m.start()))


# -- T20–T24: the stated amounts against each other ------------------------------
def _printed_step(values: list[Decimal]) -> Decimal:
    """How far printed (rounded) values may be off in sum: half a step of
    each non-zero value's last printed digit (a printed 0 is exact)."""
    return sum((Decimal(1).scaleb(v.as_tuple().exponent) / 2 for v in values if v != 0), Decimal(0))


def _found(t: Text, pattern: re.Pattern) -> tuple[re.Match, list[Decimal]] | None:
    m = pattern.search(t.text)
    return (m, _numbers(m)) if m is not None else None


@check("T20", "T21", "T22")
def procurement_arithmetic(ctx: Context) -> None:
    if (why := blank_template(ctx.d)) is not None:
        for r in ("T20", "T21", "T22"):
            ctx.cannot(r, f"空白模板（{why}）")
        return
    t = part_text(ctx.d, "final_other", "procurement")
    if t is None:
        for r in ("T20", "T21", "T22"):
            ctx.cannot(r, "没有政府采购情况的说明")
        return
    s = spec()
    c14 = {st.name: st for st in next(r for r in s.requirements if r.id == "C14").states}
    total_hit = c14["总额"].pattern.search(t.text)
    hits = [c14[n].pattern.search(t.text) for n in s.procurement_parts]
    total = _numbers(total_hit) if total_hit is not None and _placeholder(total_hit) is None else []
    # T20/T21: 货物 + 工程 + 服务 = 总额
    if total and all(h is not None and _placeholder(h) is None for h in hits):
        parts = [_numbers(h)[0] for h in hits]
        diff = sum(parts, Decimal(0)) - total[0]
        if abs(diff) > ctx.tolerance:
            said = "＋".join(f"{n}{v}万元" for n, v in zip(s.procurement_parts, parts))
            rounding = abs(diff) <= _printed_step([*parts, total[0]])
            ctx.report("T21" if rounding else "T20",
                       f"政府采购金额{total[0]}万元 ≠ {said} ＝ {sum(parts, Decimal(0))}万元，相差{abs(diff)}万元"
                       + ("（在各数分别四舍五入的误差之内）" if rounding else ""),
                       section=t.section, paragraph=t.paragraph(total_hit.start()), expected=str(sum(parts, Decimal(0))))
    else:
        for r in ("T20", "T21"):
            ctx.cannot(r, "政府采购总额或货物、工程、服务金额没有以数字说明")
    # T22: the 中小企业 amounts against the total and each other
    ran = False
    if total:
        share = _found(t, s.arithmetic["sme_share"])
        if share is not None:
            ran = True
            m, (amount, pct) = share
            places = Decimal(1).scaleb(pct.as_tuple().exponent)
            want = (amount / total[0] * 100).quantize(places) if total[0] else None
            if want is not None and want != pct:
                ctx.report("T22", f"「{_sentence(t.text, m)}」：{amount}÷{total[0]} ＝ {want}%，不是{pct}%",
                           section=t.section, paragraph=t.paragraph(m.start()), expected=f"{want}%")
        reserved, other = _found(t, s.arithmetic["sme_reserved_awarded"]), _found(t, s.arithmetic["sme_other_awarded"])
        if reserved is not None and other is not None:
            ran = True
            won = reserved[1][0] + other[1][0]
            if won - total[0] > ctx.tolerance:
                ctx.report("T22", f"由中小企业供应商中标或成交的金额（预留项目{reserved[1][0]}万元＋其他项目{other[1][0]}万元"
                                  f"＝{won}万元）超过政府采购金额{total[0]}万元",
                           section=t.section, paragraph=t.paragraph(other[0].start()))
    sme = c14["中小企业预留"].pattern.search(t.text)
    small = _found(t, s.arithmetic["small_reserved"])
    if sme is not None and _placeholder(sme) is None and small is not None:
        ran = True
        if small[1][0] - _numbers(sme)[0] > ctx.tolerance:
            ctx.report("T22", f"面向小微企业预留金额{small[1][0]}万元超过面向中小企业预留金额{_numbers(sme)[0]}万元"
                              "（小微企业是中小企业的一部分）",
                       section=t.section, paragraph=t.paragraph(small[0].start()))
    if not ran:
        ctx.cannot("T22", "没有以数字说明中小企业金额或份额")


@check("T23")
def vehicles_by_use(ctx: Context) -> None:
    if blank_template(ctx.d) is not None:
        ctx.cannot("T23", "空白模板")
        return
    t = part_text(ctx.d, "final_other", "assets")
    hit = _found(t, spec().arithmetic["vehicles"]) if t is not None else None
    if hit is None:
        ctx.cannot("T23", "没有“共有车辆N辆，其中：…”的说明")
        return
    m, (total,) = hit
    items = [(x.group("use"), _numbers(x)[0]) for x in spec().arithmetic["vehicle_item"].finditer(m.group("list"))]
    if not items:
        ctx.cannot("T23", "车辆没有按用途列出")
        return
    if sum(v for _, v in items) != total:
        said = "＋".join(f"{u}{v}辆" for u, v in items)
        ctx.report("T23", f"共有车辆{total}辆 ≠ {said} ＝ {sum(v for _, v in items)}辆",
                   section=t.section, paragraph=t.paragraph(m.start()), expected=str(sum(v for _, v in items)))


@check("T24")
def evaluation_counts(ctx: Context) -> None:
    if blank_template(ctx.d) is not None:
        ctx.cannot("T24", "空白模板")
        return
    t = part_text(ctx.d, "performance", None)
    if t is None:
        ctx.cannot("T24", "没有预算绩效管理情况")
        return
    a = spec().arithmetic
    ran = False
    evaluated = _found(t, a["self_evaluated"])
    grades = [(x.group("grade"), _numbers(x)[0], x) for x in a["grades"].finditer(t.text)]
    if evaluated is not None and grades:
        ran = True
        n = evaluated[1][0]
        if sum(v for _, v, _ in grades) != n:
            said = "＋".join(f"“{g}”{v}个" for g, v, _ in grades)
            ctx.report("T24", f"绩效自评项目{n}个 ≠ 各评级项目数之和 {said} ＝ {sum(v for _, v, _ in grades)}个",
                       section=t.section, paragraph=t.paragraph(grades[0][2].start()),
                       expected=str(sum(v for _, v, _ in grades)))
    problems = _found(t, a["problems"])
    if problems is not None:
        ran = True
        m, (found, done, doing) = problems
        if done + doing != found:
            ctx.report("T24", f"绩效自评发现问题{found}个 ≠ 已完成整改{done}个＋正在整改{doing}个",
                       section=t.section, paragraph=t.paragraph(m.start()), expected=str(done + doing))
    if not ran:
        ctx.cannot("T24", "没有以数字说明绩效自评项目的评级或问题整改")


# -- C16: a blank template -------------------------------------------------------
@check("C16")
def template_recognised(ctx: Context) -> None:
    why = blank_template(ctx.d)
    if why is None:
        return
    s = spec()
    rows = [(t, r) for t in ctx.d.all_tables() for r in t.rows
            if s.placeholder_row.match(squash(r.name)) or (r.code and s.placeholder_row.match(r.code))]
    units = [i for i in ctx.d.institutions if s.placeholder_row.match(squash(i.name))]
    where = "、".join(dict.fromkeys(table_name(t) for t, _ in rows))
    ctx.report("C16", f"这是空白模板（{why}）：{len(rows)} 行占位行（……）"
                      + (f"在{where}" if where else "") + (f"，单位构成中 {len(units)} 行占位" if units else "")
                      + "，不作为错误报告；说明中的内容要求（C09–C15、T20–T24）未核对")


def empty_table_stated(d: Disclosure, table: Table) -> bool | None:
    """For a 决算 table: whether its emptiness is stated (under the table, or
    in its section); None for tables this file says nothing about."""
    s = spec()
    if table_defs()[table.id].kind != "final_accounts":
        return None
    lines = [squash(n.text) for n in table.notes]
    key = s.empty_sections.get(table.id)
    section = d.explanation.section(key) if key else None
    if section is not None:
        lines += [squash(p.text) for p in section.paragraphs]
    return any(s.empty_statement.search(x) and not s.empty_instruction.search(x) for x in lines)
