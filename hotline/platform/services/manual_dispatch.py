"""The manual dispatch list (待派单): tickets dispatch could not give to anyone, waiting for a person.

Issue 11 item 1: a pickup for an address no courier covers used to move to 处理中 with nobody assigned,
its response clock stopped, and nobody heard of it. Now the rule that gives up puts the ticket here
(`put`), which keeps it unassigned, names why, and alerts the dispatcher through the delivery log; a
self-service urge of a ticket with no handler alerts again (`alert_again`). A supervisor or dispatcher
picks the handler on the list page (`assign`), which fills the ticket like the rule would have and
takes the ticket off the list.

`spec` on a row is what the rule would have done with a handler (directory, name/phone fields, the SMS
text), so a manual assignment does the same thing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import DirectoryEntry, ManualDispatch, Notification, Tenant, Ticket, TicketHistory, utcnow
from ..scoping import tenant_of
from . import notifications, ticket_lists, tickets
from .errors import InvalidDocument, NotFound

#: Alert text when the rule names none: the ticket and why it waits (labels, never codes).
DEFAULT_ALERT = "【待派单】{form}工单{number}无人可派：{reason}。请在“待派单”列表中人工派单。"
MAX_REASON = 500


def _require_tenant(session: Session) -> None:
    if tenant_of(session) is None:
        raise ValueError("the manual dispatch list is read in a tenant-scoped session")


def open_row(session: Session, ticket_id: int) -> ManualDispatch | None:
    _require_tenant(session)
    return session.scalar(select(ManualDispatch).where(ManualDispatch.ticket_id == ticket_id,
                                                       ManualDispatch.done_at.is_(None)))


def _send(session: Session, alerts: list[dict[str, Any]], body: str, origin: dict[str, Any],
          queue: Any) -> list[int]:
    sent = []
    for alert in alerts:
        channel, to = alert.get("channel", "sms"), str(alert.get("to") or "").strip()
        if not to:
            continue
        if queue is not None:
            row = notifications.queue_send(session, channel, to, body, subject=alert.get("subject", "待派单工单"),
                                           origin=origin, queue=queue)
        else:
            row = notifications.send(session, channel, to, body, subject=alert.get("subject", "待派单工单"),
                                     origin=origin)
        sent.append(row.id)
    return sent


def form_label(session: Session, ticket: Ticket) -> str:
    return str(tickets.form_of(session, ticket).get("title") or ticket.form_name)


def put(session: Session, ticket: Ticket, reason: str, *, actor: str, rule: str = "",
        alerts: list[dict[str, Any]] | None = None, text: str | None = None, spec: dict[str, Any] | None = None,
        queue: Any = None, now: datetime | None = None, keep_reason: bool = False,
        history: bool = True) -> ManualDispatch:
    """Puts the ticket on the list (once: an open row is reused and alerted again) and alerts `alerts`
    ([{"channel", "to"}]); `text` is the rendered alert (DEFAULT_ALERT when None). `history` False when the
    caller writes its own history line for the same event (an urge)."""
    now = now or utcnow()
    reason = (reason or "")[:MAX_REASON]
    row = open_row(session, ticket.id)
    if row is None:
        row = ManualDispatch(ticket_id=ticket.id, reason=reason, rule=rule[:64], created_at=now, alerted=[])
        session.add(row)
    elif not keep_reason:
        row.reason = reason
    if spec is not None:
        row.spec = dict(spec)
    body = text or DEFAULT_ALERT.format(form=form_label(session, ticket), number=ticket.number, reason=reason)
    origin = {"ticket": ticket.number, "manual_dispatch": True, **({"rule": rule} if rule else {})}
    sent = _send(session, alerts or [], body, origin, queue)
    row.alerted = [*(row.alerted or []), *sent]
    if history:
        ticket.history.append(TicketHistory(actor=actor, action="manual_dispatch", at=now, changes={
            "reason": reason, "alerted": sent}))
    session.flush()
    return row


def alert_again(session: Session, ticket: Ticket, reason: str, *, actor: str, queue: Any = None,
                history: bool = True) -> ManualDispatch:
    """A ticket with no handler was urged: it goes on the list (or stays) and the dispatchers of the rule
    that put it there, or the tenant's dispatch alert setting, hear of it again."""
    row = open_row(session, ticket.id)
    alerts = list((row.spec or {}).get("alerts", [])) if row is not None else []
    if not alerts:
        alerts = default_alerts(session)
    return put(session, ticket, reason, actor=actor, rule=row.rule if row is not None else "", alerts=alerts,
               spec=row.spec if row is not None else None, queue=queue, keep_reason=True, history=history)


def default_alerts(session: Session) -> list[dict[str, Any]]:
    """The tenant's `dispatch_alerts` setting ([{"channel", "to"}]): who hears of unassigned work by default."""
    tenant = session.get(Tenant, tenant_of(session))
    found = (tenant.settings or {}).get("dispatch_alerts") if tenant is not None else None
    return [a for a in found if isinstance(a, dict)] if isinstance(found, list) else []


