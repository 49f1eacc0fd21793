"""Where the web app reads the ACD's live state from, decided once per app and kept in app.extensions.

In order: an AcdReader already put in ``app.extensions["hotline.wallboard.acd"]`` (tests, or a process that
wires its own); the process's RedisConnections in ``app.extensions["hotline.redis"]`` (so the embedded
in-process Redis stand-in of `hotline up` is shared with the runtime); else ``HOTLINE_REDIS_URL`` in the app
config, else the configured ``redis.url``. The key prefix is ``HOTLINE_ACD_PREFIX`` (the runtime's default
otherwise). The reader holds a pooled, thread-safe sync client and the prefix, never figures.
"""

from __future__ import annotations

from flask import Flask, current_app
from redis import Redis

from ...platform.settings import SettingsError, load
from ...platform.wallboard import AcdReader
from ...runtime.acd import DEFAULT_PREFIX

READER_KEY = "hotline.wallboard.acd"
DEFAULT_URL = "redis://127.0.0.1:6379/0"


def _build(app: Flask) -> AcdReader:
    prefix = app.config.get("HOTLINE_ACD_PREFIX", DEFAULT_PREFIX)
    connections = app.extensions.get("hotline.redis")
    if connections is not None and hasattr(connections, "sync"):
        return AcdReader(connections.sync, prefix)
    url = app.config.get("HOTLINE_REDIS_URL") or _configured_url()
    return AcdReader(Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2), prefix)


def _configured_url() -> str:
    try:
        return load().redis_url
    except SettingsError:  # no readable config.toml: the board says its live part is missing, nothing worse
        return DEFAULT_URL


def acd_reader() -> AcdReader:
    app = current_app
    reader = app.extensions.get(READER_KEY)
    if reader is None:
        reader = app.extensions[READER_KEY] = _build(app)
    return reader
