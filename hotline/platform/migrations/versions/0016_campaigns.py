"""Outbound campaigns and the dialer (issue 13): campaigns, their entries, and dial attempts tied to both.

Written by hand (models/campaigns.py). A campaign's name is unique per tenant; an entry is unique per
(campaign, contact) and per (campaign, call task), so populating twice or feeding the same task twice adds
nothing. The dialer's claim reads (campaign, state, next_attempt_at). Dial attempts gain the campaign, the entry,
the switch's call uuid, the agent, answer and end times and the script's answers — all nullable, so attempts
recorded before this migration stay valid. Import jobs gain a kind (customers, contacts) and a target (the list).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _tenant(table: str) -> list:
    return [sa.Column("tenant_id", sa.Integer(), nullable=False),
            sa.Column("id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("script", sa.String(64), nullable=True),
        sa.Column("script_version", sa.Integer(), nullable=True),
        sa.Column("contact_list_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(12), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("windows", JSONType, nullable=False),
        sa.Column("retry_policy", JSONType, nullable=False),
        sa.Column("queue", sa.String(64), nullable=True),
        sa.Column("skill", sa.String(64), nullable=True),
        sa.Column("max_lines", sa.Integer(), nullable=False),
        sa.Column("abandon_cap", sa.Float(), nullable=False),
        sa.Column("max_attempts_per_contact", sa.Integer(), nullable=False),
        sa.Column("min_gap_minutes", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("stopped_at", UTCDateTime(), nullable=True),
        sa.Column("stop_reason", sa.Text(), nullable=False),
        *_tenant("campaign"),
        sa.ForeignKeyConstraint(["contact_list_id"], ["contact_list.id"],
                                name=op.f("fk_campaign_contact_list_id_contact_list"), ondelete="SET NULL"),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_campaign_tenant_id_name")),
        sa.CheckConstraint(_in("kind", ("list", "tasks")), name=op.f("ck_campaign_kind")),
        sa.CheckConstraint(_in("mode", ("preview", "progressive", "predictive", "agentless")),
                           name=op.f("ck_campaign_mode")),
        sa.CheckConstraint(_in("status", ("draft", "running", "paused", "stopped", "finished")),
                           name=op.f("ck_campaign_status")),
        sa.CheckConstraint(_in("purpose", ("service", "marketing")), name=op.f("ck_campaign_purpose")),
    )
    op.create_index(op.f("ix_campaign_tenant_id"), "campaign", ["tenant_id"])
    op.create_index("ix_campaign_tenant_status", "campaign", ["tenant_id", "status"])
    op.create_table(
        "campaign_entry",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("call_task_id", sa.Integer(), nullable=True),
        sa.Column("phone_e164", sa.String(24), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("last_outcome", sa.String(64), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=False),
        sa.Column("preferred_agent", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_tenant("campaign_entry"),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_entry_campaign_id_campaign"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_campaign_entry_contact_id_contact"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["call_task_id"], ["call_task.id"],
                                name=op.f("fk_campaign_entry_call_task_id_call_task"), ondelete="SET NULL"),
        sa.UniqueConstraint("campaign_id", "contact_id", name=op.f("uq_campaign_entry_campaign_id_contact_id")),
        sa.UniqueConstraint("campaign_id", "call_task_id",
                            name=op.f("uq_campaign_entry_campaign_id_call_task_id")),
        sa.CheckConstraint(_in("state", ("pending", "dialing", "done", "skipped", "failed", "closed")),
                           name=op.f("ck_campaign_entry_state")),
    )
    op.create_index(op.f("ix_campaign_entry_tenant_id"), "campaign_entry", ["tenant_id"])
    op.create_index("ix_campaign_entry_due", "campaign_entry", ["campaign_id", "state", "next_attempt_at"])
    op.create_index("ix_campaign_entry_tenant_phone", "campaign_entry", ["tenant_id", "phone_e164"])
    with op.batch_alter_table("dial_attempt") as batch:
        batch.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("entry_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("call_uuid", sa.String(64), nullable=True))
        batch.add_column(sa.Column("agent", sa.String(64), nullable=True))
        batch.add_column(sa.Column("answered_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("ended_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("answers", JSONType, nullable=True))
        batch.create_foreign_key(op.f("fk_dial_attempt_campaign_id_campaign"), "campaign", ["campaign_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_foreign_key(op.f("fk_dial_attempt_entry_id_campaign_entry"), "campaign_entry", ["entry_id"],
                                 ["id"], ondelete="SET NULL")
        batch.create_index("ix_dial_attempt_campaign_at", ["campaign_id", "at"])
        batch.create_index("ix_dial_attempt_entry", ["entry_id"])
        batch.create_index("ix_dial_attempt_call_uuid", ["call_uuid"])


    # Contact list imports run through the customer import's job rows (kind, and the list as target).
    with op.batch_alter_table("import_job") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="customers"))
        batch.add_column(sa.Column("target_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_job") as batch:
        batch.drop_column("target_id")
        batch.drop_column("kind")
    with op.batch_alter_table("dial_attempt") as batch:
        batch.drop_index("ix_dial_attempt_call_uuid")
        batch.drop_index("ix_dial_attempt_entry")
        batch.drop_index("ix_dial_attempt_campaign_at")
        batch.drop_constraint(op.f("fk_dial_attempt_entry_id_campaign_entry"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_dial_attempt_campaign_id_campaign"), type_="foreignkey")
        for column in ("answers", "ended_at", "answered_at", "agent", "call_uuid", "entry_id", "campaign_id"):
            batch.drop_column(column)
    op.drop_table("campaign_entry")
    op.drop_table("campaign")
