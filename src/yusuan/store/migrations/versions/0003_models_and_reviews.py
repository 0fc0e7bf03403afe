"""The model of each document (gzip JSON), so the portal needs no original
file, and reviews of findings (confirmed, dismissed, reopened, with a
note). Documents stored before this revision have no model row; the portal
says so rather than guessing.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("schema_version", sa.String(16)),
        sa.Column("json_gz", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("reviewer", sa.Text),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reviews_finding_id", "reviews", ["finding_id"])


def downgrade() -> None:
    op.drop_index("ix_reviews_finding_id", "reviews")
    op.drop_table("reviews")
    op.drop_table("models")
