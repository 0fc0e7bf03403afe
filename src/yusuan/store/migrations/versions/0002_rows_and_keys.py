"""Rows, and where each cell and finding sits: a `rows` table (one per row
of every table read, with its position, 序号, code, name, level and page),
and on `cells` the row's position and the column's key beside its label,
so a cell is found again by key even where two columns print the same
label. Cells of a database made by 0001 keep NULL there.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("table_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("seq", sa.String(32)),
        sa.Column("code", sa.String(64)),
        sa.Column("item", sa.Text),
        sa.Column("level", sa.String(8)),
        sa.Column("side", sa.String(16)),
        sa.Column("page", sa.Integer),
    )
    op.create_index("ix_rows_document_id", "rows", ["document_id"])
    op.add_column("cells", sa.Column("row_position", sa.Integer))
    op.add_column("cells", sa.Column("column_key", sa.String(64)))
    op.add_column("findings", sa.Column("column_key", sa.String(64)))
    # the questions asked across documents: one table's code, one rule
    op.create_index("ix_cells_table_code", "cells", ["table_id", "code"])
    op.create_index("ix_findings_rule", "findings", ["rule"])


def downgrade() -> None:
    op.drop_index("ix_findings_rule", "findings")
    op.drop_index("ix_cells_table_code", "cells")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("column_key")
    with op.batch_alter_table("cells") as batch:
        batch.drop_column("column_key")
        batch.drop_column("row_position")
    op.drop_index("ix_rows_document_id", "rows")
    op.drop_table("rows")
