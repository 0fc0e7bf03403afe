"""The first schema: documents, tables, cells, findings, ledger.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# spelled out rather than imported from schema.py: a migration must keep
# creating what it created when later revisions change the metadata
YUAN = sa.Numeric(24, 4)


def _owned(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        *columns,
    )
    op.create_index(f"ix_{name}_document_id", name, ["document_id"])


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("department", sa.Text),
        sa.Column("scope", sa.String(32)),
        sa.Column("year", sa.Integer),
        sa.Column("kind", sa.String(32)),
        sa.Column("profile", sa.String(64)),
        sa.Column("source_format", sa.String(16)),
        sa.Column("pages", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("read_seconds", sa.Float),
        sa.Column("audit_seconds", sa.Float),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    _owned("tables",
           sa.Column("table_id", sa.String(64), nullable=False),
           sa.Column("title", sa.Text),
           sa.Column("unit", sa.String(16)))
    _owned("cells",
           sa.Column("table_id", sa.String(64), nullable=False),
           sa.Column("code", sa.String(64)),
           sa.Column("item", sa.Text),
           sa.Column("column_label", sa.Text),
           sa.Column("value", sa.String(64), nullable=False),
           sa.Column("unit", sa.String(16)),
           sa.Column("value_yuan", YUAN))
    _owned("findings",
           sa.Column("rule", sa.String(16), nullable=False),
           sa.Column("family", sa.String(32)),
           sa.Column("severity", sa.String(16), nullable=False),
           sa.Column("message", sa.Text, nullable=False),
           sa.Column("table_id", sa.String(64)),
           sa.Column("code", sa.String(64)),
           sa.Column("item", sa.Text),
           sa.Column("column_label", sa.Text),
           sa.Column("section", sa.Text),
           sa.Column("page", sa.Integer),
           sa.Column("line", sa.Integer))
    _owned("ledger",
           sa.Column("rule", sa.String(16), nullable=False),
           sa.Column("status", sa.String(16), nullable=False),
           sa.Column("reason", sa.Text))


def downgrade() -> None:
    for name in ("ledger", "findings", "cells", "tables"):
        op.drop_index(f"ix_{name}_document_id", name)
        op.drop_table(name)
    op.drop_table("documents")
