"""Recording and quality assurance (issue 15): the call's recording length, recording policies, score sheets,
calibration sessions and evaluations.

Written by hand. Policies are unique per (tenant, queue) with "" for the tenant's default; sheets unique per
(tenant, name); evaluations indexed by (tenant, agent) for the agent's page and reports and by (tenant, call).

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list:
    return [sa.Column("tenant_id", sa.Integer(), nullable=False),
            sa.Column("id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def upgrade() -> None:
    with op.batch_alter_table("call_record") as batch:
        batch.add_column(sa.Column("recording_seconds", sa.Float(), nullable=True))
    op.create_table(
        "recording_policy",
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        *_tenant("recording_policy"),
        sa.UniqueConstraint("tenant_id", "queue", name=op.f("uq_recording_policy_tenant_id_queue")),
    )
    op.create_index(op.f("ix_recording_policy_tenant_id"), "recording_policy", ["tenant_id"])
    op.create_table(
        "score_sheet",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", JSONType, nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_tenant("score_sheet"),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_score_sheet_tenant_id_name")),
    )
    op.create_index(op.f("ix_score_sheet_tenant_id"), "score_sheet", ["tenant_id"])
    op.create_table(
        "calibration_session",
        sa.Column("call_uuid", sa.String(64), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_tenant("calibration_session"),
        sa.ForeignKeyConstraint(["sheet_id"], ["score_sheet.id"],
                                name=op.f("fk_calibration_session_sheet_id_score_sheet"), ondelete="CASCADE"),
    )
    op.create_index(op.f("ix_calibration_session_tenant_id"), "calibration_session", ["tenant_id"])
    op.create_table(
        "evaluation",
        sa.Column("call_uuid", sa.String(64), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("sheet_name", sa.String(64), nullable=False),
        sa.Column("sheet", JSONType, nullable=False),
        sa.Column("answers", JSONType, nullable=False),
        sa.Column("remarks", JSONType, nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("calibration_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("appeal_status", sa.String(16), nullable=False),
        sa.Column("appeal_reason", sa.Text(), nullable=True),
        sa.Column("appealed_at", UTCDateTime(), nullable=True),
        sa.Column("appeal_resolution", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.String(64), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        *_tenant("evaluation"),
        sa.ForeignKeyConstraint(["agent_id"], ["user_account.id"], name=op.f("fk_evaluation_agent_id_user_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["user_account.id"],
                                name=op.f("fk_evaluation_reviewer_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["calibration_id"], ["calibration_session.id"],
                                name=op.f("fk_evaluation_calibration_id_calibration_session"), ondelete="CASCADE"),
    )
    op.create_index(op.f("ix_evaluation_tenant_id"), "evaluation", ["tenant_id"])
    op.create_index("ix_evaluation_tenant_agent", "evaluation", ["tenant_id", "agent_id"])
    op.create_index("ix_evaluation_tenant_call", "evaluation", ["tenant_id", "call_uuid"])


def downgrade() -> None:
    op.drop_table("evaluation")
    op.drop_table("calibration_session")
    op.drop_table("score_sheet")
    op.drop_table("recording_policy")
    with op.batch_alter_table("call_record") as batch:
        batch.drop_column("recording_seconds")
