"""Server-side sessions: the cookie of a signed-in user carries only a random token, the data lives in the database.

Why the database and not Redis (docs/decisions.md): the row is deleted in the same transaction as the
change that ends it (password, role, deactivation — see platform/models/web_sessions.py), it is shared by
every web process even on the embedded default (whose Redis stand-in lives inside one process), and it
survives a restart. The price is one primary-key read per request, and a write of `last_seen_at` at most
once a minute.

Before sign-in the session (language, CSRF token) stays in Flask's signed cookie; it never carries
authority: a `user_id` in it — forged with a leaked key, or left from before this change — is dropped.
A session ends after `session_idle_minutes` without a request and `session_absolute_hours` after sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, current_app
from flask import session as flask_session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from sqlalchemy import delete

from ..platform.db import Database
from ..platform.models import WebSession
from . import database_unavailable

#: Cookie values of server-side sessions start with this; anything else is the anonymous signed cookie.
PREFIX = "s."
#: Keys that only a server-side session may hold.
AUTHORITY = frozenset({"user_id", "tenant_id"})
CLOCK = "hotline.clock"
#: `last_seen_at` is written at most this often (the idle timeout is counted in minutes anyway).
TOUCH_EVERY = timedelta(seconds=60)


def now(app: Flask | None = None) -> datetime:
    """The app's clock (tests put a frozen one in app.extensions["hotline.clock"])."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    clock: Callable[[], datetime] | None = app.extensions.get(CLOCK)
    return clock() if clock is not None else datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class ServerSession(SecureCookieSession):
    """Flask's session dict plus the token of its server-side row (None before sign-in)."""

    def __init__(self, initial: Any = None, token: str | None = None) -> None:
        super().__init__(initial)
        self.token = token
        #: Why the server-side row could not be read (no database connection); raised again by
        #: `_refuse_without_database` as the request's first step, so the error pages answer it.
        self.unavailable: Exception | None = None


class ServerSideSessions(SecureCookieSessionInterface):
    session_class = ServerSession

    def __init__(self, db: Database, idle: timedelta, absolute: timedelta) -> None:
        self.db, self.idle, self.absolute = db, idle, absolute

    def open_session(self, app: Flask, request: Request) -> ServerSession | None:
        cookie = request.cookies.get(self.get_cookie_name(app), "")
        if cookie.startswith(PREFIX):
            token = cookie[len(PREFIX):]
            try:
                data = self._load(token, now(app)) if 20 <= len(token) <= 100 else None
            except database_unavailable.CANDIDATES as exc:
                if not database_unavailable.is_unavailable(exc):
                    raise
                # Raising here (before the request context is complete) would leave Flask without a
                # session, and the error page itself would fail; an empty session carries the cause.
                unopened = ServerSession()
                unopened.unavailable = exc
                return unopened
            return ServerSession(data, token) if data is not None else ServerSession()
        anonymous = super().open_session(app, request)
        if anonymous is None:
            return None
        return ServerSession({k: v for k, v in anonymous.items() if k not in AUTHORITY})

    def _load(self, token: str, at: datetime) -> dict[str, Any] | None:
        with self.db.platform() as session:
            row = session.get(WebSession, _digest(token))
            if row is None:
                return None
            if at - row.last_seen_at > self.idle or at - row.created_at > self.absolute:
                session.delete(row)
                return None
            if at - row.last_seen_at > TOUCH_EVERY:
                row.last_seen_at = at
            return {**row.data, "user_id": row.user_id}

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:  # type: ignore[override]
        user_id = session.get("user_id")
        if user_id is None:
            super().save_session(app, session, response)
            return
        data = {k: v for k, v in session.items() if k != "user_id"}
        at = now(app)
        if session.token is None:
            token = secrets.token_urlsafe(32)
            with self.db.platform() as db_session:
                # The user's expired sessions go now (a closed browser never comes back to end its own).
                db_session.execute(delete(WebSession).where(
                    WebSession.user_id == user_id,
                    (WebSession.created_at < at - self.absolute) | (WebSession.last_seen_at < at - self.idle)))
                db_session.add(WebSession(id=_digest(token), user_id=user_id, data=data, created_at=at,
                                          last_seen_at=at))
            session.token = token
            response.set_cookie(
                self.get_cookie_name(app), PREFIX + token, max_age=int(self.absolute.total_seconds()),
                domain=self.get_cookie_domain(app), path=self.get_cookie_path(app),
                secure=self.get_cookie_secure(app), httponly=True, samesite=self.get_cookie_samesite(app),
                partitioned=self.get_cookie_partitioned(app))
            response.vary.add("Cookie")
        elif session.modified:
            with self.db.platform() as db_session:
                row = db_session.get(WebSession, _digest(session.token))
                if row is not None:  # ended meanwhile (revoked): never resurrect it
                    row.data = data
        if session.accessed:
            response.vary.add("Cookie")


def end_current(session: ServerSession) -> None:
    """Forgets the current server-side session (its row, if any) and makes the session anonymous again."""
    if session.token is not None:
        db: Database = current_app.extensions["hotline.db"]
        with db.platform() as db_session:
            db_session.execute(delete(WebSession).where(WebSession.id == _digest(session.token)))
    session.token = None


def end_all(user_id: int) -> int:
    """Ends every session of `user_id` (sign out everywhere); returns how many there were."""
    db: Database = current_app.extensions["hotline.db"]
    with db.platform() as db_session:
        result = db_session.execute(delete(WebSession).where(WebSession.user_id == user_id))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _refuse_without_database() -> None:
    """A session whose row could not be read must not run the view as if signed out: answer the cause."""
    unavailable = getattr(flask_session, "unavailable", None)
    if unavailable is not None:
        raise unavailable


def install(app: Flask, db: Database, idle_minutes: int, absolute_hours: int) -> None:
    app.session_interface = ServerSideSessions(db, timedelta(minutes=idle_minutes), timedelta(hours=absolute_hours))
    # Before every later hook (the principal, CSRF, the views); request_input's checks need no database.
    app.before_request(_refuse_without_database)
