"""Budget execution (预算执行) as a 决算's explanation states it.

    from yusuan.explain.execution import execution_items
    for e in execution_items(disclosure):
        e.kind, e.code, e.budget, e.actual, e.percent, e.wording, e.reason

One `Execution` per statement "年初预算为X万元，支出决算为Y万元，完成年初预算的Z%。
决算数小于预算数的主要原因：…": each 项 of 一般公共预算财政拨款支出决算具体情况
(kind "item", with its 科目 and the code of the table row it names), the
section's own total (kind "total") and the 三公 total and items (kind
"three_public", `key` the row of the 三公 table). Figures are as printed, in
万元; a figure the sentence does not print is None (the 三公 items print no
预算数). The phrases are data (data/execution.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..data_files import data_file

from ..definitions import normalize_name, squash
from ..model import Disclosure, Row, Section, Table
from .subjects import Subject, find_rows, subject_defs

_AMOUNT = r"(?P<v>\d+(?:,\d{3})*(?:\.\d+)?)(?P<u>万元|元)"
_NUMBER = r"(?P<n>\d+(?:\.\d+)?)"
_WAN = Decimal(10000)
_LEVELS = ("l1", "l2", "l3")
_WIDTHS = (3, 5, 7)


def compile_pattern(pattern: str) -> re.Pattern:
    """A pattern of data/execution.yaml, its {amount} and {number} filled in."""
    return re.compile(pattern.replace("{amount}", _AMOUNT).replace("{number}", _NUMBER))


def in_wan(m: re.Match) -> Decimal:
    """The amount an {amount} group captured, in 万元."""
    value = Decimal(m.group("v").replace(",", ""))
    return value if m.group("u") == "万元" else value / _WAN


@cache
def execution_file() -> dict:
    return data_file("execution.yaml")


@dataclass(frozen=True, slots=True)
class Patterns:
    general_sections: tuple[str, ...]
    total: re.Pattern
    item: re.Pattern
    three_public_sections: tuple[str, ...]
    three_public_items: tuple[tuple[str, re.Pattern], ...]
    budget: re.Pattern
    full: re.Pattern
    actual: re.Pattern
    percent: re.Pattern
    basis: dict[str, str]
    wording: re.Pattern
    words: dict[str, re.Pattern]
    reason: re.Pattern


@cache
def patterns() -> Patterns:
    f = execution_file()
    fig = f["figures"]
    return Patterns(
        general_sections=tuple(f["general"]["sections"]),
        total=re.compile(f["general"]["total"]),
        item=re.compile(f["general"]["item"]),
        three_public_sections=tuple(f["three_public"]["sections"]),
        three_public_items=tuple((k, re.compile(v)) for k, v in f["three_public"]["items"].items()),
        budget=compile_pattern(fig["budget"]),
        full=compile_pattern(fig["full"]),
        actual=compile_pattern(fig["actual"]),
        percent=compile_pattern(fig["percent"]),
        basis=dict(fig["basis"]),
        wording=re.compile(f["wording"]),
        words={k: re.compile(v) for k, v in f["words"].items()},
        reason=re.compile(f["reason"]),
    )


@dataclass(frozen=True, slots=True)
class Execution:
    kind: str  # "item" | "total" | "three_public"
    section: Section
    paragraph: int  # index in section.paragraphs
    quote: str  # the figures as printed (whitespace removed)
    code: str | None  # the 7-digit 项 the names resolve to in the table (items only)
    names: tuple[str, ...]  # 类, 款, 项 as printed (items); the 三公 item as printed
    budget: Decimal | None  # 年初预算
    actual: Decimal | None  # 支出决算
    percent: Decimal | None  # 完成…的Z%, as printed (its exponent is the printed precision)
    wording: str | None  # "决算数小于预算数" … as printed
    reason: str | None  # the 主要原因 clause as printed ("" when printed empty), None when absent
    full_budget: Decimal | None = None  # 全年预算 (调整预算)
    percent_basis: str | None = None  # which budget the percent names: "budget" | "full"
    relation: str | None = None  # what the wording says: "more" | "less" | "equal" | "roughly"
    wording_basis: str | None = None  # which budget the wording names: "budget" | "full" | None (预算数)
    key: str | None = None  # the 三公 item's row key (subtotal, abroad, vehicles …)
    table_names: tuple[str, ...] = ()  # 类, 款, 项 as the table prints the code's rows
    end: int = 0  # offset in the squashed paragraph after the statement's figures

    def basis_value(self, basis: str | None) -> Decimal | None:
        """The budget a percent or a comparison is against: the one it names,
        else the 年初预算 when printed, else the 全年预算."""
        if basis == "full":
            return self.full_budget
        if basis == "budget":
            return self.budget
        return self.budget if self.budget is not None else self.full_budget

    @property
    def exact_names(self) -> bool:
        """The printed 科目 names are the table's (None-safe: no code, no claim)."""
        return self.code is not None and all(_same(a, b) for a, b in zip(self.names, self.table_names))


