"""The tables of the disclosure database, as SQLAlchemy Core metadata.

The migrations (migrations/versions) create these; the metadata is what the
code writes and reads through. Types are portable between SQLite and
PostgreSQL: amounts are Numeric (never Float, so a sum in SQL is exact on
PostgreSQL) and each amount is also kept as printed, as text, because
SQLite stores NUMERIC as an integer or a double and would lose '638.20'.
"""

from __future__ import annotations

from sqlalchemy import (Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, Numeric,
                        String, Table, Text)

metadata = MetaData()

# 24 digits, 4 after the point: a 元 amount of a province's whole budget
# with cents still fits, and a 万元 figure printed to 6 places converts exactly
YUAN = Numeric(24, 4)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("file_name", Text, nullable=False),
    Column("department", Text),
    Column("scope", String(32)),
    Column("year", Integer),
    Column("kind", String(32)),
    Column("profile", String(64)),
    Column("source_format", String(16)),
    Column("pages", Integer),
    Column("status", String(16), nullable=False),
    Column("message", Text),
    # seconds are measurements, not money: a float is right here
    Column("read_seconds", Float),
    Column("audit_seconds", Float),
    Column("tool_version", String(32), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)


def _of_document(name: str, *columns: Column) -> Table:
    """A table of one document's parts: its own id, and the document it
    belongs to (deleted with it)."""
    return Table(name, metadata, Column("id", Integer, primary_key=True),
                 Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
                        index=True),
                 *columns)


tables = _of_document(
    "tables",
    Column("table_id", String(64), nullable=False),
    Column("title", Text),
    Column("unit", String(16)),
)

rows = _of_document(
    "rows",
    Column("table_id", String(64), nullable=False),
    # the row's place in its table as read, 0 first: the order to print it in
    Column("position", Integer, nullable=False),
    Column("seq", String(32)),
    Column("code", String(64)),
    Column("item", Text),
    Column("level", String(8)),
    Column("side", String(16)),
    Column("page", Integer),
)

cells = _of_document(
    "cells",
    Column("table_id", String(64), nullable=False),
    Column("code", String(64)),
    Column("item", Text),
    Column("column_label", Text),
    Column("value", String(64), nullable=False),
    Column("unit", String(16)),
    Column("value_yuan", YUAN),
    Column("row_position", Integer),
    Column("column_key", String(64)),
    Index("ix_cells_table_code", "table_id", "code"),
)

findings = _of_document(
    "findings",
    Column("rule", String(16), nullable=False),
    Column("family", String(32)),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Column("table_id", String(64)),
    Column("code", String(64)),
    Column("item", Text),
    Column("column_label", Text),
    Column("column_key", String(64)),
    Column("section", Text),
    Column("page", Integer),
    Column("line", Integer),
    # the table cell a text finding compared its statement with (0004)
    Column("cited_table", String(64)),
    Column("cited_code", String(64)),
    Column("cited_item", Text),
    Column("cited_column", String(64)),
    # the rest of its place, so a stored finding is the audit's Finding again (0005)
    Column("paragraph", Integer),
    Column("project", Text),
    Column("quote", Text),
    Column("against", Text),
    # what should be there, as printed: a review copy from the store states it (0006)
    Column("expected", Text),
    Index("ix_findings_rule", "rule"),
)

ledger = _of_document(
    "ledger",
    Column("rule", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
)

# the whole model, so the portal serves it, renders it and prints its tables
# without the original file; gzip (level 1: cheap in the ingest workers)
models = Table(
    "models", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("schema_version", String(16)),
    Column("json_gz", LargeBinary, nullable=False),
)

# a reviewer's word on a finding, kept as a history: the latest row is the
# finding's state, none means open
reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("note", Text),
    Column("reviewer", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
