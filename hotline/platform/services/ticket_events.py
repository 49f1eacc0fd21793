"""Dispatch events raised by services, delivered after commit through the database's notifier.

A service that changes a ticket (or the runtime, for a call) calls `queue_dispatch_event`; the payload
waits on the session and goes to the notifier's sinks only when the transaction commits (a rollback
drops it), so a worker never runs rules on data that was not committed. The dispatch sink
(`dispatch/events.py`) turns the payload into an RQ job that runs the tenant's published rules.

Rules do not raise further events: while `run_rules` is running, the session is marked (`suppressed`),
and a ticket the rules change raises nothing (else a rule setting a field on ticket.updated would loop).

This module sits in services/ (not dispatch/) because the ticket service imports it, and dispatch imports
the ticket service.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from ..notifier import queue_event
from ..scoping import tenant_of

#: The notifier payload type of a dispatch event.
PAYLOAD_TYPE = "dispatch.event"
_SUPPRESSED = "hotline.dispatch.suppressed"


@contextmanager
def suppressed(session: Session) -> Iterator[None]:
    """Within the block, services raise no dispatch events on this session (rules are running)."""
    depth = session.info.get(_SUPPRESSED, 0)
    session.info[_SUPPRESSED] = depth + 1
    try:
        yield
    finally:
        session.info[_SUPPRESSED] = depth


def is_suppressed(session: Session) -> bool:
    return bool(session.info.get(_SUPPRESSED))


def queue_dispatch_event(session: Session, tenant_id: int, event: str, *, ticket: str | None = None,
                         context: Mapping[str, Any] | None = None, **extra: Any) -> None:
    """Queues a dispatch event on the session, emitted after commit (nothing while rules run)."""
    if is_suppressed(session):
        return
    payload: dict[str, Any] = {"type": PAYLOAD_TYPE, "event": event, "tenant_id": int(tenant_id), **extra}
    if ticket is not None:
        payload["ticket"] = str(ticket)
    if context:
        payload["context"] = dict(context)
    queue_event(session, payload)


def ticket_event(session: Session, ticket: Any, event: str, **extra: Any) -> None:
    """Queues a ticket event carrying the ticket's number and its SLA alarms (the sink arms the clocks)."""
    tenant_id = tenant_of(session)
    if tenant_id is None:
        return
    if is_suppressed(session):
        return
    from . import sla  # sla reads forms through the ticket service, which imports this module

    queue_dispatch_event(session, tenant_id, event, ticket=ticket.number, ticket_id=ticket.id,
                         alarms=[alarm.payload() for alarm in sla.alarms(session, ticket)], **extra)
