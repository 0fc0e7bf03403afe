"""Checks register here with the rules they report; `audit()` runs them all
in family order and keeps the ledger of what ran."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .context import Context

CheckFn = Callable[[Context], None]


@dataclass(frozen=True, slots=True)
class Check:
    run: CheckFn
    rules: tuple[str, ...]


CHECKS: list[Check] = []


def check(*rules: str) -> Callable[[CheckFn], CheckFn]:
    if not rules:
        raise ValueError("a check names the rules it reports")

    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append(Check(fn, rules))
        return fn

    return register