def _same(a: str, b: str) -> bool:
    a, b = normalize_name(a), normalize_name(b)
    return a == b or a.removesuffix("支出") == b.removesuffix("支出")


def _subject(text: str) -> dict[str, str] | None:
    """The 科目 levels an item paragraph names after its numbering:
    社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）."""
    p = patterns()
    m = p.item.match(text)
    if not m:
        return None
    rest = text[m.end():].split("。")[0]
    defs = subject_defs()
    names: dict[str, str] = {}
    for mm in defs.marked.finditer(rest):
        level = defs.markers[mm.group("mark")]
        name = mm.group("name").strip("“”\"…：:，,")
        if name:
            names[level] = name
    return names if "l3" in names else None


def _resolve(names: dict[str, str], table: Table | None) -> tuple[str | None, tuple[str, ...]]:
    """The 项 row the names give, and the names the table prints for it. The
    printed names first (a slightly different 项 name is accepted when it is
    the only close one); else the 类 and 项 alone (a wrong 款 name)."""
    if table is None:
        return None, ()
    found = find_rows(Subject(names, {}), [table])
    row: Row | None = found[0][1] if found else None
    if row is None and "l1" in names:
        by_code = {r.code: r for r in table.rows if r.code}
        candidates = [r for r in table.rows if r.code and len(r.code) == 7 and _same(r.name, names["l3"])
                      and (parent := by_code.get(r.code[:3])) is not None and _same(parent.name, names["l1"])]
        row = candidates[0] if len(candidates) == 1 else None
    if row is None or row.code is None:
        return None, ()
    by_code = {r.code: r for r in table.rows if r.code}
    printed = tuple(squash(by_code[row.code[:w]].name) if row.code[:w] in by_code else "" for w in _WIDTHS)
    return row.code, printed


def _relation(word: str, flat: str | None) -> str | None:
    w = patterns().words
    if flat and w["roughly"].fullmatch(flat):
        return "roughly"
    if flat and w["equal"].fullmatch(flat):
        return "equal"
    if w["more"].fullmatch(word):
        return "more"
    if w["less"].fullmatch(word):
        return "less"
    if w["equal"].fullmatch(word):
        return "equal"
    return None


def three_public_key(text: str) -> str | None:
    """The 三公 item a clause names (the first of the listed names found)."""
    return next((k for k, pat in patterns().three_public_items if pat.search(text)), None)


_SPLIT = "；;。：:"
_LEAD = re.compile(r"^[，,；;。：:]*(其中[：:，,]?)?")


def _lead_off(text: str) -> str:
    """A clause without the punctuation and 其中： that join it to the one before."""
    return _LEAD.sub("", text)


