"""A finding: what is wrong, how bad, and exactly where."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .rulebook import Severity


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    severity: Severity
    message: str
    table: str | None = None
    code: str | None = None
    item: str | None = None
    column: str | None = None
    column_header: str | None = None
    section: str | None = None
    project: str | None = None
    paragraph: int | None = None
    page: int | None = None
    line: int | None = None
    # a finding between two documents (a 决算 against its 预算): where the
    # other figure is, in words (file, table, row, page)
    against: str | None = None
    # the sentence at fault, as printed (whitespace removed)
    quote: str | None = None
    # the table cell a statement was compared with, when the finding itself
    # sits elsewhere (a text finding under its section): data, so a portal
    # can link to the cell without reading the message
    cited_table: str | None = None
    cited_code: str | None = None
    cited_item: str | None = None
    cited_column: str | None = None
    # what the finding says should be there, as the document would print it
    # (an amount like "487.58", a numbering like "六、"): data, so a review
    # copy's comment can state it without parsing the message
    expected: str | None = None

    def where(self, within_group: bool = False) -> str:
        """The location in words, for people. `within_group` leaves out what
        a report's group heading already says (table, section, project)."""
        parts = []
        if self.table and not within_group:
            parts.append(self.table)
        if self.code or self.item:
            parts.append(" ".join(p for p in (self.code, self.item) if p))
        if self.column_header:
            parts.append(f"栏「{self.column_header}」")
        if self.section and not within_group:
            parts.append(self.section)
        if self.project and not within_group:
            parts.append(f"项目「{self.project}」")
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph + 1}段")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"行 {self.line}")
        if self.against:
            parts.append(f"对照 {self.against}")
        if self.quote:
            parts.append(f"「{self.quote}」")
        return "，".join(parts)
