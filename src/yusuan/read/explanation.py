"""The explanation (情况说明): section headings, duties, department-wide
performance targets and the glossary, read from paragraphs."""

from __future__ import annotations

import re

from ..definitions import section_defs, squash
from ..model import DepartmentPerformance, GlossaryEntry, Paragraph, Section

_HEADING = re.compile(r"^(?P<num>[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])\s*(?P<title>.+)$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分\s*(?P<title>\S.{0,30})$")
_SENTENCE_END = ("。", "；", ";", "：", ":", "，", ",")
_MAX_HEADING = 40
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_GLOSSARY = re.compile(
    r"^\s*(?:\d+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)\s*(?P<term>[^：:]{1,30})[：:]\s*(?P<def>.+)$",
    re.DOTALL)
_PERF_PARTS = {"总体绩效目标": "overall", "分项绩效目标": "targets", "工作保障措施": "measures"}


def section_key(title: str) -> str | None:
    t = squash(title)
    return next((s.key for s in section_defs() if s.match.search(t)), None)


def _bare_key(title: str) -> str | None:
    t = squash(title)
    return next((s.key for s in section_defs() if s.bare is not None and s.bare.search(t)), None)


def _allows_children(section: Section | None) -> bool:
    if section is None or section.key is None:
        return True
    return next((s.children for s in section_defs() if s.key == section.key), True)


def parse_heading(text: str, seen: set[str], current: Section | None = None) -> Section | None:
    """A section heading, or None for an ordinary paragraph.

    Chinese-numbered short lines that do not end like a sentence are
    headings; an Arabic-numbered line only when it names a known section
    not seen yet (seed 000 numbers its sixth section 6、 by mistake, while
    1、收入说明 is a sub-heading). An unnumbered short line is a heading when
    it ends like one of the catalogue's headings that may stand bare
    (上海市…主要职能, 名词解释). Numbered headings under an unnumbered
    top-level section are its parts (level 2); inside a section whose
    numbered lines are its own (a project's 一、项目概述 …) they are text."""
    m = _HEADING.match(text)
    if not m and (p := _PART_HEADING.match(text.strip())) and not is_explanation_start(text):
        # 第四部分 名词解释: a part that is itself a known section
        key = section_key(p.group("title"))
        if key in ("glossary", "other"):
            return Section(key=key, numbering=None, heading=text.strip(), level=1)
    if not m:
        t = squash(text)
        if len(t) > _MAX_HEADING or t.endswith(_SENTENCE_END):
            return None
        if current is not None and current.numbering is not None and current.level == 1:
            return None  # inside a numbered section an unnumbered line is its text
        key = _bare_key(t)
        if key is None:
            return None
        return Section(key=key, numbering=None, heading=text.strip(), level=1)
    title = m.group("title").strip()
    if len(title) > _MAX_HEADING or title.endswith(_SENTENCE_END):
        return None
    top = current
    if top is not None and top.level > 1:
        top = None  # a level-2 part: its parent is unnumbered, so this is a sibling part
        level = 2
    else:
        level = 2 if top is not None and top.numbering is None else 1
    if current is not None and current.level == 1 and not _allows_children(current):
        return None
    key = section_key(title)
    num = m.group("num")
    if num[0].isdigit() and (key is None or key in seen):
        return None
    return Section(key=key, numbering=num.strip(), heading=title, level=level)


def is_explanation_start(text: str) -> bool:
    return bool(_PART.match(text)) and "说明" in text


def duties(section: Section) -> list[Paragraph]:
    out: list[Paragraph] = []
    inside = False
    for p in section.paragraphs:
        t = squash(p.text)
        if t.startswith("部门职责"):
            inside = True
            rest = p.text.split("：", 1)[1].strip() if "：" in p.text else ""
            if rest:
                out.append(Paragraph(text=rest, source=p.source))
            continue
        if t.startswith("机构设置") or t.startswith("部门机构设置"):
            break
        if inside:
            out.append(p)
    if not out and section.numbering is None:
        # a heading of its own (上海…主要职能): the section is the duties
        return list(section.paragraphs)
    return out


def department_performance(section: Section) -> DepartmentPerformance:
    perf = DepartmentPerformance()
    part: str | None = None
    for p in section.paragraphs:
        t = squash(p.text)
        hit = next((v for k, v in _PERF_PARTS.items() if k in t and len(t) < 20), None)
        if hit:
            part = hit
            continue
        if _PART.match(t) and part is not None:
            break  # 第二部分 专项资金 … follows the department-wide targets
        if part:
            getattr(perf, part).append(p)
    return perf


def glossary(section: Section) -> list[GlossaryEntry]:
    out = []
    for p in section.paragraphs:
        if m := _GLOSSARY.match(p.text):
            out.append(GlossaryEntry(term=m.group("term").strip(), definition=m.group("def").strip(), source=p.source))
    return out