def _statements(section: Section, index: int, text: str, subject: dict[str, str] | None,
                table: Table | None, three_public: bool) -> list[Execution]:
    p = patterns()
    actuals = list(p.actual.finditer(text))
    if not actuals:
        return []
    # where each statement begins: after the previous one's percent, else after the
    # last clause boundary before its 决算
    starts = []
    for i, m in enumerate(actuals):
        prev_end = actuals[i - 1].end() if i else 0
        between = text[prev_end:m.start()]
        pm = p.percent.search(between) if i else None
        if pm:
            starts.append(prev_end + pm.end())
        elif i:
            cut = max((between.rfind(c) for c in _SPLIT), default=-1)
            starts.append(prev_end + cut + 1)
        else:
            starts.append(0)
    wordings = [w for w in p.wording.finditer(text) if _relation(w.group("word"), w.group("flat"))]
    out: list[Execution] = []
    for i, m in enumerate(actuals):
        head = text[starts[i]:m.start()]
        stop = starts[i + 1] if i + 1 < len(actuals) else len(text)
        tail = text[m.end():stop]
        budget = list(p.budget.finditer(head))
        full = list(p.full.finditer(head))
        first_figure = min([x.start() for x in budget + full] + [len(head)])
        prefix = _lead_off(head[:first_figure])
        key = None
        if subject is not None and not three_public:
            kind = "item"
        elif three_public:
            key = three_public_key(prefix)
            if key is None:
                continue
            kind = "three_public"
        elif p.total.search(prefix):
            kind = "total"
        else:
            continue
        # the percent: the first in the tail before any comparison
        first_wording = min([w.start() - m.end() for w in wordings if m.end() <= w.start() < m.end() + len(tail)]
                            + [len(tail)])
        pm = p.percent.search(tail[:first_wording])
        percent = Decimal(pm.group("n")) if pm else None
        percent_basis = p.basis.get(pm.group("basis")) if pm and pm.group("basis") else None
        end = m.end() + (pm.end() if pm else 0)
        q0 = starts[i] + (first_figure if kind == "item" else len(head) - len(head.lstrip("，,；;。：:")))
        quote = _lead_off(text[q0:end])
        code, table_names = _resolve(subject, table) if kind == "item" and subject else (None, ())
        names = tuple(subject.get(lv, "") for lv in _LEVELS) if kind == "item" and subject else (
            (prefix,) if kind == "three_public" else ())
        out.append(Execution(
            kind=kind, section=section, paragraph=index, quote=quote, code=code, names=names,
            budget=in_wan(budget[-1]) if budget else None, actual=in_wan(m), percent=percent,
            wording=None, reason=None, full_budget=in_wan(full[-1]) if full else None,
            percent_basis=percent_basis, key=key, table_names=table_names, end=end))
    return _with_wording(text, out, wordings, three_public)


def _with_wording(text: str, found: list[Execution], wordings: list[re.Match], three_public: bool) -> list[Execution]:
    """Each comparison (决算数小于预算数的主要原因：…) to the statement it
    speaks of: the 三公 item it names, else the statement before it."""
    from dataclasses import replace

    p = patterns()
    out = list(found)
    taken: set[int] = set()
    for w in wordings:
        sentence_start = max(text.rfind(c, 0, w.start()) for c in "。；;") + 1
        named = three_public_key(text[sentence_start:w.start()]) if three_public else None
        target = None
        if named is not None:
            target = next((i for i, e in enumerate(out) if e.key == named), None)
        if target is None:
            before = [i for i, e in enumerate(out) if e.end <= w.start()]
            target = before[-1] if before else None
        if target is None or target in taken:
            continue
        taken.add(target)
        after = text[w.end():]
        rm = p.reason.match(after)
        reason = None
        if rm:
            reason = after[rm.end():].split("。")[0]
            # the clause ends the paragraph's sentence; a trailing 其中： opens the list below
            reason = re.sub(r"[。，,；;]?其中[：:]?$", "", reason)
        out[target] = replace(out[target], wording=w.group(0), relation=_relation(w.group("word"), w.group("flat")),
                              wording_basis=p.basis.get(w.group("basis")) if w.group("basis") else None,
                              reason=reason)
    # a reason given without the comparison words (主要原因是…) still counts as one
    for i, e in enumerate(out):
        if e.reason is None:
            nxt = min([x.end for x in out[i + 1:] if x.end > e.end] + [w.start() for w in wordings if w.start() >= e.end]
                      + [len(text)])
            rm = re.search(r"主要原因(是|为|在于|有)?[：:，,]?", text[e.end:nxt])
            if rm:
                out[i] = replace(e, reason=text[e.end + rm.end():nxt].split("。")[0])
    return out


def execution_items(d: Disclosure) -> list[Execution]:
    """Every execution statement of a 决算's explanation, in reading order
    (none for a budget)."""
    if d.kind != "final_accounts":
        return []
    p = patterns()
    table = d.tables.get(execution_file()["general"]["table"])
    out: list[Execution] = []
    for section in d.explanation.sections:
        general = section.key in p.general_sections
        three_public = section.key in p.three_public_sections
        if not (general or three_public):
            continue
        pending: dict[str, str] | None = None
        for index, paragraph in enumerate(section.paragraphs):
            text = squash(paragraph.text)
            subject = _subject(text) if general else None
            if subject is not None:
                pending = subject
            found = _statements(section, index, text, pending if general else None, table, three_public)
            if general and not found and subject is None and pending is not None and not p.actual.search(text):
                continue  # the item's 科目 on a line of its own: its figures follow
            if found and general:
                pending = None
            out.extend(found)
    return out
