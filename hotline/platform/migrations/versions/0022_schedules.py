"""Schedules and attendance (issue 15): shifts per agent and seat type, and the durable agent-state history.

Written by hand. Shifts are indexed by (tenant, start) for the week grid and the settlement's month, and by
(tenant, agent, start) for the overlap check; state changes are unique per (tenant, stream entry) so copying the
ACD stream twice never doubles a change, and indexed by (tenant, at) for a day's attendance.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import UTCDateTime

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list:
    return [sa.Column("tenant_id", sa.Integer(), nullable=False),
            sa.Column("id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def upgrade() -> None:
    op.create_table(
        "shift",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seat_type", sa.String(16), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("break_minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_tenant("shift"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_shift_user_id_user_account"),
                                ondelete="CASCADE"),
    )
    op.create_index(op.f("ix_shift_tenant_id"), "shift", ["tenant_id"])
    op.create_index("ix_shift_tenant_starts", "shift", ["tenant_id", "starts_at"])
    op.create_index("ix_shift_tenant_user_starts", "shift", ["tenant_id", "user_id", "starts_at"])
    op.create_table(
        "agent_state_change",
        sa.Column("agent", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=True),
        sa.Column("stream_id", sa.String(32), nullable=False),
        *_tenant("agent_state_change"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_agent_state_change_user_id_user_account"), ondelete="SET NULL"),
        sa.UniqueConstraint("tenant_id", "stream_id", name=op.f("uq_agent_state_change_tenant_id_stream_id")),
    )
    op.create_index(op.f("ix_agent_state_change_tenant_id"), "agent_state_change", ["tenant_id"])
    op.create_index("ix_agent_state_change_tenant_at", "agent_state_change", ["tenant_id", "at"])
    op.create_index("ix_agent_state_change_tenant_agent_at", "agent_state_change", ["tenant_id", "agent", "at"])


def downgrade() -> None:
    op.drop_table("agent_state_change")
    op.drop_table("shift")
