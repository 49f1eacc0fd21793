"""The runtime's side of the dispatch rules for calls: `call.entered_queue` and `call.abandoned`.

`hotline.platform.dispatch.call_events` provides ``route_call(session, tenant_id, call) -> RouteDecision |
None`` (queue, priority, skills, rules) and ``call_abandoned(session, tenant_id, call) -> None``. The
module is imported lazily and looked up again on every call while it is missing, so a runtime started
before it was deployed picks it up without a restart. The database work runs in a worker thread. A rule
that fails never drops the call: any error is logged and the call keeps the queue its IVR gave it.

While `follow_publishes` runs (the Runtime starts it), each tenant's published rules are kept in memory
(`hotline.platform.dispatch.rule_cache`) and a call whose conditions match no rule is decided in the
event loop in microseconds, with no database session; only a call that some rule may fire for runs
`route_call` (which logs the firing) in a worker thread.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ...platform.db import Database
from ...platform.dispatch.rule_cache import RULES
from ...platform.notifier import EVENTS_CHANNEL

log = logging.getLogger("hotline.runtime.dispatch")
MODULE = "hotline.platform.dispatch.call_events"


@dataclass(frozen=True, slots=True)
class Routing:
    """Where the call waits after the rules: the IVR's queue unless a rule routed it elsewhere."""

    queue: str
    priority: int
    skills: tuple[str, ...]
    rules: tuple[str, ...] = ()
    #: the rules' overflow decisions, each {"after_seconds", "to": queue | voicemail | callback, "queue"?}
    overflow: tuple[dict[str, Any], ...] = ()

    def first_overflow(self) -> dict[str, Any] | None:
        """The first overflow decision with a usable delay (the one that applies to the first queue)."""
        for decision in self.overflow:
            try:
                if int(decision.get("after_seconds")) > 0 and (decision.get("to") != "queue" or decision.get("queue")):
                    return decision
            except (TypeError, ValueError):
                continue
        return None


def _module() -> ModuleType | None:
    try:
        return importlib.import_module(MODULE)
    except ModuleNotFoundError as exc:
        if exc.name not in (MODULE, MODULE.rsplit(".", 1)[0]):
            log.exception("the dispatch rules module failed to import; calls keep their IVR queue")
        return None
    except Exception:
        log.exception("the dispatch rules module failed to import; calls keep their IVR queue")
        return None


def _run(db: Database, tenant_id: int, name: str, call: Mapping[str, Any]) -> Any:
    module = _module()
    function: Callable[..., Any] | None = getattr(module, name, None) if module is not None else None
    if function is None:
        return None
    with db.tenant(tenant_id) as session:
        return function(session, tenant_id, dict(call))


async def route(db: Database, tenant_id: int, call: Mapping[str, Any], queue: str, priority: int,
                skills: Sequence[str]) -> Routing:
    """The queue, priority and skills for a call entering a queue, after the tenant's rules."""
    given = Routing(queue, priority, tuple(skills))
    try:
        if RULES.live and not await _may_route(db, tenant_id, call):
            return given  # no rule can fire: nothing to decide, nothing to log
        decision = await asyncio.to_thread(_run, db, tenant_id, "route_call", call)
    except Exception:
        log.exception("dispatch rules failed for call %s; it keeps queue %s", call.get("uuid"), queue)
        return given
    if decision is None:
        return given
    return _apply(decision, given, str(call.get("uuid")))


async def _may_route(db: Database, tenant_id: int, call: Mapping[str, Any]) -> bool:
    """False when the tenant's cached rules say no rule can fire for the call (True when unsure)."""
    module = _module()
    could_route: Callable[..., bool] | None = getattr(module, "could_route", None) if module is not None else None
    if could_route is None:
        return True
    rules = RULES.get(db, tenant_id)
    if rules is None:
        rules = await asyncio.to_thread(RULES.load, db, tenant_id)
    return could_route(rules, call)


async def follow_publishes(redis: Any, ready: asyncio.Event | None = None) -> None:
    """Keeps the in-memory dispatch rules fresh from the platform's publish events on Redis, until cancelled.

    The cache is used only while at least one of these runs in the process; subscribing drops what it held.
    """
    pubsub = redis.pubsub()
    await pubsub.subscribe(EVENTS_CHANNEL)
    RULES.listening(+1)
    if ready is not None:
        ready.set()
    try:
        async for message in pubsub.listen():
            if message.get("type") == "message":
                try:
                    RULES.on_event(json.loads(message["data"]))
                except (ValueError, TypeError):
                    log.warning("ignoring a malformed platform event: %r", message.get("data"))
    finally:
        RULES.listening(-1)
        await pubsub.aclose()


def _apply(decision: Any, given: Routing, uuid: str) -> Routing:
    """Folds a RouteDecision (or a mapping of the same fields) into the IVR's routing. Skills and
    priority change only with a queue decision: a rule that fired without routing keeps the IVR's."""
    get = decision.get if isinstance(decision, Mapping) else lambda k, d=None: getattr(decision, k, d)
    try:
        rules = tuple(str(r) for r in (get("rules") or ()))
        overflow = tuple(dict(o) for o in (get("overflow") or ()) if isinstance(o, Mapping))
        queue = get("queue")
        if not queue:
            return Routing(given.queue, given.priority, given.skills, rules, overflow)
        priority = get("priority")
        priority = given.priority if priority is None else min(9, max(0, int(priority)))
        skills = tuple(str(s) for s in (get("skills") or ()))
    except (TypeError, ValueError):
        log.warning("ignoring a malformed routing decision %r for call %s", decision, uuid)
        return given
    return Routing(str(queue), priority, skills, rules, overflow)


async def abandoned(db: Database, tenant_id: int, call: Mapping[str, Any]) -> None:
    """Runs the tenant's call.abandoned rules; never raises."""
    try:
        await asyncio.to_thread(_run, db, tenant_id, "call_abandoned", call)
    except Exception:
        log.exception("call.abandoned rules failed for call %s", call.get("uuid"))
