"""Test calls apart from traffic (issue 11, item 8): `call_record.test_call`.

`hotline call` runs a real call through the runtime and keeps its record for the trace, but a test call is
not traffic: the flag lets every figure (the wallboard's, reports') leave it out. Existing rows are real
calls (server default false). The ACD settings made editable in the admin (item 12) are the columns of
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


def downgrade() -> None:
    with op.batch_alter_table("call_record") as batch:
        batch.drop_column("test_call")
