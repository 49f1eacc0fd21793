"""`hotline serve`: the web application under gunicorn, with threaded workers (gthread).

Why gthread: the desk and the wallboard hold a server-sent-event stream per open page (designer/sse.py), a
loop that polls Redis and sleeps. Under gunicorn's default sync worker each stream would pin a whole process;
with gthread it holds one thread of a worker, so `workers × threads` bounds streams plus requests at once
(the settings [web] workers and threads). An async worker (gevent, eventlet) would need monkey-patching, which
breaks the desk's asyncio calls into the ACD and psycopg's blocking I/O; the streams sleep between polls, so
threads are cheap enough. Workers are separate processes for the CPU-bound part (templates, JSON, ORM)
that one process's GIL would serialise.

Each worker builds its own app after the fork (no preload): database engines and Redis connections are
never shared across processes. Limits: request bodies are capped by the app (MAX_CONTENT_LENGTH), the
request line and headers by gunicorn's limits below; a worker that stops answering for `timeout` seconds
is restarted, and event streams end by themselves after 300 s (the browser reconnects).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from ..platform.settings import Settings
from .ports import listening

#: gunicorn's request line and header limits (its defaults, stated so that a reader sees them).
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELDS = 100
LIMIT_REQUEST_FIELD_SIZE = 8190


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """The gunicorn settings `hotline serve` runs with, from config.toml / HOTLINE_WEB_* variables."""
    return {
        "bind": f"{settings.web_host}:{settings.web_port}",
        "worker_class": "gthread",
        "workers": settings.web_workers,
        "threads": settings.web_threads,
        "timeout": settings.web_timeout,
        "graceful_timeout": settings.web_graceful_timeout,
        "keepalive": settings.web_keepalive,
        "limit_request_line": LIMIT_REQUEST_LINE,
        "limit_request_fields": LIMIT_REQUEST_FIELDS,
        "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
        "preload_app": False,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "hotline-web",
    }


class HotlineServer(BaseApplication):  # type: ignore[misc]
    """gunicorn's programmatic entry point: options from our settings, the app from our factory."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self.factory, self.options = factory, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.factory()


def check_port_free(host: str, port: int) -> None:
    """gunicorn retries a taken port five times and logs each try; one clear line at once instead."""
    with listening("web", "port", host, port), socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def run(settings: Settings, factory: Callable[[], Any]) -> None:
    check_port_free(settings.web_host, settings.web_port)
    HotlineServer(factory, gunicorn_options(settings)).run()
