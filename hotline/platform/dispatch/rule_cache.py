"""Each tenant's published dispatch rules kept in memory, so a call that no rule fires for costs no database.

Why: `route_call` read every published dispatch document from the database for every call entering a
queue (≈2–12 ms, in a worker thread), although rules change only on a publish and most calls fire no
rule. The runtime keeps the rules here and evaluates the conditions in process (`may_fire`); only when a
condition holds (or cannot be evaluated) does it run the engine in a tenant session, which re-reads the
rules, applies the actions and writes the firing log — so the database stays the authority for
everything that is written, and a call no rule fires for neither reads nor writes.

Staleness: an entry is dropped when a `document.published` event for the tenant's dispatch documents
arrives (the platform's notifier publishes it on Redis after commit; `hotline.runtime.call.dispatch_hook`
follows the channel). The cache is only *used* while such a listener runs (`live`), every entry is
dropped when a listener (re)subscribes (events sent while nobody listened are not replayed), and an
entry older than `max_age_seconds` is reloaded anyway — a backstop for a lost message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..conditions import evaluate
from ..db import Database
from ..models import utcnow
from .engine import published_rules

#: Seconds after which an entry is reloaded even without a publish event.
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class CachedRules:
    """The bodies of a tenant's published rules, in run order, and when they were read."""

    rules: tuple[Mapping[str, Any], ...]
    loaded_at: float


def may_fire(rules: Sequence[Mapping[str, Any]], event: str, context: Mapping[str, Any]) -> bool:
    """Whether the engine could record a firing for this event: an enabled rule of the event whose
    condition holds, is absent, or cannot be evaluated (the engine logs that as a skipped firing).

    The context is built as `engine.run_rules` builds it, so the answer matches what the engine does.
    """
    base: dict[str, Any] = {"ticket": {}, "customer": {}, "call": {}, "var": {}}
    base.update({k: v for k, v in context.items() if k != "ticket" and v is not None})
    base["event"] = {**dict(context.get("event") or {}), "name": event, "at": utcnow().isoformat()}
    for body in rules:
        if body.get("event") != event or not body.get("enabled", True):
            continue
        if "when" not in body:
            return True
        try:
            if evaluate(body["when"], base):
                return True
        except Exception:  # the engine reports it; let it
            return True
    return False


class RuleCache:
    """Published dispatch rules per (database, tenant); thread-safe (loads run in worker threads)."""

    def __init__(self, max_age_seconds: float = MAX_AGE_SECONDS) -> None:
        self.max_age_seconds = max_age_seconds
        self._entries: dict[tuple[str, int], CachedRules] = {}
        self._generation: dict[int, int] = {}
        self._listeners = 0
        self._lock = threading.Lock()
        #: loads from the database (for tests and benchmarks)
        self.loads = 0

    @property
    def live(self) -> bool:
        """True while something follows publish events in this process (only then is the cache used)."""
        return self._listeners > 0

    def listening(self, delta: int) -> None:
        """A listener subscribed (+1) or stopped (-1). A new subscription drops every entry: publishes sent
        while nobody listened were not seen."""
        with self._lock:
            self._listeners = max(0, self._listeners + delta)
            if delta > 0:
                self._entries.clear()

    def get(self, db: Database, tenant_id: int) -> tuple[Mapping[str, Any], ...] | None:
        """The cached rules, or None when they must be (re)loaded."""
        entry = self._entries.get((_key(db), tenant_id))
        if entry is None or time.monotonic() - entry.loaded_at > self.max_age_seconds:
            return None
        return entry.rules

    def load(self, db: Database, tenant_id: int) -> tuple[Mapping[str, Any], ...]:
        """Reads the tenant's published rules (blocking: call it in a worker thread) and keeps them, unless
        a publish event arrived meanwhile (then the next call reads again)."""
        generation = self._generation.get(tenant_id, 0)
        with db.tenant(tenant_id) as session:
            rules = tuple(rule.body for rule in published_rules(session))
        with self._lock:
            self.loads += 1
            if self._generation.get(tenant_id, 0) == generation:
                self._entries[(_key(db), tenant_id)] = CachedRules(rules, time.monotonic())
        return rules

    def invalidate(self, tenant_id: int | None = None) -> None:
        """Drops one tenant's rules (in every database), or everything."""
        with self._lock:
            if tenant_id is None:
                self._entries.clear()
                return
            self._generation[tenant_id] = self._generation.get(tenant_id, 0) + 1
            for key in [k for k in self._entries if k[1] == tenant_id]:
                del self._entries[key]

    def on_event(self, payload: Mapping[str, Any]) -> None:
        """A platform event (notifier.py): a published dispatch document drops its tenant's rules."""
        if payload.get("type") == "document.published" and payload.get("kind") == "dispatch":
            try:
                self.invalidate(int(payload["tenant_id"]))
            except (KeyError, TypeError, ValueError):
                self.invalidate()  # cannot tell whose: drop all rather than keep something stale


def _key(db: Database) -> str:
    return str(db.engine.url)


#: The process's cache (what the runtime uses).
RULES = RuleCache()
