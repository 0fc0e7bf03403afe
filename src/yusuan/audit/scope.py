"""Scope wording and the department's name: a 单位 document speaks of itself as a 单位, and its name is the same everywhere (rules W18–W19).

W18 reads a scope word (部门预算, 单位决算 …) as the document's own only
where the wording says so — a year or the department's name in front of it,
a part of the document after it (编制说明, 表), a heading, the cover, a
table's name — because the same words name other things: the parent's
budget, the units' budgets, the district's series, the economic
classification (部门预算经济分类). W19 compares the name wherever the text
names the department as the owner of this budget (某局2024年度部门决算,
某局收入预算, 预算主管部门：某局) and reports only a name that claims to be
the full one and differs by one slip: a character changed, the last word
cut short, a place level lost in the middle. Shorter forms (本部, 商务委,
普陀区…), other bodies and defined abbreviations are the text's own business.
Words and patterns: data/scope_words.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import get_args

from ..data_files import data_file

from ..definitions import section_defs, squash
from ..explain.passages import Passage, PassageKind, Sentence, passages, sentences
from ..model import Disclosure
from ..read.tables import DEPT_LABELS
from .context import Context
from .registry import check

_SCOPES = ("unit", "department")
_SCOPE_ZH = {"unit": "单位", "department": "部门"}
_KIND_ZH = {"budget": "预算", "final_accounts": "决算"}
_LABEL = re.compile(rf"(?:{DEPT_LABELS})[：:]")
# an info line's name runs to the next label, the amount unit or the year
_LABELLED = re.compile(rf"({DEPT_LABELS})[：:]([^：:，。；\d]+?)(?=(?:金额)?单位[：:]|预算年度|(?:{DEPT_LABELS})[：:]|\d|$)")
_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]*$")  # the words right before a position (a name has no digits or marks)


@dataclass(frozen=True, slots=True)
class Words:
    words: dict[str, tuple[str, ...]]  # scope → what it calls itself
    table_prefix: dict[str, str]
    own_before: tuple[str, ...]  # templates with {name}
    own_after: tuple[re.Pattern, ...]
    own_kinds: frozenset[str]
    other_before: re.Pattern
    other_after: re.Pattern
    cited: re.Pattern
    definition: str  # template with {word}
    other_sections: frozenset[str]
    table_name: re.Pattern
    table_scope: str  # template with {name}
    owner_after: tuple[re.Pattern, ...]
    owner_heading: re.Pattern
    decoration: re.Pattern
    org_words: tuple[str, ...]
    place: re.Pattern
    place_prefix: re.Pattern
    parent_labels: frozenset[str]
    aliases: tuple[re.Pattern, ...]


def fill(template: str, **fields: str) -> str:
    """{name}, {word}, {place} filled in (not str.format: the patterns hold \\d{4})."""
    for k, v in fields.items():
        template = template.replace("{" + k + "}", v)
    return template


def _compiled(pattern: str, where: str, **fields: str) -> re.Pattern:
    try:
        return re.compile(fill(pattern, **fields))
    except re.error as exc:
        raise ValueError(f"scope_words.yaml: {where}: {exc}") from exc


@cache
def scope_words() -> Words:
    """data/scope_words.yaml, every pattern compiled once (a broken one fails here, not mid-audit)."""
    data = data_file("scope_words.yaml")
    if set(data["scopes"]) != set(_SCOPES):
        raise ValueError(f"scope_words.yaml: scopes must be {_SCOPES}")
    own, other, owner = data["own"], data["other"], data["owner"]
    probe = {"name": "某局", "word": "部门预算"}  # templates must compile with their placeholders filled
    for i, t in enumerate([*own["before"], data["table_scope"], other["definition"]]):
        _compiled(t, f"template {i}", **probe)
    if not set(own["kinds"]) <= set(get_args(PassageKind)):
        raise ValueError(f"scope_words.yaml: own.kinds: not passage kinds: {own['kinds']}")
    if not set(other["sections"]) <= {s.key for s in section_defs()}:
        raise ValueError(f"scope_words.yaml: other.sections: unknown section in {other['sections']}")
    if not all(w.endswith(("预算", "决算")) for s in data["scopes"].values() for w in s["words"]):
        raise ValueError("scope_words.yaml: a scope word ends in 预算 or 决算")
    return Words(
        words={s: tuple(v["words"]) for s, v in data["scopes"].items()},
        table_prefix={s: _compiled(v["table_prefix"], s).pattern for s, v in data["scopes"].items()},
        own_before=tuple(own["before"]),
        own_after=tuple(_compiled(p, "own.after") for p in own["after"]),
        own_kinds=frozenset(own["kinds"]),
        other_before=_compiled(other["before"], "other.before"),
        other_after=_compiled(other["after"], "other.after"),
        cited=_compiled(other["cited"], "other.cited"),
        definition=other["definition"],
        other_sections=frozenset(other["sections"]),
        table_name=_compiled(data["table_name"], "table_name"),
        table_scope=data["table_scope"],
        owner_after=tuple(_compiled(p, "owner.after") for p in owner["after"]),
        owner_heading=_compiled(owner["heading"], "owner.heading"),
        decoration=_compiled(owner["decoration"], "owner.decoration"),
        org_words=tuple(sorted(owner["org_words"], key=len, reverse=True)),
        place=_compiled(owner["place"], "owner.place"),
        place_prefix=_compiled(owner["place_prefix"], "owner.place_prefix", place=owner["place"]),
        parent_labels=frozenset(owner["parent_labels"]),
        aliases=tuple(_compiled(p, "owner.aliases") for p in owner["aliases"]),
    )


def bare_name(name: str) -> str:
    """The name without what marks one part of the body (（本级）, 本部, 机关):
    a unit document of a department's 本级 names the department."""
    return re.sub(r"(?:[（(](?:本级|本部|机关|部门|单位)[)）]|本级|本部|机关)+$", "", squash(name))


