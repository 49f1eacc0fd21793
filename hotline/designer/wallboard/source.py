"""Where the web app reads the ACD's live state from, decided once per app and kept in app.extensions.

In order: an AcdReader already put in ``app.extensions["hotline.wallboard.acd"]`` (tests, or a process that
wires its own); else the app's one Redis (redis_access.py: the embedded in-process stand-in of `hotline up`
is shared with the runtime). The key prefix is ``HOTLINE_ACD_PREFIX`` (the runtime's default
otherwise). The reader holds a pooled, thread-safe sync client and the prefix, never figures.
"""

from __future__ import annotations

from flask import Flask, current_app

from ...platform.acd.keys import DEFAULT_PREFIX
from ...platform.wallboard import AcdReader
from ..redis_access import redis_connections

READER_KEY = "hotline.wallboard.acd"


def _build(app: Flask) -> AcdReader:
    prefix = app.config.get("HOTLINE_ACD_PREFIX", DEFAULT_PREFIX)
    return AcdReader(redis_connections(app).sync, prefix)


def acd_reader() -> AcdReader:
    app = current_app
    reader = app.extensions.get(READER_KEY)
    if reader is None:
        reader = app.extensions[READER_KEY] = _build(app)
    return reader
