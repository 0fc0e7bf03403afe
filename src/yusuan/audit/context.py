"""What every check gets: the disclosure, the tolerance, lookups into the
tables by the names the definitions give, and `report` to record a finding
with its exact location."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from ..definitions import squash, table_defs
from ..explain.passages import Passage, Sentence
from ..lookup import ZERO, Lookup
from ..model import Disclosure, Paragraph, Row, Section, Source, Table
from .finding import Finding
from .rulebook import rules

_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def fmt(value: Decimal | None) -> str:
    """An amount as the tables print it: two decimals at least."""
    v = value if value is not None else ZERO
    return f"{v:.2f}" if v.as_tuple().exponent >= -2 else str(v)


def index_of(rows: list[Row], row: Row | None) -> int | None:
    """Position by identity: `list.index` would compare pydantic models field
    by field, which is both slow and wrong for two equal rows."""
    return next((i for i, r in enumerate(rows) if r is row), None) if row is not None else None


def numbered(name: str) -> bool:
    return bool(_NUMBERED.match(squash(name)))


def strip_numbering(name: str) -> str:
    return _NUMBERED.sub("", squash(name))


# the table cell a finding's figure was compared with: (table, row, column key)
Cites = tuple[Table, Row | None, str | None]

YUAN = {"元": Decimal(1), "万元": Decimal(10000)}  # 元 in one unit of each printed unit


class Context(Lookup):
    def __init__(self, d: Disclosure, tolerance: Decimal = ZERO, budget: tuple[str, Disclosure] | None = None) -> None:
        super().__init__(d)
        self.tolerance = tolerance
        self.budget = budget  # (file, model): the published budget a 决算 is checked against
        self.findings: list[Finding] = []
        self.unable: dict[str, str] = {}  # rule → why it could not run on this document
        self._rules = rules()

    def cannot(self, rule: str, reason: str) -> None:
        """The rule lacks what it reads here: the ledger says so, it never passes."""
        self.unable.setdefault(rule, reason)

    def yuan(self, table: Table) -> Decimal:
        """How many 元 one unit of this table's amounts is."""
        return YUAN.get(self.d.unit_of(table), Decimal(1))

    def same(self, a: Decimal | None, b: Decimal | None) -> bool:
        return abs((a or ZERO) - (b or ZERO)) <= self.tolerance

    @staticmethod
    def amount_columns(table: Table, side: str | None = None, additive_only: bool = False) -> list[str]:
        tdef = table_defs()[table.id]
        out = []
        for c in table.columns:
            if c.kind != "amount" or (side is not None and c.side not in (None, side)):
                continue
            cdef = tdef.column_def(c.key)
            if additive_only and cdef is not None and not cdef.additive:
                continue
            out.append(c.key)
        return out

    def coded_rows(self, table: Table) -> Iterable[Row]:
        return (r for r in table.rows if r.code)

    # -- reporting -------------------------------------------------------
    def report(
        self,
        rule: str,
        message: str,
        *,
        table: Table | None = None,
        row: Row | None = None,
        column: str | None = None,
        section: Section | None = None,
        paragraph: int | None = None,
        source: Source | None = None,
        item: str | None = None,
        code: str | None = None,
        project: str | None = None,
        against: str | None = None,
        quote: str | None = None,
        part: str | None = None,
        cites: Cites | None = None,
        expected: str | Decimal | None = None,
    ) -> None:
        """`cites`: the cell the finding's figure was compared with, when that
        cell is not the finding's own location. `expected`: what should be
        there; an amount is formatted as the tables print it."""
        meta = self._rules[rule]  # an unknown id is a programming error: fail loudly in tests
        header = None
        if table is not None and column is not None:
            col = table.column(column)
            header = " ".join(col.label.split()) if col else None
        src = source or (row.source if row is not None else None)
        if src is None and section is not None:
            if paragraph is not None and paragraph < len(section.paragraphs):
                src = section.paragraphs[paragraph].source
            else:
                src = section.source
        if src is None and table is not None:
            src = table.source
        self.findings.append(
            Finding(
                rule=rule,
                severity=meta.severity,
                message=message,
                table=table.id if table is not None else None,
                code=code if code is not None else (row.code if row is not None else None),
                item=item if item is not None else (squash(row.name) if row is not None and row.name else None),
                column=column,
                column_header=header,
                section=section_label(section) if section is not None else part,
                project=project,
                paragraph=paragraph,
                page=src.page if src else None,
                line=src.line if src else None,
                against=against,
                quote=quote,
                **_cited(cites),
                expected=fmt(expected) if isinstance(expected, Decimal) else expected,
            )
        )

    def report_text(self, rule: str, message: str, at: Passage | Sentence, quote: str | None = None,
                    expected: str | Decimal | None = None) -> None:
        """A finding in running text: its section (or cover, table, project),
        paragraph and the sentence quoted."""
        p = at.passage if isinstance(at, Sentence) else at
        table = self.d.tables.get(p.table) if p.table else None
        self.report(rule, message, section=p.section, paragraph=p.paragraph, source=p.source,
                    table=table, project=p.project, part=None if p.section else p.part,
                    quote=quote if quote is not None else _shorten(at.text), expected=expected)


def _cited(cites: Cites | None) -> dict[str, str | None]:
    if cites is None:
        return {}
    table, row, column = cites
    return {"cited_table": table.id, "cited_code": row.code if row is not None else None,
            "cited_item": squash(row.name) if row is not None and row.name else None, "cited_column": column}


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section_label(section: Section) -> str:
    return f"{section.numbering or ''}{section.heading}"


def table_name(table: Table) -> str:
    """The title as printed (what the reviewer sees), else the standard name."""
    return squash(table.title) or table_defs()[table.id].name


def row_label(row: Row) -> str:
    return " ".join(p for p in (row.code, squash(row.name)) if p)


def paragraphs_of(section: Section | None) -> list[Paragraph]:
    return section.paragraphs if section is not None else []
