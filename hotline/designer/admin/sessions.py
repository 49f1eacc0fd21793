"""The database session Flask-Admin works through: one real session per request, never one per app.

Flask-Admin keeps the object given to a view's constructor and calls `query`, `get`, `add`, `commit` and
`rollback` on it. `RequestSession` stands in for it and hands each call to a session opened for the
current request — tenant-scoped (../../platform/scoping.py) for tenant views, unscoped for platform
views — closed when the request ends. Flask-Admin commits itself, so these sessions are plain ones, not
the `with session.begin()` blocks of `Database.tenant()`, which refuse work after an inner commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g
from sqlalchemy.orm import Session, sessionmaker

from ...platform import scoping
from ...platform.db import DATABASE, Database
from ...platform.notifier import NOTIFIER

_OPEN = "hotline_admin_sessions"


class RequestSession:
    """Proxy for `Session`: each attribute is looked up on the session of this request (opened on first use).

    `tenant_id` is a callable read at that moment (the current tenant of the signed-in user), or None for
    the platform-wide session.
    """

    def __init__(self, factory: sessionmaker[Session], tenant_id: Callable[[], int] | None) -> None:
        self._factory = factory
        self._tenant_id = tenant_id

    def current(self) -> Session:
        key = self._tenant_id() if self._tenant_id is not None else None
        sessions: dict[int | None, Session] = g.setdefault(_OPEN, {})
        if key not in sessions:
            session = self._factory()
            if key is not None:
                scoping.scope(session, key)
            sessions[key] = session
        return sessions[key]

    @property
    def session(self) -> RequestSession:
        """Flask-Admin asks for `.session` (as on a Flask-SQLAlchemy object); the proxy is its own session."""
        return self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # introspection (hasattr(x, "_action") …) must not open a session
            raise AttributeError(name)
        return getattr(self.current(), name)


def session_factory(app: Flask, db: Database) -> sessionmaker[Session]:
    """Sessions like `Database`'s own (same engine, same after-commit notifier), closed at the request's end."""
    factory = sessionmaker(db.engine, expire_on_commit=False, info={NOTIFIER: db.notifier, DATABASE: db})

    @app.teardown_appcontext
    def _close_admin_sessions(_exc: BaseException | None) -> None:
        # Anything Flask-Admin did not commit is rolled back by close().
        for session in g.pop(_OPEN, {}).values():
            session.close()

    return factory
