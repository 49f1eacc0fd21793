"""Call tasks: call-backs to customers (回呼) and outbound return visits (回访).

A call-back is created when a ticket whose form says `callback_on_resolve` reaches a final status, or by a
`schedule_callback` rule; a return visit by a `start_return_visit` rule (the outbound dialer picks those
up by script). Each task has a due time; when it comes, `callback.due` is fired once (a conditional
UPDATE of `due_fired_at`, so two workers cannot both fire it) and the tenant's rules for that event run.
Agents see the open tasks in a list (the supervision API) and close them with a result.

One task per cause: while a pending task of the same kind exists for the same ticket (or, without a ticket, for
the same number; for a return visit, with the same script), a second request merges into it — a resolved ticket
whose form asks for a call-back and whose rule schedules one gets one call-back, not two. Every task enters the
tenant's always-on tasks campaign (outbound/task_campaign.py), so the dialer places it or it is closed with a
reason; closing a task here closes its campaign entry.

Creating a task queues a timer payload on the session: after commit, the dispatch sink enqueues the
`callback_due` job at the due time (dispatch/events.py). Timers are armed even while rules run (a rule
may schedule a call-back); only dispatch *events* are suppressed then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import CallTask, Ticket, TicketHistory, utcnow
from ..notifier import queue_event
from ..outbound import task_campaign
from ..scoping import tenant_of
from .errors import InvalidDocument, NotFound

KINDS = ("callback", "return_visit")
TIMER_PAYLOAD = "dispatch.callback_timer"


def create(session: Session, kind: str, due_at: datetime, *, actor: str, ticket: Ticket | None = None,
           phone: str | None = None, queue: str | None = None, script: str | None = None, note: str = "",
           origin: dict[str, Any] | None = None, history: bool = True) -> CallTask:
    """Creates a pending call task and arms its `callback.due` timer (after commit).

    With `history`, the ticket's history gets a "<kind>_created" entry (rules write their own entry).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown call task kind {kind!r}: expected one of {', '.join(KINDS)}")
    if due_at.tzinfo is None:
        raise ValueError("a call task's due time must be time-zone aware")
    existing = _same_cause(session, kind, ticket, phone, script)
    if existing is not None:
        return _merge(session, existing, due_at, phone=phone, queue=queue, script=script, note=note, origin=origin)
    task = CallTask(kind=kind, status="pending", due_at=due_at, phone=phone, queue=queue, script=script,
                    note=note or "", origin=origin or {}, created_by=actor,
                    ticket_id=ticket.id if ticket is not None else None,
                    ticket_number=ticket.number if ticket is not None else None)
    session.add(task)
    session.flush()
    if ticket is not None and history:
        ticket.history.append(TicketHistory(actor=actor, action=f"{kind}_created", at=utcnow(), changes={
            "task": task.id, "due_at": due_at.isoformat(), "phone": phone, "queue": queue, "script": script}))
        session.flush()
    _arm(session, task)
    task_campaign.enqueue(session, task)
    return task


def _arm(session: Session, task: CallTask) -> None:
    queue_event(session, {"type": TIMER_PAYLOAD, "tenant_id": tenant_of(session), "task": task.id,
                          "due_at": task.due_at.isoformat()})


def _same_cause(session: Session, kind: str, ticket: Ticket | None, phone: str | None,
                script: str | None) -> CallTask | None:
    """The pending task this request repeats: same kind, and the same ticket (else the same number); a return
    visit also the same script. None when the request is a new cause."""
    query = select(CallTask).where(CallTask.kind == kind, CallTask.status == "pending")
    if ticket is not None:
        query = query.where(CallTask.ticket_id == ticket.id)
    elif phone:
        query = query.where(CallTask.ticket_id.is_(None), CallTask.phone == phone)
    else:
        return None
    if kind == "return_visit":
        query = query.where(CallTask.script.is_(None) if script is None else CallTask.script == script)
    return session.scalar(query.order_by(CallTask.id).limit(1))


