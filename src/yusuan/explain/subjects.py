"""A 科目 named in the text by its levels, and the table row it names.

The explanation lists expenditure by 科目 in several ways:
“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元,
公共安全支出（204类）司法（06款）…（01项）N万元,
“社会保障和就业支出-行政事业单位养老支出-行政单位离退休”科目155.42万元,
or 法院（款）行政运行（项）支出11786.92万元 under a heading （一）公共安全（类）
that names the 类 once for the lines below it. How the levels are marked
is data (`subjects` in data/statements.yaml); this module finds the names
(and codes, where printed) and the row of a functional table they name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from ..definitions import normalize_name, squash
from ..model import Row, Table
from .statements import Statement, statements_file

_LEVELS = ("l1", "l2", "l3")
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_WIDTHS = {"l1": 3, "l2": 2, "l3": 2}


@dataclass(frozen=True, slots=True)
class SubjectDefs:
    marked: re.Pattern  # one level: its name, then （[code]类|款|项）
    markers: dict[str, str]  # 类 → l1 …
    separators: str
    lead: re.Pattern  # numbering and connectives before the subject
    filler: re.Pattern  # words between the subject and its amount
    heading: re.Pattern  # a line that names only a 类 for the lines below
    tables: tuple[tuple[str, str], ...]  # (table id, amount column)
    rule: str
    min_ratio: float
    # a 决算's tables and rule (`final_accounts:` in the data)
    final_tables: tuple[tuple[str, str], ...] = ()
    final_rule: str | None = None

    def tables_for(self, kind: str) -> tuple[tuple[str, str], ...]:
        return self.final_tables if kind == "final_accounts" else self.tables

    def rule_for(self, kind: str) -> str:
        return (self.final_rule or self.rule) if kind == "final_accounts" else self.rule


@cache
def subject_defs() -> SubjectDefs:
    s = statements_file()["subjects"]
    markers = {k: v for k, v in s["markers"].items()}
    marks = "|".join(markers)
    return SubjectDefs(
        marked=re.compile(rf"(?P<name>[^（()）“”\"]*?)[（(](?P<code>\d*)(?P<mark>{marks})[）)]"),
        markers=markers,
        separators=s["separators"],
        lead=re.compile(s["lead"]),
        filler=re.compile(s["filler"]),
        heading=re.compile(s["heading"]),
        tables=tuple(tuple(ref.split(".")) for ref in s["tables"]),
        rule=s["rule"],
        min_ratio=float(s["min_ratio"]),
        final_tables=tuple(tuple(ref.split(".")) for ref in s.get("final_accounts", {}).get("tables", ())),
        final_rule=s.get("final_accounts", {}).get("rule"),
    )


@dataclass(frozen=True, slots=True)
class Subject:
    names: dict[str, str]  # level → printed name
    codes: dict[str, str]  # level → printed code digits

    @property
    def level(self) -> str:
        return max((*self.names, *self.codes), key=_LEVELS.index)


def heading_class(text: str) -> str | None:
    """（一）公共安全（类）: the 类 the following lines belong to."""
    m = subject_defs().heading.match(squash(text))
    return m.group("name") if m else None


def subject(st: Statement, l1: str | None = None) -> Subject | None:
    """The 科目 the statement's clause names right before its amount, with
    the 类 of the heading above when the clause starts at the 款."""
    defs = subject_defs()
    before = squash(st.text[: st.end])
    # the amount itself and what joins it to the subject
    before = re.sub(r"\d+(?:,\d{3})*(?:\.\d+)?(万元|元)$", "", before)
    before = re.split(r"[。；;：:]", before)[-1]
    before = defs.lead.sub("", before)
    before = defs.filler.sub("", before)
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    marked = list(defs.marked.finditer(before))
    if marked and "".join(m.group(0) for m in marked) == before.strip("“”\"'‘’"):
        for m in marked:
            level = defs.markers[m.group("mark")]
            if m.group("name").strip("…"):
                names[level] = m.group("name").strip("“”\"…")
            if m.group("code"):
                codes[level] = m.group("code")
    else:
        # the dashed form is quoted: unquoted dashes are ranges, not levels
        if not before.startswith(("“", '"')):
            return None
        parts = re.split(f"[{re.escape(defs.separators)}]", before.strip("“”\""))
        if not 2 <= len(parts) <= 3 or not all(parts):
            return None
        names = dict(zip(_LEVELS, parts))
    if not names and not codes:
        return None
    if "l1" not in names and "l1" not in codes and l1 and ("l2" in names or "l2" in codes):
        names = {"l1": l1, **names}
    return Subject(names, codes)


def same_name(a: str, b: str) -> bool:
    """Two printings of one 科目 name (支出 at the end may be left off)."""
    a, b = normalize_name(a), normalize_name(b)
    return a == b or a.removesuffix("支出") == b.removesuffix("支出")


def find_rows(sub: Subject, tables: list[Table]) -> list[tuple[Table, Row]]:
    """The rows the subject names, one per table that has it: by printed
    codes when every level before it prints one, else by names level by
    level (the last level may be worded a little differently:
    一般行政事务管理 for 一般行政管理事务, when it is the only close one)."""
    defs = subject_defs()
    depth = _LEVELS.index(sub.level) + 1
    out = []
    for t in tables:
        by_code = {r.code: r for r in t.rows if r.code}
        if not by_code:
            # rows named without codes (the summary's 一、一般公共服务支出): a 类 by name
            if depth == 1 and "l1" in sub.names:
                named = [r for r in t.rows if r.side in (None, "expenditure")
                         and same_name(_NUMBERING.sub("", squash(r.name)), sub.names["l1"])]
                if named:
                    out.append((t, named[0]))
            continue
        if all(lv in sub.codes for lv in _LEVELS[:depth]):
            code = "".join(sub.codes[lv].zfill(_WIDTHS[lv]) for lv in _LEVELS[:depth])
            if code in by_code:
                out.append((t, by_code[code]))
            continue
        length = sum(_WIDTHS[lv] for lv in _LEVELS[:depth])
        rows = [r for r in t.rows if r.code and len(r.code) == length]

        def parents_fit(r: Row) -> bool:
            for i, lv in enumerate(_LEVELS[: depth - 1]):
                parent = by_code.get(r.code[: sum(_WIDTHS[x] for x in _LEVELS[: i + 1])])
                if lv in sub.names and (parent is None or not same_name(parent.name, sub.names[lv])):
                    return False
                if lv in sub.codes and not r.code[: sum(_WIDTHS[x] for x in _LEVELS[: i + 1])].endswith(sub.codes[lv]):
                    return False
            return True

        rows = [r for r in rows if parents_fit(r)]
        name = sub.names.get(sub.level)
        if name is None:
            continue
        exact = [r for r in rows if same_name(r.name, name)]
        if exact:
            out.append((t, exact[0]))
            continue
        close = [r for r in rows
                 if difflib.SequenceMatcher(None, normalize_name(r.name), normalize_name(name)).ratio() >= defs.min_ratio]
        if len(close) == 1:
            out.append((t, close[0]))
    return out
