"""Server-sent events: the one way pages get live updates (desk call state, wallboard figures).

SSE rather than WebSocket because every push here goes one way, from server to page, over plain HTTP that
Flask already serves; the browser's EventSource reconnects by itself. A comment line every `heartbeat`
seconds keeps proxies from closing an idle stream and lets the server notice a closed tab.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, stream_with_context

#: An update is (event name, JSON-able data), or None when there is nothing new yet.
Poll = Callable[[], list[tuple[str, Any]]]


def event(name: str, data: Any) -> str:
    """One SSE message; the data is JSON on a single line."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def stream(poll: Poll, *, interval: float = 0.5, heartbeat: float = 15.0, max_seconds: float = 300.0) -> Response:
    """A text/event-stream response calling `poll` every `interval` seconds and sending what it returns.

    The stream ends after `max_seconds` (the browser reconnects at once), so no worker thread is held by a
    forgotten tab forever.
    """

    def generate() -> Iterator[str]:
        started = last_sent = time.monotonic()
        yield "retry: 1000\n\n"
        while time.monotonic() - started < max_seconds:
            updates = poll()
            for name, data in updates:
                yield event(name, data)
            now = time.monotonic()
            if updates:
                last_sent = now
            elif now - last_sent >= heartbeat:
                yield ": keep-alive\n\n"
                last_sent = now
            time.sleep(interval)

    response = Response(stream_with_context(generate()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response
