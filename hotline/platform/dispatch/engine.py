"""Runs the tenant's published dispatch rules on a call or ticket event.

Every published `dispatch` document is loaded (by name), and its enabled rules for the event run in document
order: the `forms` filter (ticket events), the condition (`conditions.evaluate` on ticket, customer, call,
event, var — a missing operand is false, never an error), then the actions, each registered by type under
`actions/`. A rule with `stop: true` that fired ends the run. The ticket is re-read after every action and
between rules, so later rules see what earlier ones changed.

Failures never escape: a rule referring to something gone at run time (queue, directory, form field, status,
script, agent) is skipped whole, with a warning, before any of its actions runs; an action that cannot be done
(a forbidden transition, an empty recipient) or that fails is skipped with a warning and the rule's other
actions and the later rules still run; an action that found nobody to give the work to (`ctx.halted`: the
ticket went to the manual dispatch list) also stops its rule's later actions. Each action runs in a
savepoint, so a failed one leaves nothing half-written.

Every firing (rule, event, actions done, outcome, warnings) is returned, written to the firing log
(`RuleFiring`, what supervisors read per ticket), to the audit log ("dispatch.rule") and, for ticket events,
added to the ticket's history (action "rule"). Routing decisions
(route_to_queue, overflow) are returned on the firing for the runtime/ACD to apply (call_events.py folds
them into a RouteDecision); call-backs and return visits become call tasks (services/callbacks.py).
Rules do not trigger further events: while they run the session is marked (ticket_events.suppressed), so a
status set by a rule does not run ticket.status_changed rules again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..conditions import evaluate
from ..models import Document, DocumentVersion, RuleFiring, Ticket, TicketHistory, utcnow
from ..services import audit, tickets
from ..services.errors import NotFound
from ..services.ticket_events import suppressed
from .actions import ActionContext, ActionSkipped, handler_for
from .context import ticket_context

log = logging.getLogger("hotline.dispatch")

CALL_EVENTS = frozenset({"call.entered_queue", "call.abandoned"})
TICKET_EVENTS = frozenset({"ticket.created", "ticket.updated", "ticket.status_changed", "ticket.sla_warning",
                           "ticket.sla_breached"})

FIRED, PARTIAL, SKIPPED = "fired", "partial", "skipped"


@dataclass(slots=True)
class Firing:
    """One rule whose condition held: what it did and how it went.

    outcome: "fired" (every action done), "partial" (some action skipped or failed; see warnings),
    "skipped" (the rule refers to something gone; no action ran).
    """

    rule: str
    event: str
    document: str
    version: int
    outcome: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Routing decisions for the runtime/ACD: {"type": "route_to_queue", "queue", "priority", "skills"} or
    #: {"type": "overflow", "after_seconds", "to", "queue"?}.
    routing: list[dict[str, Any]] = field(default_factory=list)
    #: Tasks for the scheduler/dialer: {"type": "callback" | "return_visit", "due_at", "phone", ...}.
    tasks: list[dict[str, Any]] = field(default_factory=list)
    ticket: str | None = None

    @property
    def fired(self) -> bool:
        return self.outcome != SKIPPED

    def record(self) -> dict[str, Any]:
        """The firing as JSON (the history entry's and the audit entry's detail)."""
        found: dict[str, Any] = {"rule": self.rule, "event": self.event, "document": self.document,
                                 "version": self.version, "outcome": self.outcome, "actions": self.actions}
        if self.warnings:
            found["warnings"] = self.warnings
        if self.routing:
            found["routing"] = self.routing
        if self.tasks:
            found["tasks"] = self.tasks
        if self.ticket is not None:
            found["ticket"] = self.ticket
        return found


@dataclass(frozen=True, slots=True)
class RuleBody:
    document: str
    version: int
    body: Mapping[str, Any]


def published_rules(session: Session) -> list[RuleBody]:
    """Every rule of every published dispatch document of the tenant: documents by name, rules in order."""
    rows = session.execute(
        select(Document.name, DocumentVersion.number, DocumentVersion.body)
        .join(DocumentVersion, (DocumentVersion.document_id == Document.id)
              & (DocumentVersion.number == Document.published_version))
        .where(Document.kind == "dispatch").order_by(Document.name)
    ).all()
    return [RuleBody(name, number, rule) for name, number, body in rows for rule in (body or {}).get("rules", [])
            if isinstance(rule, Mapping)]


def _ticket_number(context: Mapping[str, Any]) -> str | None:
    ticket = context.get("ticket")
    if isinstance(ticket, Ticket):
        return ticket.number
    if isinstance(ticket, Mapping) and ticket.get("number"):
        return str(ticket["number"])
    return None


def _warn(firing: Firing, message: str) -> None:
    firing.warnings.append(message)
    where = f" on ticket {firing.ticket}" if firing.ticket else ""
    log.warning("dispatch rule %s (%s) on %s%s: %s", firing.rule, firing.document, firing.event, where, message)


def run_rules(session: Session, event: str, context: Mapping[str, Any], *, actor: str = "dispatch",
              queue: Any = None, now: datetime | None = None, rules: Sequence[RuleBody] | None = None,
              trace: list[Step] | None = None) -> list[Firing]:
    """Runs the enabled rules for `event` and returns their firings, in order.

    `context` holds what the event carries: for ticket events "ticket" (the Ticket, or a mapping with its
    "number"; the engine reads the rest itself with `ticket_context`), for call events "call" (caller, did,
    uuid, queue, wait_seconds, ...), "customer" and "var" (IVR variables); "event" is extra event data
    (`event.name` and `event.at` are always set). `queue` is an rq.Queue: notifications are then queued
    (sent after commit, with retries) instead of sent synchronously. Runs in the caller's transaction.

    `rules` replaces the published rules (the designer's dry run of a draft, dry_run.py); `trace`, when
    given, receives one `Step` per rule looked at, saying why it did or did not fire, with the context its
    condition saw — so the dry run explains the engine's own decisions instead of re-deciding them.
    """
    now = now or utcnow()
    number = _ticket_number(context)
    base: dict[str, Any] = {"ticket": {}, "customer": {}, "call": {}, "var": {}}
    base.update({k: v for k, v in context.items() if k != "ticket" and v is not None})
    base["event"] = {**dict(context.get("event") or {}), "name": event, "at": now.isoformat()}
    with suppressed(session):
        return _run_all(session, event, context, base, number, actor=actor, queue=queue, now=now,
                        rules=published_rules(session) if rules is None else rules,
                        note=trace.append if trace is not None else lambda _step: None)


@dataclass(frozen=True, slots=True)
class Step:
    """One rule as the engine saw it (for a dry run's explanation).

    verdict: "other_event", "disabled", "other_form", "condition_false", "no_ticket" or "ran" (then
    `firing` says how); `context` is what the condition was evaluated on (None when it was not).
    """

    rule: RuleBody
    verdict: str
    context: Mapping[str, Any] | None = None
    firing: Firing | None = None


def _run_all(session: Session, event: str, context: Mapping[str, Any], base: dict[str, Any], number: str | None,
             *, actor: str, queue: Any, now: datetime, rules: Sequence[RuleBody],
             note: Callable[[Step], None]) -> list[Firing]:
    firings: list[Firing] = []
    for rule in rules:
        body = rule.body
        if body.get("event") != event or not body.get("enabled", True):
            note(Step(rule, "other_event" if body.get("event") != event else "disabled"))
            continue
        ctx_dict = dict(base)
        if number is not None:
            try:
                ticket = tickets.get(session, number)
            except NotFound:
                log.warning("dispatch on %s: ticket %s is gone; rules not run", event, number)
                note(Step(rule, "no_ticket"))
                break
            if "forms" in body and ticket.form_name not in body["forms"]:
                note(Step(rule, "other_form"))
                continue
            ctx_dict.update(ticket_context(session, ticket, now))
            if event == "ticket.status_changed" and base["event"].get("to"):
                # The job may run after later moves: conditions see the status this event moved to.
                ctx_dict["ticket"] = {**ctx_dict["ticket"], "status": base["event"]["to"]}
            if context.get("customer"):
                ctx_dict["customer"] = context["customer"]
        # The condition's view, before the actions refresh the ticket in ctx_dict.
        seen = {**ctx_dict, "ticket": dict(ctx_dict.get("ticket") or {})}
        firing = _run_rule(session, rule, event, ctx_dict, number, actor=actor, queue=queue, now=now)
        if firing is None:
            note(Step(rule, "condition_false", seen))
            continue
        note(Step(rule, "ran", seen, firing))
        _record(session, firing, actor, ctx_dict)
        firings.append(firing)
        if firing.fired and body.get("stop", False):
            break
    return firings


def _run_rule(session: Session, rule: RuleBody, event: str, context: dict[str, Any], number: str | None, *,
              actor: str, queue: Any, now: datetime) -> Firing | None:
    body = rule.body
    name = str(body.get("name", "?"))
    firing = Firing(rule=name, event=event, document=rule.document, version=rule.version, outcome=FIRED,
                    ticket=number)
    try:
        if "when" in body and not evaluate(body["when"], context):
            return None
    except Exception as exc:  # a malformed condition in hand-edited data is the rule's problem, not the caller's
        firing.outcome = SKIPPED
        _warn(firing, f"condition could not be evaluated: {type(exc).__name__}: {exc}")
        return firing
    ctx = ActionContext(session=session, event=event, rule=name, document=rule.document, actor=actor, now=now,
                        context=context, ticket_number=number, queue=queue)
    actions = [a for a in body.get("actions", []) if isinstance(a, Mapping)]
    gone = _missing_reference(actions, ctx)
    if gone is not None:
        firing.outcome = SKIPPED
        _warn(firing, f"rule skipped: {gone}")
        return firing
    for action in actions:
        kind = action["type"]
        handler = handler_for(kind)
        assert handler is not None  # _missing_reference checked every type
        try:
            with session.begin_nested():
                done = handler.run(action, ctx)
            if ctx.halted is not None:
                firing.actions.append({**done, "type": kind, "status": "unassigned", "reason": ctx.halted})
                _warn(firing, f"{kind}: {ctx.halted}; the rule's later actions were not run")
                break
            firing.actions.append({**done, "type": kind, "status": "done"})
        except ActionSkipped as exc:
            firing.actions.append({"type": kind, "status": "skipped", "reason": str(exc)})
            _warn(firing, f"{kind} skipped: {exc}")
        except Exception as exc:  # one failing action must not stop the others nor the later rules
            log.debug("dispatch action %s failed", kind, exc_info=True)
            reason = f"{type(exc).__name__}: {exc}"
            firing.actions.append({"type": kind, "status": "failed", "reason": reason})
            _warn(firing, f"{kind} failed: {reason}")
        try:
            ctx.refresh()
        except NotFound:
            break
    firing.routing, firing.tasks = ctx.routing, ctx.tasks
    if any(a["status"] != "done" for a in firing.actions):
        firing.outcome = PARTIAL
    return firing


def _missing_reference(actions: list[Mapping[str, Any]], ctx: ActionContext) -> str | None:
    """Why the rule cannot run (something it names is gone, or an action needs a ticket the event lacks)."""
    for action in actions:
        kind = action.get("type")
        handler = handler_for(kind)
        if handler is None:
            return f"unknown action type {kind!r}"
        if handler.needs_ticket and ctx.ticket_number is None:
            return f"action {kind} changes a ticket, but {ctx.event} events carry none"
        if handler.check is not None:
            try:
                reason = handler.check(action, ctx)
            except Exception as exc:  # a check that cannot even look is a reference that is not there
                reason = f"{kind}: {type(exc).__name__}: {exc}"
            if reason:
                return reason
    return None


def _record(session: Session, firing: Firing, actor: str, context: Mapping[str, Any]) -> None:
    detail = firing.record()
    if firing.ticket is not None:
        ticket = tickets.get(session, firing.ticket)
        ticket.history.append(TicketHistory(actor=actor, action="rule", changes=detail, at=utcnow()))
        object_type, object_id = "ticket", firing.ticket
    else:
        call = context.get("call") or {}
        object_type, object_id = "call", str(call.get("uuid") or call.get("caller") or "")
    call_uuid = (context.get("call") or {}).get("uuid")
    session.add(RuleFiring(event=firing.event, document=firing.document, version=firing.version, rule=firing.rule,
                           outcome=firing.outcome, ticket_number=firing.ticket, actor=actor, detail=detail,
                           call_uuid=str(call_uuid)[:64] if call_uuid else None))
    audit.record(session, actor, "dispatch.rule", object_type, object_id, detail)
    session.flush()
