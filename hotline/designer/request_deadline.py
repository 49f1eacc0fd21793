"""A time limit for every web request: past `web.request_timeout` seconds a request is answered 503.

Under gunicorn's threaded worker (`hotline serve`) nothing cuts a slow request off: the worker's `timeout`
only replaces a process whose main loop stopped answering, and a thread cannot be killed from outside in
Python. So the limit is enforced where a request spends its time, cooperatively:

* before every SQL statement (a SQLAlchemy `before_cursor_execute` hook) and before every template render:
  a request already past its deadline stops there with `RequestTimedOut` (503, `Retry-After`), its
  transaction rolled back by the session's context manager;
* inside a statement: on PostgreSQL every connection the app opens gets `statement_timeout` set to the same
  limit, so one slow query cannot outlast it either.

Pure-Python loops that touch neither (a document check, bounded by its own size limits and the per-tenant
document quota) finish before the next check. The deadline covers the view only: a streamed response
(the desk's and the wallboard's event streams) bounds itself (300 s) once the view has returned it.
The clock is `time.monotonic`, replaceable through `app.extensions[CLOCK]` for tests.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, has_request_context
from flask.signals import before_render_template
from sqlalchemy import Engine, event
from werkzeug.exceptions import ServiceUnavailable

from .i18n import extend

CLOCK = "hotline.request_deadline.clock"
LIMIT = "hotline.request_deadline.seconds"
RETRY_AFTER = 5
_TIMED_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


MESSAGE = ("the request took longer than the server's limit of {seconds} seconds and was stopped; nothing of it "
           "was saved. Try again in a moment, or with less at once.")
STRINGS: dict[str, dict[str, str]] = {
    MESSAGE: {"zh_CN": "请求处理时间超过了服务器 {seconds} 秒的上限，已被中止，本次操作未保存。"
                       "请稍后重试，或一次少提交一些内容。"},
}


class RequestTimedOut(ServiceUnavailable):
    def __init__(self, seconds: float) -> None:
        super().__init__(MESSAGE.format(seconds=f"{seconds:g}"))
        #: the page words the sentence in the reader's language (QA 13 #5: a Chinese 503 page said it in English)
        self.words = {"text": MESSAGE, "seconds": f"{seconds:g}"}
        self.retry_after = RETRY_AFTER


def check() -> None:
    """Raises RequestTimedOut when the current request is past its deadline; nothing outside a request."""
    if not has_request_context():
        return
    deadline = g.get("hotline_deadline")
    if deadline is not None and current_app.extensions[CLOCK]() > deadline:
        g.hotline_deadline = None  # raised once: the error page's own render must not raise again
        raise RequestTimedOut(current_app.extensions[LIMIT])


def _before_cursor_execute(*_args: Any, **_kwargs: Any) -> None:
    check()


def _statement_timeout(milliseconds: int) -> Callable[[Any, Any], None]:
    def set_timeout(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET statement_timeout = {int(milliseconds)}")
        cursor.close()
        dbapi_connection.commit()
    return set_timeout


def install(app: Flask, engine: Engine, seconds: float) -> None:
    """Starts each request's clock, checks it before SQL and renders, and bounds PostgreSQL statements."""
    extend(STRINGS)
    app.extensions.setdefault(CLOCK, time.monotonic)
    app.extensions[LIMIT] = seconds

    @app.before_request
    def _start() -> None:
        g.hotline_deadline = app.extensions[CLOCK]() + seconds

    @app.after_request
    def _stop(response: Any) -> Any:
        g.hotline_deadline = None  # a streamed body runs after this, on its own bound
        return response

    if not event.contains(engine, "before_cursor_execute", _before_cursor_execute):
        event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    if engine.dialect.name == "postgresql" and engine not in _TIMED_ENGINES:
        # Once per engine: several apps on one Database (tests, `hotline up`) must not stack listeners.
        _TIMED_ENGINES.add(engine)
        event.listen(engine, "connect", _statement_timeout(int(seconds * 1000)))
    before_render_template.connect(_before_render, app)


def _before_render(_sender: Any, **_extra: Any) -> None:
    check()
