"""The table cell a text finding (the explanation against the tables)
compared its statement with, as data: the portal links to that cell
without reading the message. Findings stored before this revision have
none and link to no cell.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("cited_table", "cited_code", "cited_item", "cited_column")


def upgrade() -> None:
    op.add_column("findings", sa.Column("cited_table", sa.String(64)))
    op.add_column("findings", sa.Column("cited_code", sa.String(64)))
    op.add_column("findings", sa.Column("cited_item", sa.Text))
    op.add_column("findings", sa.Column("cited_column", sa.String(64)))


def downgrade() -> None:
    # SQLite drops columns only by rebuilding the table
    with op.batch_alter_table("findings") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
