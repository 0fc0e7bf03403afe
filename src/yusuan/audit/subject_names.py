"""科目 names in the text by year: valid in the document's year, and agreeing
with their code and the tables (rules W09–W10).

W09 looks for the names the catalogue dates (data/catalogue/functional.yaml:
former names, and the names of renamed or newly created codes) wherever the
text prints them. W10 reads each 科目 the text names by its levels
(“类…款…项”, with or without codes, or quoted with dashes: the forms
explain/subjects.py reads) or next to its code (2101101行政单位医疗,
行政单位医疗（2101101）), and compares the printed names with the document's
own tables, else with the year's catalogue.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from ..definitions import normalize_name, squash
from ..explain.execution import execution_file, execution_items
from ..explain.passages import Sentence, passages, sentences
from ..explain.subjects import Subject, same_name, subject_defs
from .catalogue import Entry, catalogue
from .context import Context, table_name
from .registry import check

_LEVELS = ("l1", "l2", "l3")
_WORD = {"l1": "类", "l2": "款", "l3": "项"}
_LENGTH = {"l1": 3, "l2": 5, "l3": 7}  # a code's digits up to each level

# nothing but names between the levels of one 科目; any of these ends it
_BREAK = re.compile(r"[，,。；;：:、“”\"‘’！？!?]")
# a sentence about a renaming prints the old name on purpose
_RENAMING = re.compile(r"调整为|更名|改名|改为|变更为|名称调整|原科目")
# a dated name that is not a 支出 (a 款 such as 国土资源事务 reads like prose)
# counts only where it is marked as a 科目
_MARKED_AFTER = re.compile(r"[（(]\d*[类款项][)）]|科目|”|[-－—]")
_MARKED_BEFORE = re.compile(r"[“\-－—]$")
_CODE = r"\d{3}(?:\d{2}){0,2}"  # 3, 5 or 7 digits: a 类, 款 or 项 (a year has 4)
_CODE_FIRST = re.compile(rf"(?<![\dA-Za-z.．])(?P<code>{_CODE})(?![\d.．%])[-－—:：]?")
_CODE_AFTER = re.compile(rf"[（(](?P<code>{_CODE})[)）]")
_QUOTED = re.compile(r"“([^“”]+)”")


@check("W09", "W10")
def subject_names(ctx: Context) -> None:
    year = ctx.d.year
    if year is None:
        ctx.cannot("W09", "文档年度不明")
        ctx.cannot("W10", "文档年度不明")
        return
    dated = _dated("functional", year)
    names = {cls: _Names(ctx, cls) for cls in ("functional", "economic")}
    covered = _covered_by_t16(ctx)
    for p in passages(ctx.d):
        for s in sentences(p):
            _out_of_year(ctx, s, dated, names["functional"])
            for m in _mentions(s.text):
                if (id(p.section), _printed(m.subject)) not in covered:
                    _against_tables(ctx, s, m, names["functional"], dated)
            _coded(ctx, s, names, dated)


# -- W09 names of another year -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Dated:
    """The catalogue's dated names for one year: which are out of it, and a
    pattern finding them (a longer name first: 其他卫生健康支出 is not 卫生健康支出)."""
    pattern: re.Pattern
    out: dict[str, tuple[Entry, ...]]

    def reported(self, printed: str) -> bool:
        """The printed name ends with a name W09 reports in this year."""
        p = normalize_name(printed)
        return any(p.endswith(n) for n in self.out)


@cache
def _dated(classification: str, year: int) -> _Dated:
    cat = catalogue(classification)
    dated = cat.dated_names()
    # every name holding a dated one, so the longer name is read whole
    names = {normalize_name(e.name) for es in (*cat.entries.values(), *cat.former.values()) for e in es}
    holders = sorted((n for n in names if any(d in n for d in dated)), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, holders)))
    return _Dated(pattern, {n: found for n in dated if (found := cat.out_of_year(n, year))})


def _out_of_year(ctx: Context, s: Sentence, dated: _Dated, names: _Names) -> None:
    if _RENAMING.search(s.text):
        return
    seen: set[str] = set()
    for m in dated.pattern.finditer(normalize_name(s.text)):
        name = m.group(0)
        entries = dated.out.get(name)
        if entries is None or name in seen or not _as_subject(s.text, m.start(), m.end(), name):
            continue
        seen.add(name)
        ctx.report_text("W09", _year_message(name, entries[0], names), s, quote=_clause(s.text, m.start(), m.end()))


def _as_subject(text: str, start: int, end: int, name: str) -> bool:
    if text[:start].endswith("原"):
        return False  # 卫生健康支出（原医疗卫生与计划生育支出）
    return name.endswith("支出") or bool(_MARKED_AFTER.match(text, end)) or bool(_MARKED_BEFORE.search(text[:start]))


def _year_message(name: str, e: Entry, names: _Names) -> str:
    """The name's years, and what the code is called in the document's year
    (the catalogue's, else the tables')."""
    year, cat = names.year, names.cat
    now = cat.name_in(e.code, year)
    if now is not None:
        instead = f"，{year} 年该科目为「{now.name}」{f'（{now.years()}）' if now.years() else ''}"
    elif e.code in cat.created and year < cat.created[e.code]:
        instead = f"，{year} 年尚无此科目"
    elif (printed := names.official(e.code)) is not None:
        instead = f"，{printed[1]} 为「{printed[0]}」"
    else:
        instead = ""
    return f"「{name}」（{e.code}）是 {e.years()}的科目名称，不属于 {year} 年度{instead}"


def _clause(text: str, start: int, end: int) -> str:
    """The words around a name, from the break before it to the break after."""
    before = [b.end() for b in re.finditer(r"[，,。；;！？]", text[:start])]
    after = re.search(r"[，,。；;！？]", text[end:])
    left = before[-1] if before else 0
    right = end + after.start() if after else len(text)
    return text[max(left, start - 40):min(right, end + 40)]


# -- W10 the text's 科目 against the tables --------------------------------------------
class _Names:
    """One classification's 科目 names by code: as the document's tables print
    them, and the year's catalogue where it covers the year."""

    def __init__(self, ctx: Context, classification: str) -> None:
        self.cat = catalogue(classification)
        self.year = ctx.d.year
        self.printed: dict[str, list[tuple[str, str]]] = {}  # code → (name, where)
        for t in ctx.d.tables.values():
            if ctx.definition(t).classification != classification:
                continue
            for r in t.rows:
                if r.code and squash(r.name):
                    self.printed.setdefault(r.code, []).append((squash(r.name), f"{table_name(t)} {r.code}"))

    def listed(self, code: str) -> Entry | None:
        return self.cat.lookup(code, self.year) if self.cat.covers(self.year) else None

    def official(self, code: str) -> tuple[str, str] | None:
        """The code's name and where it is from: the tables', else the catalogue's."""
        if code in self.printed:
            return self.printed[code][0]
        e = self.listed(code)
        return (e.name, f"{self.year} 年科目目录 {code}") if e else None

    def agrees(self, code: str, printed: str, loose: bool = False) -> bool | None:
        """None when neither the tables nor the catalogue name the code."""
        names = [n for n, _ in self.printed.get(code, ())]
        if (e := self.listed(code)) is not None:
            names.append(e.name)
        return any(_agree(printed, n, loose) for n in names) if names else None

    def codes(self, length: int) -> list[str]:
        return [c for c in self.printed if len(c) == length]

    def known(self) -> list[str]:
        """Every name a 科目 may be printed with here, longest first."""
        names = {normalize_name(n) for ns in self.printed.values() for n, _ in ns}
        if self.cat.covers(self.year):
            names |= {normalize_name(e.name) for es in self.cat.entries.values() for e in es if e.valid(self.year)}
        names |= {normalize_name(e.name) for es in self.cat.former.values() for e in es}
        return sorted(names, key=len, reverse=True)


