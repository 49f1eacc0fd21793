"""The web app's one Redis: what the desk, the wallboard and test calls share with the runtime.

`hotline up` passes the process's RedisConnections (the embedded in-process stand-in included), so the
pages see the very ACD the runtime works on; otherwise the first use connects to the configured server
(`HOTLINE_REDIS_URL` in the app config first, for tests). One place, so the areas cannot disagree about
which Redis they read.
"""

from __future__ import annotations

from flask import Flask, current_app

from ..platform.redis_conn import RedisConnections, connect

EXTENSION = "hotline.redis"
SETTINGS = "hotline.settings"


def redis_connections(app: Flask | None = None) -> RedisConnections:
    """The app's Redis connections, made on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION)
    if found is None:
        settings = app.extensions[SETTINGS]
        url = app.config.get("HOTLINE_REDIS_URL") or settings.redis_url
        found = app.extensions.setdefault(EXTENSION, connect(url, settings.redis_required))
    return found
