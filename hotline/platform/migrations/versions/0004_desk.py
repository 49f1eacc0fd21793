"""Agent desk: agent mapping and call links (issue 5).

Written by hand. `agent_extension` maps a user to the extension the ACD and the switch know the agent by
(unique both ways, platform-wide: agents are shared by tenants). `ticket_call` links a ticket to the uuid of
the call it was made in, looked up per tenant by call uuid for the screen pop.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_extension",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_agent_extension_user_id_user_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_extension")),
        sa.UniqueConstraint("extension", name=op.f("uq_agent_extension_extension")),
        sa.UniqueConstraint("user_id", name=op.f("uq_agent_extension_user_id")),
    )
    op.create_table(
        "ticket_call",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("call_uuid", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_ticket_call_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_call_ticket_id_ticket"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_call")),
        sa.UniqueConstraint("ticket_id", "call_uuid", name=op.f("uq_ticket_call_ticket_id_call_uuid")),
    )
    with op.batch_alter_table("ticket_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_call_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_ticket_call_tenant_call", ["tenant_id", "call_uuid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_call", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_call_tenant_call")
        batch_op.drop_index(batch_op.f("ix_ticket_call_tenant_id"))
    op.drop_table("ticket_call")
    op.drop_table("agent_extension")
