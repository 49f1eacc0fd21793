"""Dispatch jobs: run the rules of an event, fire SLA alarms and call-back due events, sweep for lost timers.

Jobs take plain values (tenant id, ticket number, ISO times, the queue prefix) and run against
`job_context()`'s Database. The queues a job enqueues on (notifications, further timers) are rebuilt from
the job's own Redis connection and the prefix it was given, so a test's prefixed queues stay separate.

Inside a job, sessions get a notifier that also has the dispatch sink: a rule that schedules a call-back
in a worker arms its timer like a web request would.

Exactly once: `sla_alarm` relies on services/sla.fire (a unique marker row inserted in the transaction
that runs the rules), `callback_due` on services/callbacks.mark_due (a conditional UPDATE); duplicate
jobs (a ticket updated twice arms its alarms twice) and several workers are therefore harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from rq import get_current_job
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CallTask, Tenant, utcnow
from ..notifier import NOTIFIER, Notifier
from ..services import callbacks, lost_dispatch, sla
from .context import job_context
from .queues import Queues

log = logging.getLogger("hotline.jobs.dispatch")

JOB_TIMEOUT = 120
#: Event extras carried into the rules' `event.*`.
EVENT_EXTRAS = ("from", "to", "changes")
SWEEP_LOCK = "hotline:dispatch:sweep:"


# -- enqueueing (called by the dispatch sink after commit) ------------------------------------------------------


def enqueue_event(queues: Queues, payload: Mapping[str, Any]):
    """Enqueues `run_event` for a dispatch payload; returns the rq Job."""
    context = dict(payload.get("context") or {})
    extras = {k: payload[k] for k in EVENT_EXTRAS if k in payload}
    if extras:
        context["event"] = {**dict(context.get("event") or {}), **extras}
    where = f" ticket {payload['ticket']}" if payload.get("ticket") else ""
    return queues.default.enqueue(run_event, payload["tenant_id"], payload["event"], payload.get("ticket"), context,
                                  queues.prefix, job_timeout=JOB_TIMEOUT,
                                  description=f"dispatch {payload['event']} of tenant {payload['tenant_id']}{where}")


def enqueue_alarm(queues: Queues, tenant_id: int, ticket_id: int, alarm: Mapping[str, str]):
    """Schedules `sla_alarm` at the alarm's time (RQ's scheduler moves it onto the queue then)."""
    at = datetime.fromisoformat(alarm["at"])
    return queues.default.enqueue_at(at, sla_alarm, tenant_id, ticket_id, alarm["clock"], alarm["kind"],
                                     alarm["due"], queues.prefix, job_timeout=JOB_TIMEOUT,
                                     description=f"SLA {alarm['clock']} {alarm['kind']} of ticket {ticket_id}")


def enqueue_callback_due(queues: Queues, tenant_id: int, task_id: int, due_at: datetime):
    return queues.default.enqueue_at(due_at, callback_due, tenant_id, task_id, queues.prefix,
                                     job_timeout=JOB_TIMEOUT, description=f"callback.due of task {task_id}")


# -- running ---------------------------------------------------------------------------------------------------


def _queues(prefix: str) -> Queues | None:
    job = get_current_job()
    return Queues(job.connection, prefix=prefix) if job is not None else None


@contextmanager
def _tenant_session(tenant_id: int, queues: Queues | None) -> Iterator[Session]:
    from ..dispatch.events import dispatch_sink

    with job_context().db.tenant(tenant_id) as session:
        if queues is not None:
            notifier = Notifier()
            base = session.info.get(NOTIFIER)
            if base is not None:
                notifier.subscribe(base.emit)
            notifier.subscribe(dispatch_sink(queues))
            session.info[NOTIFIER] = notifier
        yield session


def _job_id() -> str:
    job = get_current_job()
    return job.id if job is not None else "direct"


def run_event(tenant_id: int, event: str, ticket: str | None, context: Mapping[str, Any] | None = None,
              prefix: str = "") -> list[dict[str, Any]]:
    """The job: runs the tenant's published rules for one event; returns the firings' records."""
    from ..dispatch.engine import run_rules

    queues = _queues(prefix)
    rule_context = dict(context or {})
    if ticket is not None:
        rule_context["ticket"] = {"number": ticket}
    with _tenant_session(tenant_id, queues) as session:
        firings = run_rules(session, event, rule_context, queue=queues.notifications if queues else None)
    return [f.record() for f in firings]


def sla_alarm(tenant_id: int, ticket_id: int, clock: str, kind: str, due: str, prefix: str = "") -> str:
    """The job: fires one SLA event (once, whatever the number of jobs and workers). Returns what happened."""
    queues = _queues(prefix)
    with _tenant_session(tenant_id, queues) as session:
        firings = sla.fire(session, ticket_id, clock, kind, datetime.fromisoformat(due), fired_by=_job_id(),
                           queue=queues.notifications if queues else None)
    return "not fired" if firings is None else f"fired ({len(firings)} rules)"


def _fire_callback(session: Session, task_id: int, queues: Queues | None) -> bool:
    from ..dispatch.engine import run_rules

    task = callbacks.mark_due(session, task_id)
    if task is None:
        return False
    context: dict[str, Any] = {"event": {"task": task.id, "kind": task.kind, "phone": task.phone,
                                         "queue": task.queue, "script": task.script, "due_at": task.due_at.isoformat(),
                                         "note": task.note}}
    if task.ticket_number:
        context["ticket"] = {"number": task.ticket_number}
    run_rules(session, "callback.due", context, actor="callback", queue=queues.notifications if queues else None)
    return True


def callback_due(tenant_id: int, task_id: int, prefix: str = "") -> str:
    """The job: fires `callback.due` of one call task, once."""
    queues = _queues(prefix)
    with _tenant_session(tenant_id, queues) as session:
        fired = _fire_callback(session, task_id, queues)
    return "fired" if fired else "not fired"


def sweep(prefix: str = "", every_seconds: int | None = None) -> dict[str, int]:
    """The safety net: fires every SLA alarm and call-back whose time has come and that did not fire (a
    timer lost with Redis, tickets changed by a process without the dispatch sink), and dispatches again
    tickets whose ticket.created job was lost (services/lost_dispatch.py). With `every_seconds`
    it schedules itself again (one sweep per prefix at a time, by a Redis lock)."""
    queues = _queues(prefix)
    fired = {"sla": 0, "callbacks": 0, "redispatched": 0}
    with job_context().db.platform() as session:
        tenant_ids = list(session.scalars(select(Tenant.id)))
    now = utcnow()
    for tenant_id in tenant_ids:
        with _tenant_session(tenant_id, queues) as session:
            pending = [(t.id, a) for t, a in sla.pending_alarms(session, now)]
            due_tasks = list(session.scalars(select(CallTask.id).where(
                CallTask.status == "pending", CallTask.due_fired_at.is_(None), CallTask.due_at <= now)))
        for ticket_id, alarm in pending:
            with _tenant_session(tenant_id, queues) as session:
                if sla.fire(session, ticket_id, alarm.clock, alarm.kind, alarm.due, fired_by=f"sweep:{_job_id()}",
                            queue=queues.notifications if queues else None) is not None:
                    fired["sla"] += 1
        for task_id in due_tasks:
            with _tenant_session(tenant_id, queues) as session:
                fired["callbacks"] += _fire_callback(session, task_id, queues)
        # tickets whose ticket.created job was lost: dispatched again, once (services/lost_dispatch.py)
        with _tenant_session(tenant_id, queues) as session:
            lost = [t.id for t in lost_dispatch.lost(session, now)]
        for ticket_id in lost:
            with _tenant_session(tenant_id, queues) as session:
                for ticket in lost_dispatch.lost(session, now, ticket_id=ticket_id):  # still lost?
                    lost_dispatch.redispatch(session, ticket, now, actor=f"sweep:{_job_id()}"[:64],
                                             queue=queues.notifications if queues else None)
                    fired["redispatched"] += 1
    if every_seconds and queues is not None:
        schedule_sweep(queues, every_seconds, release=True)
    return fired


def schedule_sweep(queues: Queues, every_seconds: int, *, release: bool = False):
    """Schedules the next sweep in `every_seconds` unless one is scheduled already; returns the Job or None."""
    lock = SWEEP_LOCK + queues.prefix
    if release:
        queues.connection.delete(lock)
    if not queues.connection.set(lock, "1", nx=True, ex=every_seconds * 3):
        return None
    return queues.default.enqueue_in(_seconds(every_seconds), sweep, queues.prefix, every_seconds,
                                     job_timeout=JOB_TIMEOUT * 5, description="dispatch sweep")


def _seconds(value: int):
    from datetime import timedelta

    return timedelta(seconds=value)
