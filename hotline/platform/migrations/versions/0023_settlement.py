"""Vendors, contracts and settlement (issue 15, parts 5 and 6): vendors (partners and self-operated sites),
their agents, contracts, monthly inputs, signed statements, assessment thresholds and alerts.

Written by hand. Decimals (scores, money) are stored as text (models/vendors.py DecimalText), exact on SQLite.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list:
    return [sa.Column("tenant_id", sa.Integer(), nullable=False),
            sa.Column("id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def _vendor(table: str) -> list:
    return [sa.Column("vendor_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["vendor_id"], ["vendor.id"], name=op.f(f"fk_{table}_vendor_id_vendor"),
                                    ondelete="CASCADE")]


def upgrade() -> None:
    op.create_table(
        "vendor",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("self_operated", sa.Boolean(), nullable=False),
        sa.Column("queues", JSONType, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_tenant("vendor"),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_vendor_tenant_id_name")),
    )
    op.create_index(op.f("ix_vendor_tenant_id"), "vendor", ["tenant_id"])
    op.create_table(
        "vendor_agent",
        *_vendor("vendor_agent"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        *_tenant("vendor_agent"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_vendor_agent_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "vendor_id", "user_id",
                            name=op.f("uq_vendor_agent_tenant_id_vendor_id_user_id")),
    )
    op.create_index(op.f("ix_vendor_agent_tenant_id"), "vendor_agent", ["tenant_id"])
    op.create_index("ix_vendor_agent_tenant_user", "vendor_agent", ["tenant_id", "user_id"])
    op.create_table(
        "vendor_contract",
        *_vendor("vendor_contract"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("terms", JSONType, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_tenant("vendor_contract"),
    )
    op.create_index(op.f("ix_vendor_contract_tenant_id"), "vendor_contract", ["tenant_id"])
    op.create_index("ix_vendor_contract_tenant_vendor", "vendor_contract", ["tenant_id", "vendor_id"])
    op.create_table(
        "vendor_month",
        *_vendor("vendor_month"),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("business_score", sa.String(32), nullable=True),
        sa.Column("overall_score", sa.String(32), nullable=True),
        sa.Column("achieved", JSONType, nullable=False),
        sa.Column("penalties", JSONType, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_tenant("vendor_month"),
        sa.UniqueConstraint("tenant_id", "vendor_id", "month", name=op.f("uq_vendor_month_tenant_id_vendor_id_month")),
    )
    op.create_index(op.f("ix_vendor_month_tenant_id"), "vendor_month", ["tenant_id"])
    op.create_table(
        "settlement_statement",
        *_vendor("settlement_statement"),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("inputs", JSONType, nullable=False),
        sa.Column("result", JSONType, nullable=False),
        sa.Column("total", sa.String(32), nullable=False),
        sa.Column("signed_by", sa.String(64), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        *_tenant("settlement_statement"),
        sa.UniqueConstraint("tenant_id", "vendor_id", "month", "version",
                            name=op.f("uq_settlement_statement_tenant_id_vendor_id_month_version")),
    )
    op.create_index(op.f("ix_settlement_statement_tenant_id"), "settlement_statement", ["tenant_id"])
    op.create_table(
        "vendor_threshold",
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("minimum", sa.Float(), nullable=True),
        sa.Column("maximum", sa.Float(), nullable=True),
        sa.Column("recipients", JSONType, nullable=False),
        *_tenant("vendor_threshold"),
        sa.UniqueConstraint("tenant_id", "metric", name=op.f("uq_vendor_threshold_tenant_id_metric")),
    )
    op.create_index(op.f("ix_vendor_threshold_tenant_id"), "vendor_threshold", ["tenant_id"])
    op.create_table(
        "vendor_alert",
        *_vendor("vendor_alert"),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("limit", sa.Float(), nullable=False),
        sa.Column("notifications", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_tenant("vendor_alert"),
        sa.UniqueConstraint("tenant_id", "vendor_id", "month", "metric",
                            name=op.f("uq_vendor_alert_tenant_id_vendor_id_month_metric")),
    )
    op.create_index(op.f("ix_vendor_alert_tenant_id"), "vendor_alert", ["tenant_id"])


def downgrade() -> None:
    for table in ("vendor_alert", "vendor_threshold", "settlement_statement", "vendor_month", "vendor_contract",
                  "vendor_agent", "vendor"):
        op.drop_table(table)
