"""Reports: a call that timed out of its queue is a figure of its own (issue 14, task 14 item 2).

report_interval.timed_out counts calls offered to a queue that were neither answered nor abandoned but left it at
the queue's time-out (overflow to voicemail, a message, a hang-up): 排队超时. Rows written before keep 0 until
`hotline reports rebuild` recomputes their range. (The file name is the placeholder's; the chain stays linear.)

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_interval") as batch:
        batch.add_column(sa.Column("timed_out", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("report_interval") as batch:
        batch.drop_column("timed_out")