def _agree(printed: str, official: str, loose: bool) -> bool:
    """The same name; a loose one may carry words before it (主要用于…)."""
    if same_name(printed, official):
        return True
    p, o = (normalize_name(x).removesuffix("支出") for x in (printed, official))
    return loose and p.endswith(o)


@dataclass(frozen=True, slots=True)
class _Mention:
    subject: Subject
    start: int
    end: int
    loose: bool  # the first level's name may carry words before it


def _mentions(text: str) -> Iterator[_Mention]:
    yield from _chains(text)
    yield from _dashed(text)


def _chains(text: str) -> Iterator[_Mention]:
    """“类…款…项” chains: each marker closes the name printed since the
    previous one (so a name may hold brackets: 政府办公厅（室）及相关机构事务)."""
    defs = subject_defs()
    current: list[tuple[str, str, str]] = []  # (level, name, code)
    start = end = 0
    loose = False
    for m in defs.marked.finditer(text):
        level, mark = defs.markers[m.group("mark")], m.start("code") - 1
        gap = text[end:mark]
        if current and not _BREAK.search(gap) and _LEVELS.index(level) > _LEVELS.index(current[-1][0]):
            current.append((level, gap.strip("…"), m.group("code")))
            end = m.end()
            continue
        if current:
            yield _mention(current, start, end, loose)
        cut = max([end] + [b.end() for b in _BREAK.finditer(text, end, mark)])
        name = _lead_off(text[cut:mark])
        start, end = mark - len(name), m.end()
        loose = text[cut - 1:cut] != "“"
        current = [(level, name.strip("…"), m.group("code"))]
    if current:
        yield _mention(current, start, end, loose)


