"""Engine and sessions. Passed in (app factory, CLI), never a module-level global."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from . import kb_index, scoping, tenant_events  # noqa: F401  (tenant_events: its flush listener)
from .notifier import NOTIFIER, Notifier
from .reports import counters as report_counters

#: session.info key of the Database a session came from.
DATABASE = "hotline.database"


class Database:
    """One database: the engine and the two kinds of session (platform-wide, tenant-scoped)."""

    def __init__(self, url: str, echo: bool = False, *, pool_size: int = 10, max_overflow: int = 20,
                 pool_timeout: float = 30.0) -> None:
        """`pool_*` bound the PostgreSQL connections of this process (SQLAlchemy's QueuePool; unused on SQLite)."""
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo}
        if url.startswith("sqlite"):
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:" and url != "sqlite://":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow,
                          pool_timeout=pool_timeout)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        #: Receives events after commit (see notifier.py); sinks are attached by whoever runs the process.
        self.notifier = Notifier()
        #: Seals provider secrets (platform/secret_box.py); set by whoever holds the settings (use_secret_key).
        self.secrets: Any = None
        kb_index.register()
        report_counters.register()
        self._factory = sessionmaker(self.engine, expire_on_commit=False,
                                     info={NOTIFIER: self.notifier, DATABASE: self})

    def use_secret_key(self, secret_key: str) -> None:
        """Provider secrets are sealed and opened with a key derived from this (the app's secret key)."""
        if secret_key:
            from .secret_box import SecretBox  # late: only processes that hold a key load cryptography

            self.secrets = SecretBox(secret_key)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def platform(self) -> Iterator[Session]:
        """An unscoped session: platform operations only (tenants, users, DIDs, templates)."""
        with self._factory() as session, session.begin():
            yield session

    @contextmanager
    def tenant(self, tenant_id: int) -> Iterator[Session]:
        """A session that sees and writes only this tenant's rows; commits on success."""
        with self._factory() as session, session.begin():
            scoping.scope(session, tenant_id)
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
