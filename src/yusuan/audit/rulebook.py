"""Rule metadata, read from `data/rules.yaml`: the only list of rule ids,
severities and descriptions. Checks refer to rules by id; `yusuan rules`
prints this list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..data_files import data_file

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # info 0 < warning 1 < error 2


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: str
    family_zh: str
    family_en: str
    severity: Severity
    zh: str
    en: str
    needs: tuple[str, ...] = ()


@cache
def _file() -> dict:
    return data_file("rules.yaml")


@cache
def rules() -> dict[str, Rule]:
    data = _file()
    families = data["families"]
    out = {}
    for rid, meta in data["rules"].items():
        fam = families[rid[0]]
        if meta["severity"] not in SEVERITIES:
            raise ValueError(f"rules.yaml: {rid}: unknown severity {meta['severity']!r}")
        out[rid] = Rule(rid, rid[0], fam["zh"], fam["en"], meta["severity"], meta["zh"], meta["en"],
                        tuple(meta.get("needs") or ()))
    return out


def at_least(severity: Severity, minimum: Severity) -> bool:
    return RANK[severity] >= RANK[minimum]
