"""The rest of a finding's place: the paragraph of its section, its
project, the sentence quoted and, for a 决算 against its budget, where the
other figure is. With them a stored finding is the audit's Finding again,
so a review copy made from the store puts each comment on its sentence (it
fell back to the section's heading). Findings stored before have none.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = (("paragraph", sa.Integer), ("project", sa.Text), ("quote", sa.Text), ("against", sa.Text))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("findings", sa.Column(name, kind))


def downgrade() -> None:
    # SQLite drops columns only by rebuilding the table
    with op.batch_alter_table("findings") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