def _merge(session: Session, task: CallTask, due_at: datetime, *, phone: str | None, queue: str | None,
           script: str | None, note: str, origin: dict[str, Any] | None) -> CallTask:
    """Folds a repeated request into the pending task: fills what it lacked, keeps the other origin as
    evidence, and brings the due time forward (re-arming the timer) if the repeat is due sooner."""
    task.phone = task.phone or phone
    task.queue = task.queue or queue
    task.script = task.script or script
    if note and note not in task.note:
        task.note = f"{task.note}\n{note}".strip()[:4000]
    task.origin = {**task.origin, "also": [*task.origin.get("also", []), origin or {}][-20:]}
    if due_at < task.due_at and task.due_fired_at is None:
        task.due_at = due_at
        _arm(session, task)
    session.flush()
    entry = task_campaign.entry_of(session, task.id)
    if entry is None:
        task_campaign.enqueue(session, task)
    elif entry.state == "pending" and (entry.next_attempt_at is None or task.due_at < entry.next_attempt_at):
        entry.next_attempt_at = task.due_at
        session.flush()
    return task


def get(session: Session, task_id: int) -> CallTask:
    task = session.get(CallTask, task_id)
    if task is None:
        raise NotFound(f"call task {task_id} not found")
    return task


def open_tasks(session: Session, *, kind: str | None = None, due_before: datetime | None = None,
               limit: int = 200) -> list[CallTask]:
    """Pending tasks, earliest due first."""
    query = select(CallTask).where(CallTask.status == "pending")
    if kind is not None:
        query = query.where(CallTask.kind == kind)
    if due_before is not None:
        query = query.where(CallTask.due_at <= due_before)
    return list(session.scalars(query.order_by(CallTask.due_at, CallTask.id).limit(limit)))


def for_ticket(session: Session, ticket_id: int) -> list[CallTask]:
    return list(session.scalars(select(CallTask).where(CallTask.ticket_id == ticket_id).order_by(CallTask.id)))


def mark_due(session: Session, task_id: int, now: datetime | None = None) -> CallTask | None:
    """Claims the task's `callback.due` event: the task if this caller is the one to fire it, else None.

    One conditional UPDATE (pending, due, not fired yet): of several workers exactly one gets rowcount 1.
    """
    now = now or utcnow()
    result = session.execute(sql_update(CallTask).where(
        CallTask.id == task_id, CallTask.status == "pending", CallTask.due_fired_at.is_(None),
        CallTask.due_at <= now).values(due_fired_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    task = session.get(CallTask, task_id)
    session.refresh(task)
    return task


def complete(session: Session, task_id: int, *, actor: str, result: str = "", cancelled: bool = False) -> CallTask:
    """Closes a pending task (done, or cancelled) with the agent's result; a closed task is refused."""
    task = get(session, task_id)
    if task.status != "pending":
        raise InvalidDocument(f"call task {task_id} is already {task.status}", [Finding(
            "/status", "error", f"the task is {task.status}; only pending tasks can be closed", "status")])
    task.status = "cancelled" if cancelled else "done"
    task.done_at, task.done_by, task.result = utcnow(), actor, result or ""
    task_campaign.task_closed(session, task)
    if task.ticket_id is not None:
        ticket = session.get(Ticket, task.ticket_id)
        if ticket is not None:
            ticket.history.append(TicketHistory(actor=actor, action=f"{task.kind}_{task.status}", at=utcnow(),
                                                changes={"task": task.id, "result": task.result}))
    session.flush()
    return task


def record(task: CallTask) -> dict[str, Any]:
    """A task as JSON (the agents' list)."""
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {"id": task.id, "kind": task.kind, "status": task.status, "ticket": task.ticket_number,
            "phone": task.phone, "queue": task.queue, "script": task.script, "note": task.note,
            "due_at": iso(task.due_at), "due_fired_at": iso(task.due_fired_at), "origin": task.origin,
            "created_by": task.created_by, "created_at": iso(task.created_at), "done_at": iso(task.done_at),
            "done_by": task.done_by, "result": task.result}
