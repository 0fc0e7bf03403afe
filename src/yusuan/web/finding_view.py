"""A stored finding as the document page shows it: grouped as the audit's
own reports group it, located in words as they locate it, and tied to the
printed cell it is about so the page can link to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..audit.finding import Finding
from ..audit.report import group_of
from ..audit.rulebook import rules
from ..definitions import squash

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"open": "待复核", "confirmed": "已确认", "dismissed": "已排除"}

Positions = dict[str, list[tuple[int, str | None, str | None]]]


@dataclass(frozen=True)
class Cell:
    table_id: str
    row: int
    column: str | None  # None: the row is known, not the column


# stored as the Finding names them
STORED_PLACE = ("paragraph", "project", "quote", "against", "cited_table", "cited_code", "cited_item",
                "cited_column", "expected")


def as_finding(f: dict[str, Any]) -> Finding:
    """The audit's Finding back from a stored row (the store keeps the column
    key as `column_key` and its printed header as `column_label`)."""
    label = f["column_label"] if f["column_label"] != f["column_key"] else None
    return Finding(rule=f["rule"], severity=f["severity"], message=f["message"], table=f["table_id"],
                   code=f["code"], item=f["item"], column=f["column_key"], column_header=label,
                   section=f["section"], page=f["page"], line=f["line"],
                   **{k: f[k] for k in STORED_PLACE})


def row_position(table_id: str | None, code: str | None, item: str | None, positions: Positions) -> int | None:
    """The printed row of a table cell: by its code, else by its item's words."""
    rows = positions.get(table_id or "", [])
    if code:
        hit = next((p for p, c, _ in rows if c == code), None)
        if hit is not None:
            return hit
    if item:
        item = squash(item)
        return next((p for p, _, name in rows if name is not None and squash(name) == item), None)
    return None


def cell_of(f: dict[str, Any], positions: Positions) -> Cell | None:
    """The finding's own cell, else the one its statement was compared with
    (a text finding, filed under its section, cites the cell)."""
    if f["table_id"]:
        row = row_position(f["table_id"], f["code"], f["item"], positions)
        return Cell(f["table_id"], row, f["column_key"]) if row is not None else None
    if f["cited_table"]:
        row = row_position(f["cited_table"], f["cited_code"], f["cited_item"], positions)
        return Cell(f["cited_table"], row, f["cited_column"]) if row is not None else None
    return None


@dataclass
class Shown:
    """One finding on the page: the stored row, where it is in words, the
    cell to link to (None: not about a table cell)."""

    data: dict[str, Any]
    where: str
    cell: Cell | None
    rule_name: str  # what the rule checks, in the rulebook's words

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


def shown(f: dict[str, Any], positions: Positions) -> Shown:
    meta = rules().get(f["rule"])
    return Shown(f, as_finding(f).where(within_group=True), cell_of(f, positions), meta.zh if meta else "")


def grouped(findings: list[dict[str, Any]], positions: Positions) -> list[tuple[str, list[Shown]]]:
    """(table or section, its findings) in the order the audit gave them."""
    groups: dict[str, list[Shown]] = {}
    for f in findings:
        groups.setdefault(group_of(as_finding(f)), []).append(shown(f, positions))
    return list(groups.items())
