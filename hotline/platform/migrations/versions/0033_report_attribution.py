"""Reports attribution (issue 14, task C2): a call answered on an extension no user holds is kept apart by its
extension (report_interval.extension), and a ticket handled by a directory entry (a courier, a technician) is
kept apart by that entry (report_ticket_interval.handler_entry_id); both join their table's unique row key.

Rows written before keep '' / 0 (the former "—" row) until `hotline reports rebuild` recomputes their range.

Revision ID: 0033
Revises: 0032
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

CALL_KEY = ["tenant_id", "interval_start", "queue", "did", "agent_id"]
TICKET_KEY = ["tenant_id", "interval_start", "form_name", "category", "source", "agent_id", "status"]


def upgrade() -> None:
    op.drop_index("uq_report_interval_key", table_name="report_interval")
    with op.batch_alter_table("report_interval") as batch:
        batch.add_column(sa.Column("extension", sa.String(32), nullable=False, server_default=""))
    op.create_index("uq_report_interval_key", "report_interval", [*CALL_KEY, "extension"], unique=True)
    op.drop_index("uq_report_ticket_interval_key", table_name="report_ticket_interval")
    with op.batch_alter_table("report_ticket_interval") as batch:
        batch.add_column(sa.Column("handler_entry_id", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("uq_report_ticket_interval_key", "report_ticket_interval", [*TICKET_KEY, "handler_entry_id"],
                    unique=True)


def downgrade() -> None:
    # Rows apart only by the new columns would collide on the old key: fold them into the "—" rows by a rebuild
    # after downgrading; here they are dropped so the old unique index can be made.
    op.execute("DELETE FROM report_interval WHERE extension <> ''")
    op.execute("DELETE FROM report_ticket_interval WHERE handler_entry_id <> 0")
    op.drop_index("uq_report_interval_key", table_name="report_interval")
    with op.batch_alter_table("report_interval") as batch:
        batch.drop_column("extension")
    op.create_index("uq_report_interval_key", "report_interval", CALL_KEY, unique=True)
    op.drop_index("uq_report_ticket_interval_key", table_name="report_ticket_interval")
    with op.batch_alter_table("report_ticket_interval") as batch:
        batch.drop_column("handler_entry_id")
    op.create_index("uq_report_ticket_interval_key", "report_ticket_interval", TICKET_KEY, unique=True)
