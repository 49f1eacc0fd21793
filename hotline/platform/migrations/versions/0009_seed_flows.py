"""Seeds' flows (issue 11, items 1-7): directory entry kinds, channels and skills, the handler of a ticket,
and the manual dispatch list.

Written by hand from hotline/platform/models/directory.py, tickets.py and dispatch.py. Existing entries get
empty kind (the directory's), channels and skills; `hotline.platform.services.directory_admin` fills the
channels from the number when an entry is next saved, and dispatch derives them until then.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("directory_entry") as batch:
        batch.add_column(sa.Column("kind", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("channels", JSONType, nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("skills", JSONType, nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("last_assigned_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("handler_entry_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_ticket_handler_entry_id_directory_entry", "directory_entry",
                                 ["handler_entry_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_ticket_handler_entry_id", ["handler_entry_id"])
    op.create_table(
        "manual_dispatch",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("spec", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("alerted", JSONType, nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name="fk_manual_dispatch_ticket_id_ticket",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entry_id"], ["directory_entry.id"],
                                name="fk_manual_dispatch_entry_id_directory_entry", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name="fk_manual_dispatch_tenant_id_tenant",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_manual_dispatch"),
        sa.UniqueConstraint("tenant_id", "ticket_id", name="uq_manual_dispatch_tenant_id_ticket_id"),
    )
    op.create_index("ix_manual_dispatch_tenant_done", "manual_dispatch", ["tenant_id", "done_at"])
    op.create_index("ix_manual_dispatch_tenant_id", "manual_dispatch", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("manual_dispatch")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_handler_entry_id")
        batch.drop_constraint("fk_ticket_handler_entry_id_directory_entry", type_="foreignkey")
        batch.drop_column("handler_entry_id")
    with op.batch_alter_table("directory_entry") as batch:
        for column in ("last_assigned_at", "skills", "channels", "kind"):
            batch.drop_column(column)
