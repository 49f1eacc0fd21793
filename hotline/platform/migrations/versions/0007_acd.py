"""Full ACD: queue strategies, overflow chains, wrap-up and per-tenant caps on shared agents (issue 6).

Written by hand: queue strategy, ageing, wrap-up and overflow chain; the tenant's cap on shared agents.
Non-null columns get a server default so existing rows take the behaviour they had (longest idle).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("queue") as batch:
        batch.add_column(sa.Column("strategy", sa.String(32), nullable=False, server_default="longest_idle"))
        batch.add_column(sa.Column("ageing_seconds", sa.Integer(), nullable=False, server_default="60"))
        batch.add_column(sa.Column("wrap_up_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("overflow_after_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("overflow_queue", sa.String(64), nullable=True))
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(sa.Column("shared_agent_cap", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenant") as batch:
        batch.drop_column("shared_agent_cap")
    with op.batch_alter_table("queue") as batch:
        for column in ("overflow_queue", "overflow_after_seconds", "wrap_up_seconds", "ageing_seconds", "strategy"):
            batch.drop_column(column)
