"""Dispatch rules at run time: call and ticket events → conditions → actions (DESIGN.md §2, docs/dispatch.md).

`run_rules(session, event, context)` runs the enabled rules of every published `dispatch` document of the
tenant, in document order; `ticket_context(session, ticket)` builds the context of a ticket event. Each
action type is one module under `actions/`, registered by its type name. `call_events` holds the runtime's
entry points (`route_call`, `call_abandoned`); `events` the notifier sink that turns committed ticket and
call events into RQ jobs (`attach(database, queues)`).
"""

from __future__ import annotations

from .call_events import RouteDecision, call_abandoned, route_call
from .context import customer_record, ticket_context
from .engine import CALL_EVENTS, TICKET_EVENTS, Firing, published_rules, run_rules
from .events import attach

__all__ = ["CALL_EVENTS", "TICKET_EVENTS", "Firing", "RouteDecision", "attach", "call_abandoned",
           "customer_record", "published_rules", "route_call", "run_rules", "ticket_context"]
