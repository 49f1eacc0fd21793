"""The database is out of reach (its pool exhausted, or the server down): 503 with Retry-After, not a crash.

Under load every connection of a worker's pool can be in use; a request that waits `pool_timeout` for one
gets SQLAlchemy's `TimeoutError`, and a database that is down or refusing connections gives an
`OperationalError` raised while connecting. Both are passing conditions of the server, not a fault of the
request: the client is told so (503, `Retry-After`, a sentence in its language; JSON on the API), the cause
goes to the log, and nothing about the answer needs the database (the page renders for an anonymous
visitor when the session itself could not be read; see sessions.py).

An `OperationalError` raised by a statement on a working connection (a statement timeout, a serialization
failure) is not this: it keeps its own handling.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from .i18n import extend

#: The SQLAlchemy exception classes that may mean "no connection"; `is_unavailable` decides.
CANDIDATES = (PoolTimeout, OperationalError)
RETRY_AFTER = 5


MESSAGE = ("The server is busy or cannot reach its database right now; nothing was saved. "
           "Try again in a few seconds.")


class DatabaseUnavailable(ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__(MESSAGE)
        self.retry_after = RETRY_AFTER


def is_unavailable(exc: BaseException | None) -> bool:
    """True for a pool that ran out of connections or a connection that could not be made or was lost."""
    if isinstance(exc, PoolTimeout):
        return True
    # Raised while connecting, SQLAlchemy wraps the driver's error with no statement; a connection lost
    # mid-request is flagged `connection_invalidated`.
    return isinstance(exc, OperationalError) and (exc.statement is None or bool(exc.connection_invalidated))


STRINGS: dict[str, dict[str, str]] = {
    MESSAGE: {"zh_CN": "服务器繁忙或暂时无法连接数据库，本次操作未保存。请几秒钟后重试。"},
    "Service Unavailable": {"zh_CN": "服务暂不可用"},
}


def install(app: Flask, render: Callable[[HTTPException], ResponseReturnValue]) -> None:
    """Answers a missing database with `render(DatabaseUnavailable())` (the app's page or JSON error);
    every other SQLAlchemy error of the same classes goes on to the usual 500."""
    extend(STRINGS)

    def unavailable(exc: Exception) -> ResponseReturnValue:
        if not is_unavailable(exc):
            raise exc
        current_app.logger.warning("database unavailable, %s %s answered 503: %s: %s", request.method,
                                   request.path, type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
        return render(DatabaseUnavailable())

    for kind in CANDIDATES:
        app.register_error_handler(kind, unavailable)
