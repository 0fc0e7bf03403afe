"""The typed model of one disclosure: what every reader produces and every
later stage (audit, writers, store) consumes.

Amounts are `Decimal` exactly as printed ("20.00" stays "20.00"); an empty
cell is `None`. Every table, row, paragraph and project carries a `source`
(provenance) so findings can point at it; two readings of the same document
in different formats differ only there (see `Disclosure.content`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2"

Level = Literal["类", "款", "项"]
Side = Literal["income", "expenditure", "purpose"]
ColumnKind = Literal["seq", "code", "code_part", "name", "text", "amount", "number"]
Scope = Literal["department", "unit"]
AmountUnit = Literal["万元", "元"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    """Where something was read from.

    `block` counts the document's top-level paragraphs and tables in order
    (the same in every format); `row` is the row within a table; `line` is
    the 1-based line of a text export; `page` is set for paged sources.
    """

    format: Literal["text", "docx", "pdf", "xlsx", "json"]
    block: int | None = None
    row: int | None = None
    line: int | None = None
    page: int | None = None


class Paragraph(_Model):
    text: str
    source: Source | None = None


class Column(_Model):
    key: str = Field(description="stable semantic key from the table definitions, e.g. total, basic")
    kind: ColumnKind
    label: str = Field(description="leaf header as printed")
    header: list[str] = Field(description="header path as printed, top level first")
    number: int | None = Field(default=None, description="栏次 as printed")
    side: Side | None = None


class Row(_Model):
    seq: str | None = Field(default=None, description="序号 as printed")
    code: str | None = None
    name: str
    level: Level | None = None
    side: Side | None = None
    amounts: dict[str, Decimal | None] = Field(
        default_factory=dict, description="one entry per amount/number column of the row's side, keyed by column key"
    )
    texts: dict[str, str] = Field(default_factory=dict, description="other non-empty text cells, keyed by column key")
    source: Source | None = None


class TableHeader(_Model):
    """The info line above a table, as printed and as understood."""

    department: str | None = None
    year: str | None = None
    unit: str | None = None
    as_of: str | None = None
    printed: list[str] = Field(default_factory=list)


class Table(_Model):
    id: str
    title: str
    header: TableHeader = Field(default_factory=TableHeader)
    unit: AmountUnit | None = Field(default=None, description="the amount unit this table prints (its info line, else the document's)")
    columns: list[Column]
    rows: list[Row]
    notes: list[Paragraph] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list, description="what the reader could not place")
    source: Source | None = None

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


class Section(_Model):
    key: str | None = Field(description="semantic key from the section catalogue; None when unknown")
    numbering: str | None = Field(description="numbering as printed, e.g. 一、 or 6、")
    heading: str = Field(description="heading text as printed, without its numbering")
    level: int = Field(default=1, description="1 a top-level section; 2 a numbered part inside an unnumbered one")
    paragraphs: list[Paragraph] = Field(default_factory=list)
    source: Source | None = None


class Institution(_Model):
    name: str
    kind: str | None = Field(default=None, description="单位性质")
    rank: str | None = Field(default=None, description="单位规格")
    funding: str | None = Field(default=None, description="经费保障形式")
    source: Source | None = None


class Explanation(_Model):
    title: str | None = None
    preface: list[Paragraph] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


class DepartmentPerformance(_Model):
    overall: list[Paragraph] = Field(default_factory=list, description="（一）总体绩效目标")
    targets: list[Paragraph] = Field(default_factory=list, description="（二）分项绩效目标")
    measures: list[Paragraph] = Field(default_factory=list, description="（三）工作保障措施")


class PlanPoint(_Model):
    label: str
    value: str


class Indicator(_Model):
    level1: str
    level2: str
    level3: str
    description: str
    target: str
    basis: str
    source: Source | None = None


class Project(_Model):
    title: str = Field(description="the heading of the project's table as printed")
    code: str | None = None
    name: str
    unit: str | None = None
    budget: Decimal | None = Field(default=None, description="预算数")
    fiscal: Decimal | None = Field(default=None, description="其中：财政资金")
    other: Decimal | None = Field(default=None, description="其他资金")
    purpose: str | None = None
    plan: list[PlanPoint] = Field(default_factory=list, description="资金支出计划")
    goal: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    source: Source | None = None


class GlossaryEntry(_Model):
    term: str
    definition: str
    source: Source | None = None


class PriorYear(_Model):
    """Last year's budget, for the 比上年增减 and 三公 comparison paragraphs.
    `reasons` says why each figure changed (keys: total, basic, project,
    three_public), as the department writes it."""

    year: int
    total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    three_public: Decimal | None = None
    reasons: dict[str, str] = Field(default_factory=dict)


class Unread(_Model):
    """Something the reader saw but could not place: reported as an R
    finding, never dropped silently."""

    kind: Literal["table", "column", "cell", "paragraph", "part"] = Field(
        description="table: a table not recognised; column: a column not mapped; cell: a cell not understood; "
        "paragraph: text not placed; part: a part of the document missing from the input")
    message: str
    table: str | None = None
    column: str | None = Field(default=None, description="cell: the key of the column the cell is in, so the "
                               "finding can name the cell and the checks that read it know it is unread")
    text: str | None = Field(default=None, description="what was printed, shortened")
    source: Source | None = None


class Department(_Model):
    code: str | None = None
    name: str


class Disclosure(_Model):
    schema_version: str = SCHEMA_VERSION
    kind: Literal["budget", "final_accounts"] = "budget"
    profile: str | None = Field(default=None, description="the form profile that matched (data/forms/…/profiles.yaml)")
    scope: Scope = Field(default="department", description="a department's disclosure (with its units) or one unit's")
    department: Department
    year: int | None = None
    unit: AmountUnit | None = Field(default=None, description="the unit of the explanation and of tables that state none")
    source_format: Literal["text", "docx", "pdf", "xlsx", "json"]
    tables: dict[str, Table] = Field(default_factory=dict, description="the form's tables by id (the nine standard ones and a profile's own), as found")
    cover: list[Paragraph] = Field(default_factory=list, description="text printed before the explanation that is no table's title")
    explanation: Explanation = Field(default_factory=Explanation)
    duties: list[Paragraph] = Field(default_factory=list)
    institutions: list[Institution] = Field(default_factory=list)
    performance: DepartmentPerformance = Field(default_factory=DepartmentPerformance)
    projects: list[Project] = Field(default_factory=list)
    procurement: Table | None = None
    assets: Table | None = None
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    previous: PriorYear | None = Field(default=None, description="last year's figures, when known (compiled input)")
    unread: list[Unread] = Field(default_factory=list, description="what the reader could not place")
    files: list[str] = Field(default_factory=list, description="the files read into this disclosure, when more than one")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def content(self) -> dict[str, Any]:
        """The model without provenance: equal for one document in any format."""
        return _strip_sources(self.model_dump(mode="json", exclude={"source_format"}))

    def unit_of(self, table: Table) -> str:
        return table.unit or self.unit or "万元"

    def all_tables(self) -> list[Table]:
        extra = [t for t in (self.procurement, self.assets) if t is not None]
        return [*self.tables.values(), *extra]


@dataclass(frozen=True, slots=True)
class About:
    """What a report, and the matching of files that belong together, need
    of a disclosure: small enough to keep for every file of a batch when
    the disclosures themselves are not kept."""

    department: str
    year: int | None
    kind: str
    profile: str
    scope: str
    has_tables: bool
    has_text: bool

    @classmethod
    def of(cls, d: Disclosure | About) -> About:
        if isinstance(d, About):
            return d
        return cls(d.department.name, d.year, d.kind, d.profile, d.scope, bool(d.tables),
                   bool(d.explanation.sections))


def _strip_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_strip_sources(v) for v in value]
    return value


def json_schema() -> str:
    return json.dumps(Disclosure.model_json_schema(), ensure_ascii=False, indent=2)
