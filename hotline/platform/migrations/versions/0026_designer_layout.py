"""Designer layout kept apart from the flow (issue 16): `document_layout`, positions moved out of the bodies.

Written by hand. One row per document maps node ids to {x, y, pinned}. The positions stored in IVR drafts move
into it (pinned: each was placed by someone or by an earlier layout, and the analyst has seen it there), and are
taken out of the drafts and of the published versions' bodies: a position never meant anything to the runtime,
and left in the older versions it would make every diff against a new version list each node as moved. The
downgrade puts the layout back into the drafts (versions keep no positions: the designer never read them).

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

from hotline.platform.models.base import JSONType, UTCDateTime, utcnow
from hotline.platform.services.layouts import split_positions

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

document = sa.table("document", sa.column("id", sa.Integer), sa.column("tenant_id", sa.Integer),
                    sa.column("draft", JSONType))
version = sa.table("document_version", sa.column("id", sa.Integer), sa.column("body", JSONType))
layout = sa.table("document_layout", sa.column("id", sa.Integer), sa.column("tenant_id", sa.Integer),
                  sa.column("document_id", sa.Integer), sa.column("positions", JSONType),
                  sa.column("updated_at", UTCDateTime), sa.column("updated_by", sa.String))


def upgrade() -> None:
    op.create_table(
        "document_layout",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("positions", JSONType, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_document_layout_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_layout_document_id_document"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_layout")),
        sa.UniqueConstraint("document_id", name=op.f("uq_document_layout_document_id")),
    )
    op.create_index(op.f("ix_document_layout_tenant_id"), "document_layout", ["tenant_id"])
    op.create_index(op.f("ix_document_layout_document_id"), "document_layout", ["document_id"])
    bind = op.get_bind()
    for doc_id, tenant_id, draft in bind.execute(sa.select(document.c.id, document.c.tenant_id, document.c.draft)):
        if not isinstance(draft, dict):
            continue
        placed = split_positions(draft)
        if not placed:
            continue
        bind.execute(document.update().where(document.c.id == doc_id).values(draft=draft))
        bind.execute(layout.insert().values(tenant_id=tenant_id, document_id=doc_id, positions=placed,
                                            updated_at=utcnow(), updated_by="migration 0026"))
    for version_id, body in bind.execute(sa.select(version.c.id, version.c.body)):
        if isinstance(body, dict) and split_positions(body):
            bind.execute(version.update().where(version.c.id == version_id).values(body=body))


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(layout.c.document_id, layout.c.positions, document.c.draft)
                        .join(document, document.c.id == layout.c.document_id)).all()
    for doc_id, positions, draft in rows:
        nodes = draft.get("nodes") if isinstance(draft, dict) else None
        if not isinstance(nodes, dict):
            continue
        for node_id, where in (positions or {}).items():
            if isinstance(nodes.get(node_id), dict):
                nodes[node_id]["position"] = {"x": where["x"], "y": where["y"]}
        bind.execute(document.update().where(document.c.id == doc_id).values(draft=draft))
    op.drop_index(op.f("ix_document_layout_document_id"), table_name="document_layout")
    op.drop_index(op.f("ix_document_layout_tenant_id"), table_name="document_layout")
    op.drop_table("document_layout")
