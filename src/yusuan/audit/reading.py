"""What the reader saw but could not place (rules R01–R05): every `Unread`
becomes a finding with its location, so nothing is lost without a word.

A cell that prints its amount another way (587.92万, 1O.18) is named by its
table, row and column. When it could not be read, the cell is empty to every
other rule, which would then report a sum that does not add up (合计 0.00 ≠
…) where nothing is known to be wrong. Such findings are withheld, and the
cell's finding names the checks that could not be made. A finding rests on
the cell when it does not come out word for word the same with an amount in
the cell: that test knows nothing of any rule, so it holds for every rule,
now and later."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..definitions import squash
from ..model import Row, Table, Unread
from .context import Context, table_name
from .finding import Finding
from .ledger import missing, not_applicable
from .registry import CHECKS, check
from .rulebook import rules as rulebook

_RULE = {"table": "R01", "column": "R02", "cell": "R03", "paragraph": "R04", "part": "R05"}
_WHAT = {"table": "未能识别的表格", "column": "未能识别的表列", "cell": "未能读取的单元格",
         "paragraph": "未能归入任何部分的文字", "part": "重复或缺失的部分"}
# put in an unread cell to see which findings change: an amount no table prints by chance
_PROBE = Decimal("987654.31")
# more unread cells than this are tried together, and share what was withheld
_PROBE_ONE_BY_ONE = 8


@check("R01", "R02", "R03", "R04", "R05")
def unread(ctx: Context) -> None:
    blind: list[_Blind] = []
    for u in ctx.d.unread:
        rule = "R05" if u.kind == "table" and u.message.startswith("a second table") else _RULE[u.kind]
        table = ctx.table(u.table) if u.table else None
        if u.kind == "cell" and u.column and table is not None:
            row = _row_of(table, u)
            ctx.report("R03", f"{table_name(table)} {u.message}", table=table, row=row, column=u.column,
                       source=u.source)
            if row is not None and row.amounts.get(u.column) is None:
                index = next(i for i, r in enumerate(table.rows) if r is row)
                blind.append(_Blind(table.id, index, u.column, ctx.findings[-1]))
            continue
        printed = f"「{u.text}」" if u.text else ""
        ctx.report(rule, f"{_WHAT[u.kind]}{printed}：{u.message}", table=table, source=u.source)
    if not blind:
        return
    running = _running(ctx)
    empty = _others(ctx, [], running)
    for group in [[b] for b in blind] if len(blind) <= _PROBE_ONE_BY_ONE else [blind]:
        filled = _others(ctx, group, running)
        # a check whose findings change with the cell could not be made,
        # whether it found something with the cell empty or not
        rules = sorted({rule for rule, _ in empty ^ filled})
        for b in group:
            b.kept = filled
            if rules:
                b.finding.message += f"；涉及此格的核对（{'、'.join(rules)}）因此不作判断"
    ctx.findings = _Withholding(ctx.findings, blind)


def _row_of(table: Table, u: Unread) -> Row | None:
    """The row the cell was read into: printed at the cell's place, on the
    cell's side; of several items printed across, the one named."""
    side = c.side if (c := table.column(u.column)) is not None else None
    rows = [r for r in table.rows if r.source == u.source and u.column in r.amounts
            and (side is None or r.side in (side, None))]
    if len(rows) > 1:
        rows = [r for r in rows if f"「{squash(r.name)}」" in squash(u.message)] or rows
    return rows[0] if rows else None


def _key(f: Finding) -> tuple[str, tuple]:
    return f.rule, tuple(f.model_dump().values())


@dataclass(eq=False)
class _Blind:
    """A cell no rule could read, and the finding that says so."""

    table: str
    row: int  # index in the table's rows
    column: str
    finding: Finding
    kept: set[tuple] = field(default_factory=set)  # the findings that stand whatever the cell holds


def _running(ctx: Context) -> set[str]:
    """The rules the audit runs on this document (its ledger's "ran")."""
    skip = not_applicable(ctx.d)
    budget = ctx.budget[1] if ctx.budget else None
    return {rid for rid, rule in rulebook().items()
            if rid not in skip and missing(ctx.d, rule.needs, budget) is None}


def _others(ctx: Context, cells: list[_Blind], running: set[str]) -> set[tuple]:
    """Every other check's findings, with these cells holding an amount."""
    d = ctx.d.model_copy(deep=True) if cells else ctx.d
    for b in cells:
        table = d.tables.get(b.table) or getattr(d, b.table)
        table.rows[b.row].amounts[b.column] = _PROBE
    probe = Context(d, ctx.tolerance, ctx.budget)
    for chk in CHECKS:
        if chk.run is unread or not running.intersection(chk.rules):
            continue
        before = len(probe.findings)
        try:
            chk.run(probe)
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError):
            del probe.findings[before:]  # as the audit does: that check's findings are not kept
    return {_key(f) for f in probe.findings if f.rule in running}


class _Withholding(list):
    """The findings list from the reading check on: a finding that rests on
    a cell no rule could read says nothing about the document, and is kept
    out whichever check reports it, before or after this one."""

    def __init__(self, findings: list[Finding], blind: list[_Blind]) -> None:
        self._blind = blind
        super().__init__(f for f in findings if not self._held(f))

    def _held(self, f: Finding) -> bool:
        return not f.rule.startswith("R") and any(_key(f) not in b.kept for b in self._blind)

    def append(self, f: Finding) -> None:
        if not self._held(f):
            super().append(f)
