"""Report interval counters (issue 14): a unique index on each interval table's row key; dashboard indexes.

The interval rows are now kept up by counter deltas (platform/reports/counters.py: `INSERT … ON CONFLICT (key)
DO UPDATE SET n = n + excluded.n`), which needs the row key unique on PostgreSQL and SQLite. Rows written by
the former recompute-per-interval path are unique by construction; should two writers ever have raced, the
duplicates are first merged into one row by summing them (counts and sums add up), so no figure changes.

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

HANDLE_COLUMNS = [f"h{i:02d}" for i in range(24)]
TABLES = {
    "report_interval": (
        ("tenant_id", "interval_start", "queue", "did", "agent_id"),
        ("calls", "offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short", "answered_in_target",
         "wait_count", "wait_sum", "handle_count", "handle_sum", "transfers", "callbacks", "self_service",
         "survey_count", "survey_sum", "survey_satisfied", *HANDLE_COLUMNS)),
    "report_ticket_interval": (
        ("tenant_id", "interval_start", "form_name", "category", "source", "agent_id", "status"),
        ("created", "responded_in_time", "responded_late", "completed_in_time", "completed_late", "urges",
         "urged_tickets", "complaints")),
    "report_ivr_node": (("tenant_id", "interval_start", "ivr_document", "ivr_version", "node"),
                        ("reached", "hangups", "completed")),
    "report_ivr_edge": (("tenant_id", "interval_start", "ivr_document", "ivr_version", "node", "next_node", "digit"),
                        ("passes",)),
}


def _merge_duplicates(table: str, keys: tuple[str, ...], values: tuple[str, ...]) -> None:
    """Sums rows sharing a key into the lowest id of them and deletes the others (both dialects)."""
    bind = op.get_bind()
    key = ", ".join(keys)
    duplicated = bind.execute(sa.text(
        f"SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1 LIMIT 1")).first()
    if duplicated is None:
        return
    same = " AND ".join(f"o.{k} = {table}.{k}" for k in keys)
    sets = ", ".join(f"{v} = (SELECT sum(o.{v}) FROM {table} o WHERE {same})" for v in values)
    keep = f"(SELECT min(o.id) FROM {table} o WHERE {same})"
    op.execute(f"UPDATE {table} SET {sets} WHERE id = {keep} AND "
               f"(SELECT count(*) FROM {table} o WHERE {same}) > 1")
    op.execute(f"DELETE FROM {table} WHERE id <> {keep}")


#: The site dashboard's business figures: resolved today, urges today, open tickets past a due time (partial).
DASHBOARD_INDEXES = (
    ("ix_ticket_tenant_resolved", "ticket", ["tenant_id", "resolved_at"], None),
    ("ix_ticket_open_resolution_due", "ticket", ["tenant_id", "resolution_due"], "resolved_at IS NULL"),
    ("ix_ticket_open_response_due", "ticket", ["tenant_id", "first_response_due"],
     "resolved_at IS NULL AND first_responded_at IS NULL"),
    ("ix_ticket_urge_tenant_at", "ticket_urge", ["tenant_id", "at"], None),
)
#: PostgreSQL: the response-due index carries resolution_due, so both halves of "overdue now" are index-only counts.
INCLUDE = {"ix_ticket_open_response_due": ["resolution_due"]}


def upgrade() -> None:
    for table, (keys, values) in TABLES.items():
        _merge_duplicates(table, keys, values)
        op.create_index(f"uq_{table}_key", table, list(keys), unique=True)
    for name, table, columns, where in DASHBOARD_INDEXES:
        extra = {} if where is None else {"postgresql_where": sa.text(where), "sqlite_where": sa.text(where)}
        if name in INCLUDE:
            extra["postgresql_include"] = INCLUDE[name]
        op.create_index(name, table, columns, **extra)


def downgrade() -> None:
    for name, table, _columns, _where in DASHBOARD_INDEXES:
        op.drop_index(name, table_name=table)
    for table in TABLES:
        op.drop_index(f"uq_{table}_key", table_name=table)
