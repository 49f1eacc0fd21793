"""Runs the Alembic migrations programmatically (no alembic.ini to find), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from .db import Database

MIGRATIONS = Path(__file__).with_name("migrations")
#: SQLite FTS5 tables (and the shadow tables FTS5 keeps beside each) that migrations create and the models
#: cannot describe; autogenerate and the schema comparison leave them alone.
FTS_TABLES = ("article_fts",)


#: Indexes the models declare for PostgreSQL only (`ddl_if`, which autogenerate does not read).
POSTGRES_ONLY_INDEXES = frozenset({"ix_article_search_vector", "brin_report_interval_start",
                                   "brin_report_ticket_interval_start"})


def comparison_options(dialect: str) -> dict[str, Any]:
    """Alembic's include hooks for a database of `dialect`: leaves out the FTS tables, and on other databases
    the PostgreSQL-only indexes."""

    def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
        return not (type_ == "table" and name is not None and name.startswith(FTS_TABLES))

    def include_object(_obj: object, name: str | None, type_: str, _reflected: bool, _other: object) -> bool:
        return dialect == "postgresql" or not (type_ == "index" and name in POSTGRES_ONLY_INDEXES)

    return {"include_name": include_name, "include_object": include_object}


def _config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Brings the database schema up to date."""
    config = _config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["secrets"] = database.secrets  # data migrations that seal secrets (0019)
        command.upgrade(config, revision)


def downgrade(database: Database, revision: str = "base") -> None:
    config = _config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["secrets"] = database.secrets
        command.downgrade(config, revision)


def current(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def revision(database: Database, message: str) -> None:
    """Autogenerates a migration (developers review it: see docs/decisions.md on what autogenerate misses)."""
    config = _config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
