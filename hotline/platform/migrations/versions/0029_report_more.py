"""Reports, second round (issue 14): the longest handle time per interval row, so p90 is never above it.

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_interval") as batch:
        batch.add_column(sa.Column("handle_max", sa.Float(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("report_interval") as batch:
        batch.drop_column("handle_max")
