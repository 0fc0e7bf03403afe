"""Which variant of the form is this, and whose disclosure? Decided from
what the reader saw (tables, info labels, layouts, words), against the
signals each profile lists in `data/forms/budget/profiles.yaml`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..definitions import DEFAULT_PROFILE, profile_defs, scope_words


@dataclass
class Features:
    tables: set[str] = field(default_factory=set)
    info: set[str] = field(default_factory=set)  # labels of the info lines (编制部门, 部门, 预算年度 …)
    layouts: set[str] = field(default_factory=set)  # code_parts, across, title_in_grid
    words: list[str] = field(default_factory=list)  # cover, titles, headings and info lines, whitespace removed


def detect_scope(f: Features) -> str:
    """A unit's disclosure when it calls itself one and never a department's."""
    words = scope_words()
    unit = sum(1 for w in f.words if words["unit"].search(w))
    dept = sum(1 for w in f.words if words["department"].search(w))
    return "unit" if unit > dept else "department"


def choose_profile(f: Features, scope: str, kind: str = "budget") -> str:
    def score(pdef) -> tuple[int, int]:
        s = pdef.signals
        points = sum(w for k, w in s.get("tables", {}).items() if k in f.tables)
        points += sum(w for k, w in s.get("info", {}).items() if k in f.info)
        points += sum(w for k, w in s.get("layouts", {}).items() if k in f.layouts)
        points += sum(w for k, w in s.get("scope", {}).items() if k == scope)
        return points, int(pdef.scope == scope)

    ranked = sorted((p for p in profile_defs().values() if p.kind == kind), key=score, reverse=True)
    best = ranked[0]
    if kind != "budget":
        return best.id
    return best.id if score(best)[0] > 0 else DEFAULT_PROFILE
