"""What a finding says should be there (the parts' sum, the other table's
figure, "六、"), as the document would print it: the issue asks a review
copy's comment to state it, and a review copy made from the store has only
the stored finding. Findings stored before have none.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("expected", sa.Text))


def downgrade() -> None:
    # SQLite drops columns only by rebuilding the table
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("expected")