def _lead_off(text: str) -> str:
    """Without the numbering and connective before the first name; a
    numeral without its 、 or ） is the name's own (一般公共服务支出)."""
    m = subject_defs().lead.match(text)
    numbering = m.group(1) or ""
    if numbering and numbering[-1] not in ")）.．、":
        return text
    return text[m.end():]


def _mention(levels: list[tuple[str, str, str]], start: int, end: int, loose: bool) -> _Mention:
    names = {lv: n for lv, n, _ in levels if n}
    codes = {lv: c for lv, _, c in levels if c}
    return _Mention(Subject(names, codes), start, end, loose)


def _dashed(text: str) -> Iterator[_Mention]:
    """“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”."""
    defs = subject_defs()
    for m in _QUOTED.finditer(text):
        parts = re.split(f"[{re.escape(defs.separators)}]", m.group(1))
        if 2 <= len(parts) <= 3 and all(parts) and not re.search(r"\d", m.group(1)) \
                and not defs.marked.search(m.group(1)):
            yield _Mention(Subject(dict(zip(_LEVELS, parts)), {}), m.start(), m.end(), False)


def _printed(sub: Subject) -> tuple[str, ...]:
    return tuple(normalize_name(sub.names[lv]) for lv in _LEVELS if lv in sub.names)


def _covered_by_t16(ctx: Context) -> set[tuple[int, tuple[str, ...]]]:
    """The 科目 of a 决算's 一般公共预算 items: T16 holds them to the table
    (by section and printed names, as T16 reads them)."""
    if ctx.table(execution_file()["general"]["table"]) is None:
        return set()
    return {(id(e.section), tuple(normalize_name(n) for n in e.names if n))
            for e in execution_items(ctx.d) if e.kind == "item"}


def _against_tables(ctx: Context, s: Sentence, m: _Mention, names: _Names, dated: _Dated) -> None:
    sub = m.subject
    found = _resolve(sub, names, m.loose)
    if found is None:
        _level_mismatch(ctx, s, m, names, dated)
        return
    code, wrong = found
    for lv in wrong:
        printed = sub.names[lv]
        if dated.reported(printed):
            continue  # W09 says it
        official, where = names.official(code[:_LENGTH[lv]])
        ctx.report_text("W10", f"「{printed}（{sub.codes.get(lv, '')}{_WORD[lv]}）」与{where}「{official}」不符"
                               f"{_other_level(printed, code, lv, names)}", s, quote=s.text[m.start:m.end])


def _other_level(printed: str, code: str, level: str, names: _Names) -> str:
    """The printed name is the code's 科目 at another level (住房改革支出 is its 款)."""
    for lv in _LEVELS:
        prefix = code[:_LENGTH[lv]]
        if lv != level and len(prefix) == _LENGTH[lv] and names.agrees(prefix, printed):
            return f"（「{printed}」是 {prefix} {_WORD[lv]}级科目）"
    return ""


def _resolve(sub: Subject, names: _Names, loose: bool) -> tuple[str, list[str]] | None:
    """The code the 科目 names and its levels whose printed name is not the
    code's; None when the tables do not tell one code."""
    levels = [lv for lv in _LEVELS if lv in sub.names or lv in sub.codes]
    length = _LENGTH[levels[-1]]
    candidates = [c for c in names.codes(length) if all(_code_fits(c, lv, d) for lv, d in sub.codes.items())]
    whole = "".join(sub.codes.get(lv, "") for lv in levels)
    if len(whole) == length and all(lv in sub.codes for lv in levels) and whole not in candidates \
            and names.official(whole) is not None:
        candidates.append(whole)  # a printed code the tables do not hold: the catalogue's name

    def status(code: str, lv: str) -> bool | None:
        return names.agrees(code[:_LENGTH[lv]], sub.names[lv], loose and lv == levels[0])

    named = [lv for lv in levels if lv in sub.names]
    if sub.codes:
        # the printed code decides; names printed without a code narrow it down
        fit = [c for c in candidates if all(status(c, lv) for lv in named if lv not in sub.codes)]
        return (fit[0], [lv for lv in named if lv in sub.codes and status(fit[0], lv) is False]) if len(fit) == 1 else None
    if len(named) < 2 or any(all(status(c, lv) for lv in named) for c in candidates):
        return None
    near = {(c, lv) for c in candidates for lv in named
            if status(c, lv) is False and all(status(c, o) for o in named if o != lv)
            and _plausible(sub, lv, levels[-1], c, names)}
    return (next(iter(near))[0], [next(iter(near))[1]]) if len(near) == 1 else None


