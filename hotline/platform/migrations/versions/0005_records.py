"""Records: agents' saved ticket filters and customer import jobs (issue 5).

Written by hand. `saved_filter` is unique per (tenant, user, name); `import_job` is listed newest first per
tenant, so it is indexed on (tenant_id, created_at). Ticket search by text gets an index on
ticket_search_key (tenant_id, value): one range scan for a waybill or phone whatever field holds it.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_filter",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_saved_filter_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_saved_filter_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_filter")),
        sa.UniqueConstraint("tenant_id", "user_id", "name", name=op.f("uq_saved_filter_tenant_id_user_id_name")),
    )
    with op.batch_alter_table("saved_filter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_filter_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "import_job",
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("errors", JSONType, nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_import_job_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.create_index("ix_import_job_tenant_created", ["tenant_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_job_tenant_id"), ["tenant_id"], unique=False)

    with op.batch_alter_table("ticket_search_key", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_search_key_tenant_value", ["tenant_id", "value"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_search_key", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_search_key_tenant_value")
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_job_tenant_id"))
        batch_op.drop_index("ix_import_job_tenant_created")
    op.drop_table("import_job")
    with op.batch_alter_table("saved_filter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_filter_tenant_id"))
    op.drop_table("saved_filter")
