"""Urging (催办) an overdue ticket: the supervisor's manual push, counted, kept in the history, sent to the handler.

The seed's property hotline supervises response and completion times and urges overdue work orders by
hand. An urge records who and when (`TicketUrge`, so the count is a COUNT, never a racy counter), adds a
history entry (action "urge"), and sends the handler an SMS: the handler is whoever the ticket names in
its `*_phone` fields other than the caller's own `phone` (the courier, the technician that dispatch
filled in) and the directory entry dispatch gave it to. Only mobile numbers are texted.

A ticket with no handler (issue 11 item 7) is still urged, and the urge is not lost on nobody: the ticket
goes on (or stays on) the manual dispatch list and the dispatchers are alerted (services/manual_dispatch).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import phones
from ..findings import Finding
from ..models import DirectoryEntry, Ticket, TicketHistory, TicketUrge, utcnow
from . import manual_dispatch, notifications, tickets
from .errors import InvalidDocument

MAX_NOTE = 500


def handler_phones(session: Session, ticket: Ticket) -> list[str]:
    """The mobiles of the ticket's handlers: filled `*_phone` fields of its form (except the caller's `phone`)
    and the phone of the directory entry dispatch gave it to."""
    fields = tickets.form_of(session, ticket).get("schema", {}).get("properties", {})
    data = ticket.data or {}
    found = [str(data[name]) for name in fields if name.endswith("_phone") and name != "phone" and data.get(name)]
    if ticket.handler_entry_id is not None:
        entry = session.get(DirectoryEntry, ticket.handler_entry_id)
        if entry is not None:
            found.append(entry.phone)
    return [p for p in dict.fromkeys(found) if phones.is_mobile(p)]


def has_handler(ticket: Ticket) -> bool:
    """Whether someone has the ticket: a handler phone filled in, a directory entry, an agent or a group."""
    return ticket.handler_entry_id is not None or ticket.assignee_id is not None or bool(ticket.group)


def urge_count(session: Session, ticket_id: int) -> int:
    return session.scalar(select(func.count()).select_from(TicketUrge).where(TicketUrge.ticket_id == ticket_id)) or 0


def urge_counts(session: Session, ticket_ids: list[int]) -> dict[int, int]:
    if not ticket_ids:
        return {}
    rows = session.execute(select(TicketUrge.ticket_id, func.count()).where(TicketUrge.ticket_id.in_(ticket_ids))
                           .group_by(TicketUrge.ticket_id)).all()
    return {ticket_id: count for ticket_id, count in rows}


def urge(session: Session, number: str, *, actor: str, note: str = "", queue: Any = None) -> TicketUrge:
    """Urges an open ticket; returns the urge (its `notified` lists the delivery-log ids).

    `queue` (an rq.Queue) sends the SMS through the retrying job; without it the SMS is sent at once.
    A resolved ticket, or a note over MAX_NOTE characters, is refused. The ticket is locked first: an urge
    racing the dispatch rule waits for it and sees the handler it set.
    """
    ticket = tickets.lock(session, number)
    if ticket.resolved_at is not None:
        raise InvalidDocument(f"ticket {number} cannot be urged", [Finding(
            "/status", "error", f"the ticket is already resolved ({ticket.status})", "urge")])
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidDocument(f"ticket {number} cannot be urged", [Finding(
            "/note", "error", f"the note is {len(note)} characters; at most {MAX_NOTE}", "note")])
    count = urge_count(session, ticket.id) + 1
    # Late when any open clock is past due: a first response not given in time is as late as the resolution.
    now = utcnow()
    open_dues = [ticket.resolution_due, ticket.first_response_due if ticket.first_responded_at is None else None]
    late = "已超时" if any(due is not None and due < now for due in open_dues) else "即将超时"
    text = f"【催办】工单{ticket.number}{late}，第{count}次催办，请尽快处理。" + (f"备注：{note}" if note else "")
    origin = {"ticket": ticket.number, "urge": count, "actor": actor}
    notified = []
    handlers = handler_phones(session, ticket)
    for phone in handlers:
        if queue is not None:
            row = notifications.queue_send(session, "sms", phone, text, origin=origin, queue=queue)
        else:
            row = notifications.send(session, "sms", phone, text, origin=origin)
        notified.append(row.id)
    if not handlers and not has_handler(ticket):
        # Nobody handles it: the urge must reach someone — the manual dispatch list and its dispatchers.
        waiting = manual_dispatch.open_row(session, ticket.id)
        before = len(waiting.alerted or []) if waiting is not None else 0
        row = manual_dispatch.alert_again(session, ticket, f"工单被催办（第{count}次），但还没有处理人", actor=actor,
                                          queue=queue, history=False)  # the urge's own line says it
        notified.extend((row.alerted or [])[before:])
    elif not handlers:
        # An agent or a group has it but no phone to text: the tenant's dispatch alerts hear of the urge.
        for alert in manual_dispatch.default_alerts(session):
            channel, to = alert.get("channel", "sms"), str(alert.get("to") or "")
            if not to or (channel == "sms" and not phones.is_mobile(to)):
                continue
            send = notifications.queue_send if queue is not None else notifications.send
            extra = {"queue": queue} if queue is not None else {}
            notified.append(send(session, channel, to, text, subject="工单催办", origin=origin, **extra).id)
    to = "handlers" if handlers else "dispatchers"
    urge_row = TicketUrge(ticket_id=ticket.id, actor=actor, note=note, notified=notified, notified_to=to, at=now)
    session.add(urge_row)
    # One history line per urge (QA of issue 11, item 8: an urge of an unhandled ticket wrote a second,
    # "manual_dispatch" line for the same alert).
    ticket.history.append(TicketHistory(actor=actor, action="urge", at=now, changes={
        "count": count, "note": note, "notified": notified, "notified_to": to}))
    session.flush()
    return urge_row
