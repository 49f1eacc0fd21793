"""Wallboard thresholds (issue 6): the supervisor's amber/red levels per tenant and, optionally, per queue.

Written by hand. One row per (tenant, queue, metric); the wallboard reads all of a tenant's rows at once, so
the unique constraint (leading with tenant_id) is the only index it needs besides the tenant's own.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wallboard_threshold",
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("amber", sa.Float(), nullable=True),
        sa.Column("red", sa.Float(), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_wallboard_threshold_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallboard_threshold")),
        sa.UniqueConstraint("tenant_id", "queue", "metric",
                            name=op.f("uq_wallboard_threshold_tenant_id_queue_metric")),
    )
    with op.batch_alter_table("wallboard_threshold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wallboard_threshold_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("wallboard_threshold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallboard_threshold_tenant_id"))
    op.drop_table("wallboard_threshold")
