"""Headers, numbering and names as printed (rules F01–F06)."""

from __future__ import annotations

import re

from ..definitions import squash
from ..model import Table
from ..numerals import chinese_numeral
from .catalogue import normalize_name
from .context import Context, table_name
from .registry import check

_DEPT_CODE = re.compile(r"^\d+")
# "项目支出6685.02万元，主要为A、B、C；" → the names A, B, C
_PROJECT_LIST = re.compile(r"项目支出[\d.,]+万?元[，,]?主要(?:为|是|用于|包括)[:：]?(.+?)(?:[；;。]|$)")


@check("F01")
def headers(ctx: Context) -> None:
    """F01 department, year and unit the same in every table header and in
    the explanation's title."""
    d = ctx.d
    for t in d.all_tables():
        h = t.header
        if h.department:
            printed = _DEPT_CODE.sub("", squash(h.department))
            if printed != squash(d.department.name):
                ctx.report("F01", f"{table_name(t)} 表头单位为「{printed}」，文档单位为「{d.department.name}」", table=t,
                           expected=d.department.name)
        if h.year and d.year and h.year != str(d.year):
            ctx.report("F01", f"{table_name(t)} 表头预算年度为 {h.year}，文档年度为 {d.year}", table=t, expected=str(d.year))
        # units may differ between tables (Shanghai: 元 in tables 1–8, 万元 in
        # the 三公 table); every comparison converts, so a unit is no fault
    title = d.explanation.title
    if title:
        t = squash(title)
        if squash(d.department.name) not in t:
            ctx.report("F01", f"情况说明标题「{t}」中没有单位名称「{d.department.name}」")
        if d.year and f"{d.year}年" not in t:
            ctx.report("F01", f"情况说明标题「{t}」中没有预算年度 {d.year}年")


def _printed_rows(t: Table) -> list[str | None]:
    """序号 per printed row (a two-sided row is two model rows with one 序号)."""
    seqs: list[str | None] = []
    last = None
    for r in t.rows:
        if r.side and last is not None and last.seq == r.seq and last.side != r.side:
            continue
        seqs.append(r.seq)
        last = r
    return seqs


@check("F02", "F03")
def sequences(ctx: Context) -> None:
    """F02 序号 1, 2, 3 …; F03 栏次 1, 2, 3 …"""
    for t in ctx.d.all_tables():
        seqs = [s for s in _printed_rows(t) if s]
        bad = next((i for i, seq in enumerate(seqs, start=1) if seq != str(i)), None)
        if bad is not None:
            seq = seqs[bad - 1]
            ctx.report("F02", f"{table_name(t)} 序号应为 {bad}，印为 {seq}", table=t, row=_row_with_seq(t, seq),
                       expected=str(bad))
        numbered_cols = [c for c in t.columns if c.number is not None]
        bad = next((i for i, c in enumerate(numbered_cols, start=1) if c.number != i), None)
        if bad is not None:
            col = numbered_cols[bad - 1]
            ctx.report("F03", f"{table_name(t)} 栏「{squash(col.label)}」栏次应为 {bad}，印为 {col.number}",
                       table=t, column=col.key, expected=str(bad))


def _row_with_seq(t: Table, seq: str):
    return next((r for r in t.rows if r.seq == seq), None)


@check("F04")
def section_numbering(ctx: Context) -> None:
    """F04 sections numbered 一、二、三 … in order, in one style."""
    top = [s for s in ctx.d.explanation.sections if s.level == 1 and s.numbering is not None]
    i = 0
    for s in top:
        # a part (第一部分 … 第三部分) starts its numbering again at 一、
        i = 1 if squash(s.numbering) == "一、" else i + 1
        want = f"{chinese_numeral(i)}、"
        if s.numbering is not None and squash(s.numbering) != want:
            ctx.report("F04", f"第 {i} 部分「{s.heading}」编号为「{s.numbering}」，应为「{want}」", section=s, expected=want)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


_BRACKETS = re.compile(r"[（）()【】\[\]“”\"]")


def _bare(name: str) -> str:
    return _BRACKETS.sub("", normalize_name(name))


@check("F05", "F06")
def project_names(ctx: Context) -> None:
    """F05 a project named in the text with a typo (an edit of one or two
    characters) of its table's name; F06 a name no project table has. An
    abbreviation (the name with words left out) is fine."""
    section = ctx.d.explanation.section("overview")
    names = [p.name for p in ctx.d.projects]
    if section is None or not names:
        return
    bare_names = {_bare(n): n for n in names}
    for i, p in enumerate(section.paragraphs):
        m = _PROJECT_LIST.search(squash(p.text))
        if not m:
            continue
        for mention in re.split(r"[、，,]", m.group(1)):
            mention = re.sub(r"等$", "", mention)
            bare = _bare(mention)
            if len(bare) < 2 or any(bare in b or b in bare for b in bare_names):
                continue
            # a typo changes one or two characters: only names of about the
            # same length can be one (and the distance is costly on long names)
            near = [(_distance(bare, b), b) for b in bare_names if abs(len(b) - len(bare)) <= 2]
            best = min(near)[1] if near and min(near)[0] <= 2 else None
            if best is not None:
                ctx.report("F05", f"「{section.heading}」称项目「{mention}」，项目表中为「{bare_names[best]}」",
                           section=section, paragraph=i, item=bare_names[best], expected=bare_names[best])
            elif not any(_subsequence(bare, b) for b in bare_names):
                ctx.report("F06", f"「{section.heading}」提到的项目「{mention}」在项目绩效目标表中找不到", section=section,
                           paragraph=i)
