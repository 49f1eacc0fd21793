"""SLA clocks of tickets: when each clock warns and breaches, and firing each event exactly once.

A ticket has two clocks, first response and resolution, each with a due time set at creation
(business minutes of the tenant's calendar unless the form says otherwise: tickets.create). Each open
clock has two alarms: the warning, after the form's `sla.warning_percent` (default 80) of its minutes
(business minutes when the clock counts them), and the breach, at the due time. A clock stops when the
ticket is first responded to (first response) or resolved (resolution).

Alarms are timed by RQ's scheduler (dispatch sink → `jobs.dispatch_jobs.sla_alarm`), and several
workers may hold a job for the same alarm (a ticket updated twice arms it twice). `fire` makes the
event happen once: the `SlaEvent` row, unique per (ticket, clock, kind, due time), is inserted in the
same transaction that runs the rules, so of two workers the second waits on the unique index and finds
the key taken. A due time that changes is a new key: the clock re-arms by itself, and a job armed for
the old due time finds it stale and does nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..calendar import add_business_minutes
from ..models import SlaEvent, Tenant, Ticket, TicketHistory, utcnow
from ..scoping import tenant_of
from ..tenant_zone import tenant_calendar
from . import tickets

log = logging.getLogger("hotline.sla")

CLOCKS = ("first_response", "resolution")
KINDS = ("warning", "breach")
EVENTS = {"warning": "ticket.sla_warning", "breach": "ticket.sla_breached"}
DEFAULT_WARNING_PERCENT = 80


@dataclass(frozen=True, slots=True)
class Alarm:
    """One SLA event to come: clock (first_response/resolution), kind (warning/breach), when, the due time."""

    clock: str
    kind: str
    at: datetime
    due: datetime

    @property
    def event(self) -> str:
        return EVENTS[self.kind]

    def payload(self) -> dict[str, str]:
        return {"clock": self.clock, "kind": self.kind, "at": self.at.isoformat(), "due": self.due.isoformat()}


def due_of(ticket: Ticket, clock: str) -> datetime | None:
    return ticket.first_response_due if clock == "first_response" else ticket.resolution_due


def stopped(ticket: Ticket, clock: str) -> bool:
    """A clock stops at the first response (first_response) or when the ticket is resolved (both)."""
    if ticket.resolved_at is not None:
        return True
    return clock == "first_response" and ticket.first_responded_at is not None


def _calendar(session: Session, sla: dict[str, Any]) -> dict[str, Any] | None:
    if sla.get("business_hours", True) is False:
        return None
    tenant = session.get(Tenant, tenant_of(session))
    return tenant_calendar(tenant.settings) if tenant is not None else None


def alarms(session: Session, ticket: Ticket) -> list[Alarm]:
    """The alarms of the ticket's open clocks (past ones included: a late job fires them at once)."""
    sla = tickets.form_of(session, ticket).get("sla") or {}
    percent = sla.get("warning_percent", DEFAULT_WARNING_PERCENT)
    calendar = _calendar(session, sla)
    found: list[Alarm] = []
    for clock in CLOCKS:
        due = due_of(ticket, clock)
        if due is None or stopped(ticket, clock):
            continue
        minutes = sla.get(f"{clock}_minutes")
        warn_at = None
        if minutes:
            warn_minutes = max(1, minutes * percent // 100)
            start = ticket.created_at
            warn_at = add_business_minutes(start, warn_minutes, calendar) if calendar \
                else start + timedelta(minutes=warn_minutes)
        if warn_at is None or warn_at >= due:  # a due time moved earlier: warn at the same share of what is left
            warn_at = ticket.created_at + (due - ticket.created_at) * percent / 100
        found.append(Alarm(clock, "warning", min(warn_at, due), due))
        found.append(Alarm(clock, "breach", due, due))
    return found


def _same(a: datetime | None, b: datetime) -> bool:
    return a is not None and abs((a - b).total_seconds()) < 1


def fire(session: Session, ticket_id: int, clock: str, kind: str, due: datetime, *, fired_by: str = "",
         queue: Any = None, now: datetime | None = None) -> list[Any] | None:
    """Fires one SLA event of a ticket, once; returns the rule firings, or None when it did not fire.

    Not fired: the ticket is gone, the clock stopped, the due time changed since the alarm was armed
    (stale), the alarm's time has not come, or another worker already fired it.
    """
    from ..dispatch.engine import run_rules  # dispatch imports the services

    if clock not in CLOCKS or kind not in KINDS:
        raise ValueError(f"unknown SLA alarm {clock}/{kind}")
    now = now or utcnow()
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or stopped(ticket, clock) or not _same(due_of(ticket, clock), due):
        return None
    alarm = next((a for a in alarms(session, ticket) if a.clock == clock and a.kind == kind), None)
    if alarm is None or alarm.at > now + timedelta(seconds=1):
        return None
    try:
        with session.begin_nested():
            session.add(SlaEvent(ticket_id=ticket.id, clock=clock, kind=kind, due_at=due_of(ticket, clock),
                                 fired_by=fired_by[:64], fired_at=now))
            session.flush()
    except IntegrityError:
        return None
    event = EVENTS[kind]
    ticket.history.append(TicketHistory(actor="sla", action=f"sla_{kind}", at=now, changes={
        "clock": clock, "due": due.isoformat()}))
    session.flush()
    log.info("%s of ticket %s (%s clock, due %s)", event, ticket.number, clock, due.isoformat())
    return run_rules(session, event, {"ticket": ticket, "event": {"clock": clock, "due_at": due.isoformat()}},
                     actor="sla", queue=queue, now=now)


def pending_alarms(session: Session, now: datetime | None = None) -> list[tuple[Ticket, Alarm]]:
    """Alarms whose time has come and that have not fired (the sweep's safety net for lost timers)."""
    now = now or utcnow()
    candidates = session.scalars(select(Ticket).where(Ticket.resolved_at.is_(None), or_(
        Ticket.resolution_due.is_not(None), Ticket.first_response_due.is_not(None)))).all()
    fired = {(e.ticket_id, e.clock, e.kind, e.due_at.replace(microsecond=0))
             for e in session.scalars(select(SlaEvent).where(SlaEvent.ticket_id.in_([t.id for t in candidates])))} \
        if candidates else set()
    found = []
    for ticket in candidates:
        for alarm in alarms(session, ticket):
            if alarm.at <= now and (ticket.id, alarm.clock, alarm.kind, alarm.due.replace(microsecond=0)) not in fired:
                found.append((ticket, alarm))
    return found


def overdue(session: Session, *, within_minutes: int = 60, now: datetime | None = None,
            limit: int = 200) -> list[dict[str, Any]]:
    """Open tickets whose first response or resolution is overdue or due within `within_minutes`, most
    urgent first: each {"ticket", "clock", "due", "overdue" (bool), "minutes_left" (negative when late)}."""
    now = now or utcnow()
    horizon = now + timedelta(minutes=within_minutes)
    rows = session.scalars(select(Ticket).where(Ticket.resolved_at.is_(None), or_(
        Ticket.resolution_due <= horizon,
        (Ticket.first_response_due <= horizon) & Ticket.first_responded_at.is_(None),
    )).order_by(Ticket.resolution_due).limit(limit * 2)).all()
    found = []
    for ticket in rows:
        clocks = [(c, due_of(ticket, c)) for c in CLOCKS if not stopped(ticket, c)]
        clocks = [(c, d) for c, d in clocks if d is not None and d <= horizon]
        if not clocks:
            continue
        clock, due = min(clocks, key=lambda item: item[1])
        found.append({"ticket": ticket, "clock": clock, "due": due, "overdue": due < now,
                      "minutes_left": int((due - now).total_seconds() // 60)})
    found.sort(key=lambda item: item["due"])
    return found[:limit]


def response_timeliness(session: Session, *, start: datetime, end: datetime, now: datetime | None = None,
                        form: str | None = None) -> dict[str, Any]:
    """响应及时率 of the tickets created in [start, end) that have a first-response due time.

    in_time: a person responded by the due time; late: responded after it, or not yet and it has passed;
    waiting: not responded and not yet due (left out of the rate). `rate` is in_time / (in_time + late), None
    when nothing is decided yet. A response is what the ticket's form counts (services/response.py), so an
    automatic move by a rule never makes a ticket "in time".
    """
    now = now or utcnow()
    query = select(Ticket.first_response_due, Ticket.first_responded_at).where(
        Ticket.created_at >= start, Ticket.created_at < end, Ticket.first_response_due.is_not(None))
    if form is not None:
        query = query.where(Ticket.form_name == form)
    in_time = late = waiting = 0
    for due, responded in session.execute(query):
        if responded is not None:
            in_time, late = (in_time + 1, late) if responded <= due else (in_time, late + 1)
        elif due < now:
            late += 1
        else:
            waiting += 1
    decided = in_time + late
    return {"in_time": in_time, "late": late, "waiting": waiting,
            "rate": round(in_time / decided, 4) if decided else None}
