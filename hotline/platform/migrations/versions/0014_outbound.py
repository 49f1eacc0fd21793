"""Outbound (issue 13): contact lists and contacts, do-not-call entries (tenant and platform-wide), dial attempts.

Written by hand. Contacts are unique per list by E.164 number (the import's de-duplication holds under
concurrency); do-not-call entries unique per tenant; attempts indexed by (tenant, number, time), which is how
the dialer's caps and the 72-hour rule read them.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list:
    return [sa.Column("tenant_id", sa.Integer(), nullable=False),
            sa.Column("id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def upgrade() -> None:
    op.create_table(
        "contact_list",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_tenant("contact_list"),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_contact_list_tenant_id_name")),
    )
    op.create_index(op.f("ix_contact_list_tenant_id"), "contact_list", ["tenant_id"])
    op.create_table(
        "contact",
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("phone_e164", sa.String(24), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=True),
        sa.Column("fields", JSONType, nullable=False),
        sa.Column("consent_source", sa.String(200), nullable=True),
        sa.Column("consent_at", UTCDateTime(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        *_tenant("contact"),
        sa.ForeignKeyConstraint(["list_id"], ["contact_list.id"], name=op.f("fk_contact_list_id_contact_list"),
                                ondelete="CASCADE"),
        sa.UniqueConstraint("list_id", "phone_e164", name=op.f("uq_contact_list_id_phone_e164")),
    )
    op.create_index(op.f("ix_contact_tenant_id"), "contact", ["tenant_id"])
    op.create_index(op.f("ix_contact_list_id"), "contact", ["list_id"])
    op.create_table(
        "dnc_entry",
        sa.Column("phone_e164", sa.String(24), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_tenant("dnc_entry"),
        sa.UniqueConstraint("tenant_id", "phone_e164", name=op.f("uq_dnc_entry_tenant_id_phone_e164")),
    )
    op.create_index(op.f("ix_dnc_entry_tenant_id"), "dnc_entry", ["tenant_id"])
    op.create_table(
        "platform_dnc_entry",
        sa.Column("phone_e164", sa.String(24), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_dnc_entry")),
        sa.UniqueConstraint("phone_e164", name=op.f("uq_platform_dnc_entry_phone_e164")),
    )
    op.create_table(
        "dial_attempt",
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("phone_e164", sa.String(24), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("abandoned", sa.Boolean(), nullable=False),
        sa.Column("disposition", sa.String(64), nullable=True),
        *_tenant("dial_attempt"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], name=op.f("fk_dial_attempt_contact_id_contact"),
                                ondelete="SET NULL"),
    )
    op.create_index(op.f("ix_dial_attempt_tenant_id"), "dial_attempt", ["tenant_id"])
    op.create_index("ix_dial_attempt_tenant_phone_at", "dial_attempt", ["tenant_id", "phone_e164", "at"])


def downgrade() -> None:
    op.drop_table("dial_attempt")
    op.drop_table("platform_dnc_entry")
    op.drop_table("dnc_entry")
    op.drop_table("contact")
    op.drop_table("contact_list")
