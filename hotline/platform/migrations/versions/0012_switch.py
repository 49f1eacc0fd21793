"""Real switch (issue 12 item 4): the call record tells how the call ended and where its time went.

`hangup_cause` is FreeSWITCH's cause of the caller's channel (NORMAL_CLEARING, ORIGINATOR_CANCEL...),
`hangup_by` who ended it (caller, runtime, switch), `ring_seconds` the agents' ringing and `talk_seconds`
the conversation (the queue wait already has `wait_seconds`).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call_record") as batch:
        batch.add_column(sa.Column("hangup_cause", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hangup_by", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("ring_seconds", sa.Float(), nullable=True))
        batch.add_column(sa.Column("talk_seconds", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("call_record") as batch:
        batch.drop_column("talk_seconds")
        batch.drop_column("ring_seconds")
        batch.drop_column("hangup_by")
        batch.drop_column("hangup_cause")
