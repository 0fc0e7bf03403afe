"""The ledger: for every rule, whether it ran, did not apply to this form,
or could not run for lack of data — so a check that could not run is never
counted as passed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..definitions import profile_def, table_defs
from ..model import Disclosure
from .rulebook import rules

Status = Literal["ran", "not_applicable", "could_not_run"]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    status: Status
    reason: str | None = None


def missing(d: Disclosure, needs: tuple[str, ...], budget: Disclosure | None = None) -> str | None:
    """What the document lacks of what a rule reads, in words; None when it has it all."""
    for need in needs:
        if need == "budget":
            if budget is None:
                return "没有同时给出同一部门同一年度的部门预算（yusuan check 预算 决算）"
        elif need.startswith("form:"):
            continue  # another form's rule is not applicable (not_applicable), never missing
        elif need == "classified":
            if not any(table_defs()[t.id].classification for t in d.tables.values()):
                return "没有按科目分类的表"
        elif need == "sections":
            if not d.explanation.sections:
                return "没有情况说明的章节"
        elif need == "projects":
            if not d.projects:
                return "没有项目绩效目标表"
        elif need.startswith("section:"):
            key = need.split(":", 1)[1]
            if d.explanation.section(key) is None:
                return f"情况说明没有「{key}」部分"
        else:
            options = need.split("|")
            if not any(_has_table(d, t) for t in options):
                names = "或".join(table_defs()[t].name for t in options if t in table_defs())
                return f"缺少{names}"
    return None


def _has_table(d: Disclosure, tid: str) -> bool:
    if tid == "procurement":
        return d.procurement is not None
    if tid == "assets":
        return d.assets is not None
    return tid in d.tables or any(table_defs()[t].counterpart == tid for t in d.tables)


def not_applicable(d: Disclosure) -> frozenset[str]:
    """The profile's list, and the rules of another form (`needs: [form:final_accounts]`)."""
    other_form = {rid for rid, rule in rules().items()
                  if any(n.startswith("form:") and n != f"form:{d.kind}" for n in rule.needs)}
    return profile_def(d.profile).not_applicable | other_form
