"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.models import Base


def test_migrated_schema_matches_the_models(db: Database) -> None:
    assert schema_migrations.current(db) == schema_migrations.head()
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={
            "compare_type": True, **schema_migrations.comparison_options(db.dialect)}),
                                Base.metadata)
    assert diff == []


def test_migrations_downgrade_and_upgrade_again(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    schema_migrations.upgrade(db)
    schema_migrations.downgrade(db, "base")
    assert schema_migrations.current(db) is None
    schema_migrations.upgrade(db)
    assert schema_migrations.current(db) == schema_migrations.head()
    db.dispose()
