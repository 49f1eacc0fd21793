"""Outbound: preview, callbacks, answers as tickets (issue 13).

* `dial_attempt.reason`: why an attempt ended as it did, in words (a preview skip's reason, an answered call that
  never reached a runtime);
* `dial_attempt.ticket_id`: the ticket made from the script's answers (`create_ticket` on the script);
* `campaign.agent_wait_seconds`: how long a scheduled callback waits for the agent who booked it before any agent
  of the campaign's queue/skill may take it.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dial_attempt") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_dial_attempt_ticket_id_ticket"), "ticket", ["ticket_id"], ["id"],
                                 ondelete="SET NULL")
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("agent_wait_seconds", sa.Integer(), nullable=False, server_default="60"))


def downgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("agent_wait_seconds")
    with op.batch_alter_table("dial_attempt") as batch:
        batch.drop_constraint(op.f("fk_dial_attempt_ticket_id_ticket"), type_="foreignkey")
        batch.drop_column("ticket_id")
        batch.drop_column("reason")
