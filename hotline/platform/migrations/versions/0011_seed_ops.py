"""Test calls apart from traffic (issue 11, item 8): `call_record.test_call`; ticket numbers without waiting.

`hotline call` runs a real call through the runtime and keeps its record for the trace, but a test call is
not traffic: the flag lets every figure (the wallboard's, reports') leave it out. Existing rows are real
calls (server default false).

`ticket_number_counter` (models/ticket_numbers.py): the last daily ticket number per tenant, incremented in
its own short transaction on PostgreSQL, so that agents saving at once neither collide (they did: 500s) nor
queue behind each other's commit. It starts empty; each day's first number continues after the tickets
already numbered that day. The ACD settings made editable in the admin (item 12) are the columns of
0007; they need no schema change.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call_record") as batch:
        batch.add_column(sa.Column("test_call", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "ticket_number_counter",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(8), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name="fk_ticket_number_counter_tenant_id_tenant",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "day", name="pk_ticket_number_counter"),
    )


def downgrade() -> None:
    op.drop_table("ticket_number_counter")
    with op.batch_alter_table("call_record") as batch:
        batch.drop_column("test_call")
