"""Seed flow fixes, second round (issue 11).

An urge records whom it notified (`ticket_urge.notified_to`: "handlers" or "dispatchers"), so the
supervisor's message says 已通知2位派单员 when nobody handles the ticket yet, not 处理人 (QA of issue 11,
item 8). Rows before this revision were urges of handlers or of nobody: "handlers".

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket_urge") as batch:
        batch.add_column(sa.Column("notified_to", sa.String(16), nullable=False, server_default="handlers"))


def downgrade() -> None:
    with op.batch_alter_table("ticket_urge") as batch:
        batch.drop_column("notified_to")
