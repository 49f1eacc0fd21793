"""Dispatch rule firings, SLA clock events, call tasks (call-backs, return visits) and urging (issue 6).

Written by hand from the models in hotline/platform/models/dispatch.py.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list:
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=f"fk_{table}_tenant_id_tenant", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _ticket_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=f"fk_{table}_ticket_id_ticket",
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "rule_firing",
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("ticket_number", sa.String(length=32), nullable=True),
        sa.Column("call_uuid", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("detail", JSONType, nullable=False),
        *_tenant("rule_firing"),
    )
    op.create_index("ix_rule_firing_tenant_ticket", "rule_firing", ["tenant_id", "ticket_number", "id"])
    op.create_index("ix_rule_firing_tenant_at", "rule_firing", ["tenant_id", "at"])
    op.create_index("ix_rule_firing_tenant_id", "rule_firing", ["tenant_id"])

    op.create_table(
        "sla_event",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("clock", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("fired_at", UTCDateTime(), nullable=False),
        sa.Column("fired_by", sa.String(length=64), nullable=False),
        _ticket_fk("sla_event"),
        *_tenant("sla_event"),
        sa.UniqueConstraint("tenant_id", "ticket_id", "clock", "kind", "due_at",
                            name="uq_sla_event_tenant_id_ticket_id_clock_kind_due_at"),
    )
    op.create_index("ix_sla_event_ticket_id", "sla_event", ["ticket_id"])
    op.create_index("ix_sla_event_tenant_id", "sla_event", ["tenant_id"])

    op.create_table(
        "call_task",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("ticket_number", sa.String(length=32), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("queue", sa.String(length=64), nullable=True),
        sa.Column("script", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("due_fired_at", UTCDateTime(), nullable=True),
        sa.Column("origin", JSONType, nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        _ticket_fk("call_task"),
        *_tenant("call_task"),
    )
    op.create_index("ix_call_task_tenant_status_due", "call_task", ["tenant_id", "status", "due_at"])
    op.create_index("ix_call_task_tenant_ticket", "call_task", ["tenant_id", "ticket_id"])
    op.create_index("ix_call_task_tenant_id", "call_task", ["tenant_id"])

    op.create_table(
        "ticket_urge",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("notified", JSONType, nullable=False),
        _ticket_fk("ticket_urge"),
        *_tenant("ticket_urge"),
    )
    op.create_index("ix_ticket_urge_tenant_ticket", "ticket_urge", ["tenant_id", "ticket_id"])
    op.create_index("ix_ticket_urge_tenant_id", "ticket_urge", ["tenant_id"])


def downgrade() -> None:
    for table in ("ticket_urge", "call_task", "sla_event", "rule_firing"):
        op.drop_table(table)
