"""Two disclosures side by side: two years of one department, or a budget
and its 决算. Every amount of the tables both print, matched by table,
row (code, else name) and column key; and what B's text says about the
change from last year checked against A's own figures.

    from yusuan.compare import compare
    c = compare(read("2023.pdf"), read("2024.pdf"))
    c.changes[0].a, c.changes[0].b, c.statements[0].agrees
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .audit.context import YUAN
from .definitions import squash, table_defs
from .explain.generate import headline_figures, prior_from_text
from .model import Disclosure, Row, Table

# what a 比上年 statement is about, as a reviewer names it
STATED = {"total": "收支总预算", "basic": "基本支出", "project": "项目支出", "three_public": "“三公”经费"}


@dataclass(frozen=True, slots=True)
class Change:
    table: str  # B's table id
    title: str
    code: str
    item: str
    column: str  # the column as printed in B
    a: Decimal | None  # in B's unit for the table
    b: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def rate(self) -> Decimal | None:
        """In percent, to two places; none from a base of zero."""
        d = self.difference
        return None if d is None or not self.a else (d * 100 / self.a).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class Statement:
    key: str  # total, basic, project, three_public
    what: str
    implied: Decimal  # A's figure as B's text implies it (B's figure − the stated change)
    actual: Decimal | None  # A's figure from A's tables, in B's unit
    reason: str | None

    @property
    def agrees(self) -> bool | None:
        return None if self.actual is None else self.actual == self.implied


@dataclass
class Comparison:
    a: Disclosure
    b: Disclosure
    changes: list[Change] = field(default_factory=list)  # every matched amount that differs
    unchanged: int = 0
    only_a: list[tuple[str, str]] = field(default_factory=list)  # (table title, row) A prints and B does not
    only_b: list[tuple[str, str]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    @property
    def disagreements(self) -> list[Statement]:
        return [s for s in self.statements if s.agrees is False]


def _counterpart(t: Table) -> str:
    """A 决算 table and the budget table it answers to compare as one."""
    return table_defs()[t.id].counterpart or t.id


def _row_key(r: Row) -> tuple:
    return (r.side, r.code) if r.code else (r.side, squash(r.name))


def _scale(a: Disclosure, ta: Table, b: Disclosure, tb: Table) -> Decimal:
    """A's amounts in B's unit for the table (元 tables beside 万元 ones)."""
    return YUAN.get(a.unit_of(ta), Decimal(1)) / YUAN.get(b.unit_of(tb), Decimal(1))


def compare(a: Disclosure, b: Disclosure) -> Comparison:
    out = Comparison(a, b)
    tables_a = {_counterpart(t): t for t in a.all_tables()}
    for tb in b.all_tables():
        ta = tables_a.get(_counterpart(tb))
        if ta is None:
            continue
        scale = _scale(a, ta, b, tb)
        rows_a = {_row_key(r): r for r in ta.rows}
        rows_b = {_row_key(r): r for r in tb.rows}
        labels = {c.key: squash(c.label) for c in tb.columns}
        for key, rb in rows_b.items():
            ra = rows_a.get(key)
            if ra is None:
                if any(v is not None for v in rb.amounts.values()):
                    out.only_b.append((tb.title or tb.id, rb.name))
                continue
            for col, vb in rb.amounts.items():
                va = ra.amounts.get(col)
                if va is None and vb is None:
                    continue
                va = None if va is None else va * scale
                if va == vb:
                    out.unchanged += 1
                    continue
                out.changes.append(Change(tb.id, tb.title or tb.id, rb.code or "", rb.name, labels.get(col, col), va, vb))
        out.only_a += [(ta.title or ta.id, r.name) for k, r in rows_a.items()
                       if k not in rows_b and any(v is not None for v in r.amounts.values())]
    out.statements = _statements(a, b)
    return out


def _statements(a: Disclosure, b: Disclosure) -> list[Statement]:
    """B's 比上年 sentences against A's tables: B's text implies A's figure
    (B's own figure minus the change it states)."""
    if a.year is None or b.year != a.year + 1 or a.kind != b.kind:
        return []  # B's 比上年 is about another document than A
    prior = prior_from_text(b)
    if prior is None:
        return []
    actual = headline_figures(a)
    scale = YUAN.get(a.unit or "万元", Decimal(1)) / YUAN.get(b.unit or "万元", Decimal(1))
    out = []
    for key, what in STATED.items():
        implied = getattr(prior, key)
        if implied is None:
            continue
        figure = actual.get(key)
        out.append(Statement(key, what, implied, None if figure is None else figure * scale, prior.reasons.get(key)))
    return out
