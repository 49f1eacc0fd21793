"""Schedules and settlement, third round (issue 15): the month's overtime roll-up.

`agent_month_overtime` keeps, per agent and tenant-local month, the scheduled hours, the standard month they
are held against and the hours above it (platform/settlement/overtime.py recomputes a month as a whole); the
settlement bills overtime seats from it. Decimals as text (models/vendors.py DecimalText), exact on SQLite.
Written by hand.

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import UTCDateTime

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_month_overtime",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("scheduled_hours", sa.String(32), nullable=False),
        sa.Column("standard_hours", sa.String(32), nullable=False),
        sa.Column("overtime_hours", sa.String(32), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_agent_month_overtime_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_agent_month_overtime_user_id_user_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_month_overtime")),
        sa.UniqueConstraint("tenant_id", "user_id", "month",
                            name=op.f("uq_agent_month_overtime_tenant_id_user_id_month")),
    )
    op.create_index(op.f("ix_agent_month_overtime_tenant_id"), "agent_month_overtime", ["tenant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_agent_month_overtime_tenant_id"), table_name="agent_month_overtime")
    op.drop_table("agent_month_overtime")
