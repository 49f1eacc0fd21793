"""The runtime's entry points into the dispatch rules: a call entered a queue, a call was abandoned.

`route_call` runs synchronously, in the runtime's session, because the ACD needs the answer before it
queues the call: the published `call.entered_queue` rules run in order (with stop) and their routing
decisions are folded into one `RouteDecision` (the last `route_to_queue` that fired wins: later rules
refine earlier ones, as later `set_fields` do). Rules that fired without routing still appear in
`rules`, so the runtime can log them; None means no rule fired at all (keep the queue the IVR chose).

`call_abandoned` never blocks the caller's teardown: it only queues a `call.abandoned` event, which the
dispatch sink enqueues as an RQ job after the session commits (events.py); the job runs the rules.

Neither raises: a broken rule set must never leave a caller in silence. A failure is logged and the call
goes on as if no rule had matched.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..scoping import tenant_of
from .engine import run_rules
from .events import queue_dispatch_event
from .rule_cache import may_fire

log = logging.getLogger("hotline.dispatch.calls")


@dataclass(frozen=True, slots=True)
class RouteDecision:
    """What the rules decided for a call entering a queue.

    queue/priority: None when no rule routed (keep the IVR's choice); skills: required skills (may be
    empty); rules: the names of the rules that fired, in order; overflow: overflow decisions of the rules
    that fired, each {"after_seconds", "to", "queue"?}, in order.
    """

    queue: str | None
    priority: int | None
    skills: tuple[str, ...]
    rules: tuple[str, ...]
    overflow: tuple[Mapping[str, Any], ...] = ()


def _context(call: Mapping[str, Any]) -> dict[str, Any]:
    """The rule context of a call: `call.*` (without the nested parts), `customer.*` and `var.*`."""
    flat = {k: v for k, v in call.items() if k not in ("customer", "var", "vars")}
    return {"call": flat, "customer": dict(call.get("customer") or {}),
            "var": dict(call.get("var") or call.get("vars") or {})}


def _check_tenant(session: Session, tenant_id: int) -> None:
    scoped = tenant_of(session)
    if scoped != tenant_id:
        raise ValueError(f"the session is scoped to tenant {scoped}, not {tenant_id}")


def route_call(session: Session, tenant_id: int, call: dict) -> RouteDecision | None:
    """Runs the tenant's `call.entered_queue` rules now and returns the routing they decided.

    `session` is a tenant session of `tenant_id` (`Database.tenant`); the firings are logged in it (audit
    "dispatch.rule"), so the caller commits. `call` carries what conditions read as `call.*` (uuid, caller,
    did, queue, wait_seconds, ...) plus optional "customer" (the screen-pop record) and "var" (IVR
    variables). Never raises: on any failure the error is logged and None is returned.
    """
    try:
        _check_tenant(session, tenant_id)
        with session.begin_nested():
            firings = run_rules(session, "call.entered_queue", _context(call), actor="runtime")
    except Exception:  # the call must be queued whatever the rules do
        log.exception("call.entered_queue rules of tenant %s failed for call %s; routing unchanged", tenant_id,
                      call.get("uuid"))
        return None
    fired = [f for f in firings if f.fired]
    if not fired:
        return None
    queue = priority = None
    skills: tuple[str, ...] = ()
    overflow: list[Mapping[str, Any]] = []
    for firing in fired:
        for decision in firing.routing:
            if decision.get("type") == "route_to_queue":
                queue, priority = decision.get("queue"), decision.get("priority")
                skills = tuple(decision.get("skills") or ())
            elif decision.get("type") == "overflow":
                overflow.append({k: v for k, v in decision.items() if k != "type"})
    return RouteDecision(queue=queue, priority=priority, skills=skills, rules=tuple(f.rule for f in fired),
                         overflow=tuple(overflow))


def could_route(rules: Sequence[Mapping[str, Any]], call: Mapping[str, Any]) -> bool:
    """Whether any of these rule bodies (the tenant's cached published rules, rule_cache.py) could fire for
    the call entering a queue; False means `route_call` would return None and write nothing, so the
    runtime skips the database altogether."""
    return may_fire(rules, "call.entered_queue", _context(call))


def call_abandoned(session: Session, tenant_id: int, call: dict) -> None:
    """Queues the `call.abandoned` event; its rules run in an RQ job after `session` commits.

    Nothing is queued if the transaction rolls back. Never raises (a failure is logged).
    """
    try:
        _check_tenant(session, tenant_id)
        queue_dispatch_event(session, tenant_id, "call.abandoned", context=_context(call))
    except Exception:
        log.exception("could not queue call.abandoned of tenant %s for call %s", tenant_id, call.get("uuid"))
