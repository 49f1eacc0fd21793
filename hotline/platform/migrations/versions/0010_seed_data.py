"""Seeds' data (issue 11, items 9-11): knowledge-base full-text search and synonyms, message providers.

* `article.search_vector`: the article's words, cut by the Chinese segmenter (services/kb_text.py), as a
  `tsvector` with a GIN index on PostgreSQL. SQLite has no tsvector: there the words go into the FTS5 table
  `article_fts` (rowid = article id), which the models do not describe (schema_migrations.FTS_TABLES keeps
  autogenerate from proposing to drop it). Existing articles are indexed by the application on its next
  save or by `knowledge.reindex` — a migration must not import the segmenter.
* `kb_synonym`: a tenant's search synonyms.
* `message_provider`, per tenant: the SMS gateway and SMTP server messages go out through.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_vector", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"),
                                      nullable=True))
    if dialect == "postgresql":
        op.create_index("ix_article_search_vector", "article", ["search_vector"], postgresql_using="gin")
    else:
        # words already cut and joined by spaces, so FTS5's own tokenizer only splits on them
        op.execute("CREATE VIRTUAL TABLE article_fts USING fts5(title, tags, body, tokenize='unicode61')")

    op.create_table(
        "kb_synonym",
        sa.Column("term", sa.String(length=50), nullable=False),
        sa.Column("alternatives", JSON, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_kb_synonym_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_synonym")),
        sa.UniqueConstraint("tenant_id", "term", name=op.f("uq_kb_synonym_tenant_id_term")),
    )
    with op.batch_alter_table("kb_synonym", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_synonym_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "message_provider",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("settings", JSON, nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_message_provider_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_provider")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_message_provider_tenant_id_name")),
    )
    with op.batch_alter_table("message_provider", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_provider_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("message_provider", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_provider_tenant_id"))
    op.drop_table("message_provider")
    with op.batch_alter_table("kb_synonym", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_synonym_tenant_id"))
    op.drop_table("kb_synonym")
    if dialect == "postgresql":
        op.drop_index("ix_article_search_vector", table_name="article")
    else:
        op.execute("DROP TABLE IF EXISTS article_fts")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("search_vector")
