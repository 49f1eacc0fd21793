"""Dispatch rules at run time: call and ticket events → conditions → actions (DESIGN.md §2).

`run_rules(session, event, context)` runs the enabled rules of every published `dispatch` document of the
tenant, in document order; `ticket_context(session, ticket)` builds the context of a ticket event. Each
action type is one module under `actions/`, registered by its type name.
"""

from __future__ import annotations

from .context import customer_record, ticket_context
from .engine import CALL_EVENTS, TICKET_EVENTS, Firing, published_rules, run_rules

__all__ = ["CALL_EVENTS", "TICKET_EVENTS", "Firing", "customer_record", "published_rules", "run_rules",
           "ticket_context"]
