"""Compare a reading of a corpus document with the values written by hand
from its pages (tests/corpus/expected/*.yaml). Shared by the corpus tests
and scripts/corpus-report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from yusuan.definitions import squash
from yusuan.model import Disclosure

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
EXPECTED = Path(__file__).resolve().parent / "corpus" / "expected"


def expectations() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) | {"_name": p.stem} for p in sorted(EXPECTED.glob("*.yaml"))]


def files_of(exp: dict) -> list[Path]:
    return [CORPUS / f for f in exp.get("files") or [exp["file"]]]


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _find(d: Disclosure, a: dict):
    tables = {t.id: t for t in d.all_tables()}
    t = tables.get(a["table"])
    if t is None:
        return None
    want_col = squash(a.get("column") or "")
    for r in t.rows:
        if a.get("side") and r.side not in (a["side"], None, "purpose" if a["side"] == "expenditure" else None):
            continue
        if a.get("code") and r.code != a["code"]:
            continue
        # an item printed across (三公) is named by its header path as well (公务用车购置及运行维护费/小计)
        printed = squash(r.name + r.texts.get("header", ""))
        if a.get("item") and not a.get("code") and squash(a["item"]).lstrip("0123456789.、") not in printed:
            continue
        for key, v in r.amounts.items():
            col = t.column(key)
            label = squash(col.label) if col else key
            if v is not None and (not want_col or want_col in squash("".join(col.header if col else [])) or want_col == label
                                  or t.id == "three_public"):
                if v == _num(a["value"]):
                    return v
    return None


def _printed_rows(t) -> int:
    """Body rows as printed: a two-sided row, or a row of items printed
    across, is one printed row."""
    return len({(r.source.page, r.source.block, r.source.row) for r in t.rows if r.source})


def compare(exp: dict, d: Disclosure) -> dict[str, list]:
    """Every mismatch between the hand-written expectations and the model."""
    out: dict[str, list] = {"meta": [], "tables": [], "rows": [], "codes": [], "amounts": []}
    for key in ("profile", "scope", "year"):
        if exp.get(key) is not None and getattr(d, key) != exp[key]:
            out["meta"].append((key, exp[key], getattr(d, key)))
    if exp.get("department") and squash(exp["department"]) != squash(d.department.name):
        out["meta"].append(("department", exp["department"], d.department.name))
    present = {t.id for t in d.all_tables()}
    for tid in exp.get("tables") or {}:
        if tid not in present:
            out["tables"].append(tid)
    tables = {t.id: t for t in d.all_tables()}
    for tid, spec in (exp.get("tables") or {}).items():
        if tid in tables and "rows" in spec and _printed_rows(tables[tid]) != spec["rows"]:
            out["rows"].append((tid, spec["rows"], _printed_rows(tables[tid])))
    for tid, codes in (exp.get("codes") or {}).items():
        got = [r.code for r in tables[tid].rows if r.code] if tid in tables else None
        if got != [str(c) for c in codes]:
            out["codes"].append((tid, len(codes), None if got is None else len(got)))
    for a in exp.get("amounts") or []:
        if a.get("text"):
            continue
        if _find(d, a) is None:
            out["amounts"].append(a)
    return out
