"""The audit: every check a finance reviewer makes, run over the model.

Rules read the `Disclosure` only, never the file it came from, so they work
the same for every reader. Rule metadata lives in `data/rules.yaml`.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Disclosure
from . import (  # noqa: F401  (register checks)
    arithmetic,
    changes,
    classification,
    completeness,
    consistency,
    crosstable,
    explanation,
    final_text,
    inspection,
    performance,
    presentation,
    reading,
    scope,
    subject_names,
    typography,
    versus,
    years,
)
from .context import Context
from .finding import Finding
from .ledger import Entry, missing, not_applicable
from .registry import CHECKS
from .rulebook import SEVERITIES, Rule, at_least, rules

__all__ = ["SEVERITIES", "Entry", "Finding", "Rule", "audit", "audit_with_ledger", "rules"]

_FAMILY_ORDER = "RCAXTKPFW"


def audit(d: Disclosure, tolerance: Decimal = Decimal(0)) -> list[Finding]:
    """All findings for one disclosure, most severe first, then by rule."""
    return audit_with_ledger(d, tolerance)[0]


def audit_with_ledger(d: Disclosure, tolerance: Decimal = Decimal(0),
                      budget: tuple[str, Disclosure] | None = None) -> tuple[list[Finding], list[Entry]]:
    """The findings, and for every rule whether it ran, did not apply to
    this form, or could not run (and why). `budget` (file, model) is the
    published budget a 决算 is checked against (rules X12–X13)."""
    ctx = Context(d, tolerance, budget)
    skip = not_applicable(d)
    meta = rules()
    ledger: dict[str, Entry] = {}
    for rid in meta:
        if rid in skip:
            ledger[rid] = Entry(rule=rid, status="not_applicable", reason=f"不适用于{d.profile}表式")
        elif (why := missing(d, meta[rid].needs, budget[1] if budget else None)) is not None:
            ledger[rid] = Entry(rule=rid, status="could_not_run", reason=why)
        else:
            ledger[rid] = Entry(rule=rid, status="ran")
    for chk in CHECKS:
        if all(ledger[r].status != "ran" for r in chk.rules):
            continue
        before = len(ctx.findings)
        try:
            chk.run(ctx)
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
            # a rule that meets data it cannot handle is reported, never crashes the audit
            del ctx.findings[before:]
            for r in chk.rules:
                if ledger[r].status == "ran":
                    ledger[r] = Entry(rule=r, status="could_not_run", reason=f"{type(exc).__name__}: {exc}")
    for r, why in ctx.unable.items():
        if ledger[r].status == "ran":
            ledger[r] = Entry(rule=r, status="could_not_run", reason=why)
    findings = [f for f in ctx.findings if ledger[f.rule].status == "ran"]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order[f.severity], _FAMILY_ORDER.index(f.rule[0]), f.rule))
    return findings, list(ledger.values())


def filter_findings(findings: list[Finding], minimum: str) -> list[Finding]:
    return [f for f in findings if at_least(f.severity, minimum)]