def _last_word(w: Words, name: str) -> str:
    """The word a body's name ends with (委员会, 局 …), or ""."""
    return next((o for o in w.org_words if name.endswith(o)), "")


# -- W18 -----------------------------------------------------------------------------


def _anothers(w: Words, before: str, name: str) -> bool:
    """The word follows another body's name (纳入区民政局2024年部门预算 in the
    welfare home's document): that body's budget, not this document."""
    run = _RUN.search(re.sub(r"\d{4}年度?$", "", before)).group()
    last = _last_word(w, run)
    return bool(last) and not run.endswith(name[-max(2, len(last)):])


def _names_this_document(w: Words, p: Passage, s: Sentence, m: re.Match, name: str) -> bool:
    before, after = s.text[: m.start()], s.text[m.end():]
    if w.other_before.search(before) or w.other_after.search(after) or w.cited.search(before):
        return False
    if _anothers(w, before, name):
        return False
    if re.match(fill(w.definition, word=re.escape(m.group())), s.text):
        return False
    if p.kind in w.own_kinds or w.table_name.match(p.text):
        return True
    return (any(re.search(fill(t, name=re.escape(name)), before) for t in w.own_before)
            or any(a.search(after) for a in w.own_after))


def _foreign_words(w: Words, p: Passage, foreign: str, name: str) -> list[tuple[Sentence, str]]:
    """(sentence, word) for each sentence that calls this document by the other scope's word."""
    pattern = re.compile("|".join(map(re.escape, w.words[foreign])))
    out = []
    for s in sentences(p):
        m = next((m for m in pattern.finditer(s.text) if _names_this_document(w, p, s, m, name)), None)
        if m:
            out.append((s, m.group()))
    return out


def _foreign_table_name(w: Words, p: Passage, foreign: str, name: str) -> str | None:
    """The other scope's word in front of a table's name (2025年部门收入预算总表 in a 单位 document)."""
    t = w.table_name.match(p.text)
    if not t:
        return None
    lead = re.match(fill(w.table_scope, name=re.escape(name)) + f"({w.table_prefix[foreign]})", t.group("rest"))
    return lead.group(1) if lead else None


def _in_other_section(w: Words, p: Passage) -> bool:
    return p.section is not None and p.section.key in w.other_sections


