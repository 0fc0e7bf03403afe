"""Checks register here; `audit()` runs them all in family order."""

from __future__ import annotations

from collections.abc import Callable

from .context import Context

Check = Callable[[Context], None]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn
