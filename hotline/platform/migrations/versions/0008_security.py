"""Security (issue 10): server-side web sessions and tenant invitations.

`web_session` holds each signed-in session (keyed by the SHA-256 of the cookie's random token) so that a
logout, password change, deactivation or removed role can end them all; `invitation` holds roles a tenant
admin offered a user, until the user accepts. Written by hand.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ROLES = ("PLATFORM_OPERATOR", "TENANT_ADMIN", "ANALYST", "AGENT", "SUPERVISOR", "QA", "CAMPAIGN_OPERATOR")


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_web_session_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"])
    op.create_table(
        "invitation",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Enum(*ROLES, name="role", native_enum=False, length=32), nullable=False),
        sa.Column("invited_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_invitation_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_invitation_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("tenant_id", "user_id", "role", name=op.f("uq_invitation_tenant_id_user_id_role")),
    )
    op.create_index(op.f("ix_invitation_tenant_id"), "invitation", ["tenant_id"])
    op.create_index(op.f("ix_invitation_user_id"), "invitation", ["user_id"])


def downgrade() -> None:
    op.drop_table("invitation")
    op.drop_table("web_session")
