"""Reports (issue 14): pre-aggregated interval rows of calls, tickets and IVR nodes/edges; saved reports.

Written by hand. Each interval table is read by (tenant, interval start) ranges, so a B-tree on those two
columns answers every report; the rows are appended roughly in time order, so on PostgreSQL a BRIN index on
the time column is added as well for the platform-wide range scans (rebuilds, retention), at a few pages.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

HANDLE_COLUMNS = [f"h{i:02d}" for i in range(24)]


def _tenant(table: str) -> list:
    return [sa.Column("tenant_id", sa.Integer(), nullable=False),
            sa.Column("id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def _counts(*names: str) -> list:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def _sums(*names: str) -> list:
    return [sa.Column(name, sa.Float(), nullable=False) for name in names]


def _brin(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX brin_{table}_start ON {table} USING brin (interval_start)")


def upgrade() -> None:
    op.create_table(
        "report_interval",
        sa.Column("interval_start", UTCDateTime(), nullable=False),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("did", sa.String(32), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        *_counts("calls", "offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short",
                 "answered_in_target", "wait_count"),
        *_sums("wait_sum"),
        *_counts("handle_count"),
        *_sums("handle_sum"),
        *_counts("transfers", "callbacks", "self_service", "survey_count"),
        *_sums("survey_sum"),
        *_counts("survey_satisfied", *HANDLE_COLUMNS),
        *_tenant("report_interval"),
    )
    op.create_index(op.f("ix_report_interval_tenant_id"), "report_interval", ["tenant_id"])
    op.create_index("ix_report_interval_tenant_start", "report_interval", ["tenant_id", "interval_start"])
    _brin("report_interval")
    op.create_table(
        "report_ticket_interval",
        sa.Column("interval_start", UTCDateTime(), nullable=False),
        sa.Column("form_name", sa.String(64), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        *_counts("created", "responded_in_time", "responded_late", "completed_in_time", "completed_late",
                 "urges", "urged_tickets", "complaints"),
        *_tenant("report_ticket_interval"),
    )
    op.create_index(op.f("ix_report_ticket_interval_tenant_id"), "report_ticket_interval", ["tenant_id"])
    op.create_index("ix_report_ticket_interval_tenant_start", "report_ticket_interval",
                    ["tenant_id", "interval_start"])
    _brin("report_ticket_interval")
    op.create_table(
        "report_ivr_node",
        sa.Column("interval_start", UTCDateTime(), nullable=False),
        sa.Column("ivr_document", sa.String(64), nullable=False),
        sa.Column("ivr_version", sa.Integer(), nullable=False),
        sa.Column("node", sa.String(64), nullable=False),
        *_counts("reached", "hangups", "completed"),
        *_tenant("report_ivr_node"),
    )
    op.create_index(op.f("ix_report_ivr_node_tenant_id"), "report_ivr_node", ["tenant_id"])
    op.create_index("ix_report_ivr_node_lookup", "report_ivr_node",
                    ["tenant_id", "ivr_document", "ivr_version", "interval_start"])
    op.create_table(
        "report_ivr_edge",
        sa.Column("interval_start", UTCDateTime(), nullable=False),
        sa.Column("ivr_document", sa.String(64), nullable=False),
        sa.Column("ivr_version", sa.Integer(), nullable=False),
        sa.Column("node", sa.String(64), nullable=False),
        sa.Column("next_node", sa.String(64), nullable=False),
        sa.Column("digit", sa.String(16), nullable=False),
        *_counts("passes"),
        *_tenant("report_ivr_edge"),
    )
    op.create_index(op.f("ix_report_ivr_edge_tenant_id"), "report_ivr_edge", ["tenant_id"])
    op.create_index("ix_report_ivr_edge_lookup", "report_ivr_edge",
                    ["tenant_id", "ivr_document", "ivr_version", "interval_start"])
    op.create_table(
        "saved_report",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("params", JSONType, nullable=False),
        sa.Column("schedule", sa.String(16), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("last_sent_at", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_tenant("saved_report"),
    )
    op.create_index(op.f("ix_saved_report_tenant_id"), "saved_report", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("saved_report")
    op.drop_table("report_ivr_edge")
    op.drop_table("report_ivr_node")
    op.drop_table("report_ticket_interval")
    op.drop_table("report_interval")
