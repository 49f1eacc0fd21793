"""Alembic environment: runs with the connection handed in by hotline.platform.schema_migrations."""

from __future__ import annotations

from alembic import context

from hotline.platform.models import Base
from hotline.platform.schema_migrations import comparison_options

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through `alembic` with a URL
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    **comparison_options(connection.dialect.name),
)
with context.begin_transaction():
    context.run_migrations()