def pending(session: Session, *, limit: int = 200) -> list[tuple[ManualDispatch, Ticket]]:
    """Open rows of the list with their tickets, oldest first."""
    _require_tenant(session)
    rows = session.execute(
        select(ManualDispatch, Ticket).join(Ticket, Ticket.id == ManualDispatch.ticket_id)
        .where(ManualDispatch.done_at.is_(None), Ticket.handler_entry_id.is_(None),  # a handler: not waiting
               Ticket.resolved_at.is_(None))  # nor a completed one (rows left open before QA 14 item 5)
        .order_by(ManualDispatch.created_at, ManualDispatch.id)
        .limit(limit)).all()
    return [(row, ticket) for row, ticket in rows]


def assign(session: Session, row_id: int, entry_id: int, *, actor: str, queue: Any = None) -> Ticket:
    """A person gives the waiting ticket to a directory entry: the ticket's handler fields are filled, the
    entry is told (SMS when it has a mobile) and the row leaves the list."""
    from ..dispatch.context import ticket_context  # dispatch imports the services
    from ..dispatch.message_labels import labelled
    from ..templating import render
    from .directory_admin import reachable_channels
    from .handlers import mark_assigned

    _require_tenant(session)
    row = session.get(ManualDispatch, row_id)
    if row is None or row.done_at is not None:
        raise NotFound(f"manual dispatch #{row_id} is not waiting")
    entry = session.get(DirectoryEntry, entry_id)
    if entry is None or not entry.active:
        raise InvalidDocument("the handler cannot be chosen", [
            Finding("/entry_id", "error", f"directory entry #{entry_id} does not exist or is inactive", "dispatch")])
    ticket = session.get(Ticket, row.ticket_id)
    assert ticket is not None  # the row cascades with its ticket
    spec = row.spec or {}
    fields = {spec[key]: value for key, value in (("name_field", entry.name), ("phone_field", entry.phone))
              if spec.get(key)}
    if fields:
        tickets.update(session, ticket.number, fields, base_revision=ticket.revision, actor=actor)
    now = utcnow()
    mark_assigned(session, ticket, entry.id, now)
    sms: Notification | None = None
    if spec.get("text") and "sms" in reachable_channels(entry.phone, entry.channels or []):
        locale = ticket_lists.tenant_locale(session)  # yes/no and priority in the tenant's language, as rules do
        body = render(spec["text"], labelled(ticket_context(session, ticket, now), tickets.form_of(session, ticket),
                                             ticket_lists.tenant_zone(session), locale), locale=locale)
        sms = notifications.queue_send(session, "sms", entry.phone, body, origin={"ticket": ticket.number},
                                       queue=queue) if queue is not None else \
            notifications.send(session, "sms", entry.phone, body, origin={"ticket": ticket.number})
    row.done_at, row.done_by, row.entry_id = now, actor[:64], entry.id
    ticket.history.append(TicketHistory(actor=actor, action="dispatch", at=now, changes={
        "entry": entry.name, "phone": entry.phone, "sms": sms.id if sms is not None else None}))
    session.flush()
    _follow_rule_status(session, ticket, row.rule, actor=actor)
    return session.get(Ticket, row.ticket_id) or ticket


def rule_status_after_assign(session: Session, rule: str) -> str | None:
    """The status the rule that gave up would have set once it had a handler: its last `set_status` after the
    assigning action (the actions `ctx.halted` skipped). None when the rule is gone or sets none."""
    from ..dispatch.engine import published_rules  # dispatch imports the services

    if not rule:
        return None
    for found in published_rules(session):
        if found.body.get("name") != rule:
            continue
        actions = [a for a in found.body.get("actions", []) if isinstance(a, dict)]
        assigning = [i for i, a in enumerate(actions) if a.get("type") == "assign_by_coverage"]
        later = actions[assigning[0] + 1:] if assigning else []
        statuses = [str(a["status"]) for a in later if a.get("type") == "set_status" and a.get("status")]
        return statuses[-1] if statuses else None
    return None


def _follow_rule_status(session: Session, ticket: Ticket, rule: str, *, actor: str) -> None:
    """A manual dispatch finishes what the rule would have done: the ticket moves to the rule's `set_status`
    (a pickup given to a courier by hand is 处理中, not still 待派单; QA of issue 11, item 1). A move the form
    does not allow from the ticket's current status is left alone: a person moved it meanwhile."""
    status = rule_status_after_assign(session, rule)
    if not status or status == ticket.status:
        return
    if status not in tickets.allowed_transitions(tickets.form_of(session, ticket), ticket.status):
        return
    tickets.transition(session, ticket.number, status, base_revision=ticket.revision, actor=actor,
                       note=f"dispatch rule {rule}: 人工派单", automatic=True)


def close_for(session: Session, ticket: Ticket, actor: str, entry_id: int | None = None) -> None:
    """The ticket found a handler another way (a rule on a later event, an agent): off the list."""
    row = open_row(session, ticket.id)
    if row is not None:
        row.done_at, row.done_by, row.entry_id = utcnow(), actor[:64], entry_id
        session.flush()