def _code_fits(code: str, level: str, digits: str) -> bool:
    """（01项） is the level's own digits, （2210201项） the whole code."""
    i = _LEVELS.index(level)
    own = code[_LENGTH[_LEVELS[i - 1]] if i else 0:_LENGTH[level]]
    return digits in (own, code[:_LENGTH[level]])


def _plausible(sub: Subject, level: str, deepest: str, code: str, names: _Names) -> bool:
    """One level printed wrong, the others right: the 项 itself only when
    worded closely (一般行政事务管理 for 一般行政管理事务) and not the name of
    another 科目 of the same parent (one the tables may not hold); a parent
    when the 项 names one code only and the wrong name is no 科目 of that
    level here."""
    printed = normalize_name(sub.names[level])
    if level == deepest:
        official = normalize_name(names.official(code)[0])
        sibling = names.cat.covers(names.year) and names.cat.code_for_name(printed, len(code), names.year)
        return (difflib.SequenceMatcher(None, printed, official).ratio() >= subject_defs().min_ratio
                and not (sibling and sibling[:-2] == code[:-2]))
    length = _LENGTH[deepest]
    same_deepest = [c for c in names.codes(length) if names.agrees(c, sub.names[deepest])]
    elsewhere = [c for c in names.codes(_LENGTH[level]) if names.agrees(c, printed)]
    return len(same_deepest) == 1 and not elsewhere


def _level_mismatch(ctx: Context, s: Sentence, m: _Mention, names: _Names, dated: _Dated) -> None:
    """A 科目 printed alone with a level it does not have here: 住房改革支出（类）."""
    sub = m.subject
    if sub.codes or len(sub.names) != 1:
        return
    (lv, printed), = sub.names.items()
    if dated.reported(printed) or any(names.agrees(c, printed) for c in names.codes(_LENGTH[lv])):
        return
    if names.cat.covers(names.year) and names.cat.code_for_name(printed, _LENGTH[lv], names.year):
        return
    other = [(c, o) for o in _LEVELS if o != lv for c in names.codes(_LENGTH[o])
             if any(same_name(printed, n) for n, _ in names.printed[c])]
    if len(other) == 1:
        code, o = other[0]
        ctx.report_text("W10", f"「{printed}（{_WORD[lv]}）」：{names.official(code)[1]}「{names.official(code)[0]}」"
                               f"是{_WORD[o]}级科目，不是{_WORD[lv]}", s, quote=s.text[m.start:m.end])


# -- W10 a name next to its code -------------------------------------------------------
def _coded(ctx: Context, s: Sentence, names: dict[str, _Names], dated: _Dated) -> None:
    """2101101行政单位医疗 or 行政单位医疗（2101101）: the printed name is
    taken to be the known 科目 name the code touches; a code the text does
    not join to any known name is left alone."""
    text = normalize_name(s.text)
    for m in _CODE_FIRST.finditer(text):
        _coded_one(ctx, s, m.group("code"), text[m.end():], names, dated, after=True)
    for m in _CODE_AFTER.finditer(text):
        _coded_one(ctx, s, m.group("code"), text[:m.start()], names, dated, after=False)


def _coded_one(ctx: Context, s: Sentence, code: str, side: str, names: dict[str, _Names], dated: _Dated,
               after: bool) -> None:
    idx = next((n for n in names.values() if n.official(code) is not None), None)
    if idx is None:
        return
    official, where = idx.official(code)
    touch = side.startswith if after else side.endswith
    if any(touch(normalize_name(n)) or touch(normalize_name(n).removesuffix("支出"))
           for n in [official, *[p for p, _ in idx.printed.get(code, ())]]):
        return
    printed = next((n for n in idx.known() if touch(n)), None)
    if printed is None or dated.reported(printed):
        return
    quote = f"{code}{printed}" if after else f"{printed}（{code}）"
    ctx.report_text("W10", f"「{quote}」：{where} 为「{official}」，不是「{printed}」", s, quote=quote)