@check("W18")
def scope_wording(ctx: Context) -> None:
    """W18 a 单位 document that calls itself 部门预算/部门决算, or a 部门
    document that calls itself 单位预算/单位决算."""
    d, w = ctx.d, scope_words()
    foreign = "department" if d.scope == "unit" else "unit"
    own = _SCOPE_ZH[d.scope] + _KIND_ZH[d.kind]
    name = bare_name(d.department.name)
    for p in passages(d):
        if _in_other_section(w, p):
            continue
        if (prefix := _foreign_table_name(w, p, foreign, name)) is not None:
            ctx.report_text("W18", f"本文档为{own}，表名「{p.text}」却冠以「{prefix}」", p)
            continue
        for s, word in _foreign_words(w, p, foreign, name):
            ctx.report_text("W18", f"本文档为{own}，此处却称「{word}」", s)


# -- W19 -----------------------------------------------------------------------------


def _owner_before(w: Words, text: str, name: str) -> str | None:
    """The name that ends `text` when it starts like the department's (its
    first two characters): the text calls something by the full name."""
    text = w.decoration.sub("", text)
    run = _RUN.search(text).group()
    at = run.rfind(name[:2])
    return bare_name(run[at:]) if at >= 0 else None


def _labelled(w: Words, s: Sentence, scope: str) -> list[str]:
    """The names on the info lines (预算主管部门：某局): a unit's 主管部门 is its parent, not itself."""
    return [bare_name(m.group(2)) for m in _LABELLED.finditer(s.text)
            if not (scope == "unit" and m.group(1) in w.parent_labels)]


def _owners(w: Words, p: Passage, s: Sentence, name: str, scope: str) -> list[str]:
    """Every name the sentence gives the owner of this budget."""
    found = _labelled(w, s, scope) if p.kind == "cover" or _LABEL.match(s.text) else []
    for t in w.owner_after:
        for m in t.finditer(s.text):
            found.append(_owner_before(w, s.text[: m.start()], name))
    if p.kind in ("heading", "cover") and (m := w.owner_heading.search(s.text)):
        found.append(_owner_before(w, s.text[: m.start()], name))
    return [f for f in dict.fromkeys(found) if f]


def slip(w: Words, printed: str, name: str) -> str | None:
    """How `printed` differs from `name` when it is the name with one slip;
    None when it is the name, a shorter form of it, or another body's name."""
    if printed == name or name.endswith(printed) or not printed.startswith(name[:2]):
        return None
    ops = [o for o in SequenceMatcher(None, printed, name, autojunk=False).get_opcodes() if o[0] != "equal"]
    if len(ops) != 1:
        return None
    tag, i1, i2, j1, j2 = ops[0]
    core = len(name) - len(_place_prefix(w, name))
    if tag == "replace" and i2 - i1 == j2 - j1 == 1 and core >= 5:
        # a short core (民政局/财政局) differs by one character from another body
        return f"「{name[j1:j2]}」印作「{printed[i1:i2]}」"
    if tag == "insert" and i1 == len(printed) and j1 > len(name) - len(_last_word(w, name)):
        return f"末尾缺「{name[j1:]}」"
    if tag == "insert" and 0 < i1 < len(printed) and w.place.fullmatch(name[j1:j2]):
        return f"缺「{name[j1:j2]}」"
    return None


def _place_prefix(w: Words, name: str) -> str:
    return w.place_prefix.match(name).group()


def known_names(w: Words, d: Disclosure) -> set[str]:
    """Names the document gives on purpose: its units, abbreviations it
    defines (以下简称…), other names the body bears (加挂…牌子)."""
    out = {bare_name(re.sub(r"[（(][^）)]*[)）]$", "", i.name)) for i in d.institutions}
    for p in passages(d):
        for a in w.aliases:
            for m in a.finditer(p.text):
                out.update(bare_name(n) for n in m.group("alias").split("、"))
    return out


@check("W19")
def department_name(ctx: Context) -> None:
    """W19 the department named with a slip where the text names the owner
    of this budget (the explanation's title is F01's, table headers too)."""
    d, w = ctx.d, scope_words()
    name = bare_name(d.department.name)
    known = known_names(w, d)
    for p in passages(d):
        if p.kind == "title":
            continue
        for s in sentences(p):
            for printed in _owners(w, p, s, name, d.scope):
                if printed not in known and (how := slip(w, printed, name)):
                    ctx.report_text("W19", f"单位名称印为「{printed}」，与「{name}」不一致：{how}", s)
