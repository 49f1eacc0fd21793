"""The registry of dispatch action types: one module per type, each registering its handler by name.

A handler is `run(action, ctx) -> dict` (what it did, kept on the firing and in the ticket's history) and may
come with `check(action, ctx) -> str | None`, which names a reference that is gone at run time (a deleted
queue, directory, form field, status, script). The engine calls every check of a rule before running any of
its actions and skips the whole rule, with a warning, when one fails. A handler raises `ActionSkipped` when it
cannot do its work on this ticket (no coverage match, a transition the form forbids): the action is skipped
with a warning on the firing and the rule's other actions still run. An action that found nobody to give the
work to sets `ctx.halted`, which also stops the rule's later actions. Adding an action type is adding a module
here (found automatically) and its fragment in the dispatch schema.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import phones
from ...models import Queue, Ticket, TicketHistory, utcnow
from ...services import notifications, ticket_lists, tickets
from ...templating import render
from ..context import ticket_context
from ..message_labels import labelled

Action = Mapping[str, Any]


class ActionSkipped(Exception):
    """The action could not be done on this ticket or call; the message is the warning on the firing."""


@dataclass(slots=True)
class ActionContext:
    """What an action sees: the session, the event, the rule, the ticket (by number) and the rule context."""

    session: Session
    event: str
    rule: str
    document: str
    actor: str
    now: datetime
    #: The condition/template context: ticket, customer, call, event, var.
    context: dict[str, Any]
    ticket_number: str | None = None
    #: An rq.Queue for notifications; None sends synchronously.
    queue: Any = None
    #: Routing decisions for the runtime/ACD (route_to_queue, overflow), collected per rule.
    routing: list[dict[str, Any]] = field(default_factory=list)
    #: Tasks for the scheduler/dialer (callbacks, return visits), collected per rule.
    tasks: list[dict[str, Any]] = field(default_factory=list)
    #: Set by an action that found nobody to give the work to (the ticket went to the manual dispatch list):
    #: the warning, and the rule's later actions do not run (moving an unassigned pickup to 处理中 would
    #: hide it; issue 11 item 1). An attribute, not an exception, so what the action wrote is kept.
    halted: str | None = None

    # -- the ticket ------------------------------------------------------------------------------------------
    def ticket(self) -> Ticket:
        if self.ticket_number is None:
            raise ActionSkipped(f"{self.event} events carry no ticket")
        return tickets.get(self.session, self.ticket_number)

    def form(self) -> dict[str, Any]:
        return tickets.form_of(self.session, self.ticket())

    def form_fields(self) -> frozenset[str]:
        return frozenset(self.form().get("schema", {}).get("properties", {}))

    def refresh(self) -> None:
        """Re-reads the ticket into the context, so templates and later rules see the changes made."""
        if self.ticket_number is not None:
            self.context.update(ticket_context(self.session, self.ticket(), self.now))

    def history(self, action: str, changes: dict[str, Any]) -> None:
        """A history entry on the ticket (nothing for call events: the firing carries the record)."""
        if self.ticket_number is not None:
            self.ticket().history.append(TicketHistory(actor=self.actor, action=action, changes=changes,
                                                       at=utcnow()))
            self.session.flush()

    # -- helpers ---------------------------------------------------------------------------------------------
    def render(self, source: str | None) -> str:
        """A message text, with the ticket's choice values and status as their labels (message_labels.py)."""
        if not source:
            return ""
        locale = ticket_lists.tenant_locale(self.session)  # yes/no values in the tenant's language
        if self.ticket_number is None or not isinstance(self.context.get("ticket"), Mapping):
            return render(source, self.context, locale=locale)
        return render(source, labelled(self.context, self.form(), ticket_lists.tenant_zone(self.session), locale),
                      locale=locale)

    def origin(self) -> dict[str, Any]:
        origin: dict[str, Any] = {"rule": self.rule, "event": self.event, "dispatch": self.document}
        if self.ticket_number is not None:
            origin["ticket"] = self.ticket_number
        call = self.context.get("call") or {}
        if call.get("uuid"):
            origin["call"] = call["uuid"]
        return origin

    def send(self, channel: str, to: str, body: str, subject: str = "") -> dict[str, Any]:
        """Sends (or queues, when the engine was given an RQ queue) and returns the delivery log reference.

        An SMS goes to mobile numbers only: a landline (a branch's 010 number) is refused, not "texted".
        """
        if not to.strip():
            raise ActionSkipped(f"the {channel} has no recipient (the 'to' template rendered empty)")
        if channel == "sms" and not phones.is_mobile(to):
            raise ActionSkipped(f"{to} is not a mobile number: an SMS cannot reach it")
        if self.queue is not None:
            row = notifications.queue_send(self.session, channel, to, body, subject=subject, origin=self.origin(),
                                           queue=self.queue)
        else:
            row = notifications.send(self.session, channel, to, body, subject=subject, origin=self.origin())
        self.session.flush()
        return {"notification": row.id, "channel": channel, "to": to, "delivery": row.status}

    def phone(self) -> str | None:
        """Whom a callback or return visit calls: the ticket's phone, the customer's, or the caller."""
        ticket = self.context.get("ticket") or {}
        customer = self.context.get("customer") or {}
        call = self.context.get("call") or {}
        for value in (ticket.get("phone"), customer.get("phone"), call.get("caller")):
            if value:
                return str(value)
        return None

    def queue_missing(self, name: str) -> str | None:
        if self.session.scalar(select(Queue.id).where(Queue.name == name).limit(1)) is None:
            return f"queue {name!r} does not exist"
        return None


Runner = Callable[[Action, ActionContext], dict[str, Any]]
Checker = Callable[[Action, ActionContext], str | None]


@dataclass(frozen=True, slots=True)
class Handler:
    run: Runner
    check: Checker | None = None
    #: Whether the action changes a ticket (call events have none).
    needs_ticket: bool = False


_HANDLERS: dict[str, Handler] = {}


def register(action_type: str, *, check: Checker | None = None,
             needs_ticket: bool = False) -> Callable[[Runner], Runner]:
    """Registers the decorated `run` for an action type; a type registered twice is a bug."""

    def decorator(run: Runner) -> Runner:
        if action_type in _HANDLERS:
            raise ValueError(f"action type {action_type!r} is registered twice")
        _HANDLERS[action_type] = Handler(run, check, needs_ticket)
        return run

    return decorator


def handler_for(action_type: Any) -> Handler | None:
    return _HANDLERS.get(action_type)


def registered_types() -> frozenset[str]:
    return frozenset(_HANDLERS)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
