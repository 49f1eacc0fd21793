"""The web app's one Redis: what the desk, the wallboard and test calls share with the runtime, and its job queues.

`hotline up` passes the process's RedisConnections (the embedded in-process stand-in included), so the
pages see the very ACD the runtime works on; otherwise the first use connects to the configured server
(`HOTLINE_REDIS_URL` in the app config first, for tests). One place, so the areas cannot disagree about
which Redis they read.
"""

from __future__ import annotations

from flask import Flask, current_app

from ..platform.jobs import Queues, queues_for
from ..platform.redis_conn import RedisConnections, connect

EXTENSION = "hotline.redis"
SETTINGS = "hotline.settings"
#: Set when the app connected on its own (not handed the process's connections by `hotline up`).
OWN = "hotline.redis.own"
#: The app's RQ queues (and, with the embedded stand-in, the worker thread started for them).
QUEUES = "hotline.queues"
QUEUES_WORKER = "hotline.queues.worker"


def redis_connections(app: Flask | None = None) -> RedisConnections:
    """The app's Redis connections, made on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION)
    if found is None:
        settings = app.extensions[SETTINGS]
        url = app.config.get("HOTLINE_REDIS_URL") or settings.redis_url
        found = app.extensions.setdefault(EXTENSION, connect(url, settings.redis_required))
        app.extensions[OWN] = True
    return found


def job_queues(app: Flask | None = None) -> Queues:
    """The app's RQ queues: the ones put in `app.extensions["hotline.queues"]` (tests, `hotline serve`), else
    built once on `redis_connections(app)`. On an embedded stand-in the app connected to itself nobody else
    could run its jobs, so an in-process worker thread is started for it; `hotline up`, which hands the app its
    own stand-in, runs that worker already."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    queues = app.extensions.get(QUEUES)
    if queues is None:
        queues = queues_for(redis_connections(app))
        if queues.embedded and app.extensions.get(OWN):
            worker = queues.worker_thread()
            worker.start()
            app.extensions[QUEUES_WORKER] = worker
        app.extensions[QUEUES] = queues
    return queues
