"""Side effects after commit, through one notifier.

Services queue events on the session (`queue_event`); when the transaction commits, the database's
notifier hands them to its sinks (Redis pub/sub, so every runtime process drops a stale IVR from its
cache). A rolled-back transaction emits nothing: a runtime must never reload a version that was not
committed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from . import commit_hooks

log = logging.getLogger("hotline.notifier")
_PENDING = "hotline.events"
NOTIFIER = "hotline.notifier"
#: The Redis pub/sub channel platform events go out on.
EVENTS_CHANNEL = "hotline:events"

Sink = Callable[[dict[str, Any]], None]


class Notifier:
    def __init__(self) -> None:
        self._sinks: list[Sink] = []

    def subscribe(self, sink: Sink) -> None:
        self._sinks.append(sink)

    def emit(self, payload: dict[str, Any]) -> None:
        for sink in self._sinks:
            try:
                sink(payload)
            except Exception:  # a sink that fails must not fail the request that committed
                log.exception("notifier sink failed for %s", payload.get("type"))


def redis_sink(client: Any, channel: str = EVENTS_CHANNEL) -> Sink:
    """Publishes events as JSON on a Redis channel (a sync redis-py or fakeredis client)."""
    return lambda payload: client.publish(channel, json.dumps(payload, ensure_ascii=False))


def queue_event(session: Session, payload: dict[str, Any]) -> None:
    """Emits payload after this session's outermost transaction commits (a savepoint's release is not it)."""
    commit_hooks.defer(session, _PENDING, payload)


def _emit(session: Session, pending: list[dict[str, Any]]) -> None:
    notifier = session.info.get(NOTIFIER)
    if notifier is not None:
        for payload in pending:
            notifier.emit(payload)


commit_hooks.register(_PENDING, _emit)
