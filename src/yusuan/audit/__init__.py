"""The audit: every check a finance reviewer makes, run over the model.

Rules read the `Disclosure` only, never the file it came from, so they work
the same for every reader. Rule metadata lives in `data/rules.yaml`.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Disclosure
from . import (  # noqa: F401  (register checks)
    arithmetic,
    classification,
    completeness,
    crosstable,
    explanation,
    performance,
    presentation,
)
from .context import Context
from .finding import Finding
from .registry import CHECKS
from .rulebook import SEVERITIES, Rule, at_least, rules

__all__ = ["SEVERITIES", "Finding", "Rule", "audit", "rules"]

_FAMILY_ORDER = "CAXTKPF"


def audit(d: Disclosure, tolerance: Decimal = Decimal(0)) -> list[Finding]:
    """All findings for one disclosure, most severe first, then by rule."""
    ctx = Context(d, tolerance)
    for run in CHECKS:
        run(ctx)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(ctx.findings, key=lambda f: (order[f.severity], _FAMILY_ORDER.index(f.rule[0]), f.rule))


def filter_findings(findings: list[Finding], minimum: str) -> list[Finding]:
    return [f for f in findings if at_least(f.severity, minimum)]
