"""Call tasks as dialled work: every `call_task` (IVR booking, abandoned call, ticket resolve, return visit,
survey) enters its tenant's always-on `tasks` campaign, so the dialer places it — or it is closed with a reason.

The campaign is created on demand (first task of the tenant), `running`, `progressive`, service purpose, with
call windows every day 09:00–20:00 in the tenant's zone (an operator may change them). Each task becomes one
entry (unique per campaign and task), due at the task's due time. A task whose number cannot be dialled (none, or
not a number) is closed at once with that reason rather than left pending forever.

Both ways stay in step: closing a task by hand (done or cancelled in the call-back list) closes its entry; an
entry that ends (`settle`, which the dialer calls) closes its task — done when the call was completed, cancelled
with the reason otherwise.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import CallTask, Campaign, CampaignEntry, Tenant, utcnow
from ..models.campaigns import TASKS_CAMPAIGN_NAME
from ..scoping import tenant_of
from ..wallboard.today import tenant_zone
from . import reasons
from .numbers import NumberRefused, to_e164

DEFAULT_WINDOWS = [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "09:00", "end": "20:00"}]
#: Entry states that end an entry; settle() refuses anything else.
FINAL_STATES = ("done", "skipped", "failed", "closed")


def tasks_campaign(session: Session) -> Campaign:
    """The tenant's tasks campaign, created if it does not exist yet (safe when two transactions race: the
    loser's insert fails on the (tenant, name) key inside a savepoint and it reads the winner's row)."""
    query = select(Campaign).where(Campaign.kind == "tasks", Campaign.name == TASKS_CAMPAIGN_NAME)
    found = session.scalar(query)
    if found is not None:
        return found
    tenant = session.get(Tenant, tenant_of(session))
    zone = tenant_zone(tenant.settings if tenant is not None else None)
    campaign = Campaign(name=TASKS_CAMPAIGN_NAME, kind="tasks", status="running", mode="progressive",
                        purpose="service", windows={"timezone": zone.key, "windows": DEFAULT_WINDOWS},
                        retry_policy={"busy": {"delay_minutes": 30, "max": 2},
                                      "no_answer": {"delay_minutes": 60, "max": 2},
                                      "failed": {"delay_minutes": 60, "max": 1}},
                        max_attempts_per_contact=3, min_gap_minutes=30, created_by="system", started_at=utcnow())
    try:
        with session.begin_nested():
            session.add(campaign)
    except IntegrityError:
        found = session.scalar(query)
        if found is None:
            raise
        return found
    return campaign


def enqueue(session: Session, task: CallTask) -> CampaignEntry | None:
    """Puts a pending task into the tasks campaign (once: a second call returns the same entry). A task without
    a dialable number is cancelled with the reason, and None returned."""
    campaign = tasks_campaign(session)
    entry = session.scalar(select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id,
                                                       CampaignEntry.call_task_id == task.id))
    if entry is not None or task.status != "pending":
        return entry
    try:
        phone = to_e164(task.phone)
    except ValueError as exc:
        task.status, task.done_at, task.done_by = "cancelled", utcnow(), "dialer"
        why = exc.message if isinstance(exc, NumberRefused) else {"code": "number.not_chinese", "raw": str(task.phone)}
        task.result = reasons.coded("reason.not_dialled", why=why)
        session.flush()
        return None
    entry = CampaignEntry(campaign_id=campaign.id, call_task_id=task.id, phone_e164=phone,
                          next_attempt_at=task.due_at)
    session.add(entry)
    session.flush()
    return entry


def entry_of(session: Session, task_id: int) -> CampaignEntry | None:
    return session.scalar(select(CampaignEntry).where(CampaignEntry.call_task_id == task_id))


def task_closed(session: Session, task: CallTask) -> None:
    """A task was closed outside the dialer (by an agent): its entry stops being dialled, with the reason."""
    entry = entry_of(session, task.id)
    if entry is not None and entry.state in ("pending", "dialing"):
        entry.state = "closed"
        entry.closed_reason = reasons.coded("reason.task_closed", status=task.status, by=task.done_by or "",
                                            result=reasons.decode(task.result))
        entry.last_outcome = "task_closed"  # the code the campaign page labels (QA 13 #4)
        entry.lease_owner = entry.lease_until = None
        session.flush()


def settle(session: Session, entry: CampaignEntry, state: str, reason: str = "", *, actor: str = "dialer") -> None:
    """Ends an entry (done, skipped, failed, closed) and, for a task's entry, closes the task the same way:
    done when the entry is done, else cancelled with the reason. The dialer calls this."""
    if state not in FINAL_STATES:
        raise ValueError(f"an entry ends in one of {', '.join(FINAL_STATES)}, not {state!r}")
    entry.state, entry.closed_reason = state, reason
    entry.lease_owner = entry.lease_until = None
    session.flush()
    if entry.call_task_id is not None:
        from ..services import callbacks  # callbacks imports this module

        task = session.get(CallTask, entry.call_task_id)
        if task is not None and task.status == "pending":
            # the system's words are stored as the reason's code, worded per reader where the result is shown
            # (the call-back list, the ticket's history: designer/campaigns/messages.say); what an agent types
            # in the desk's list stays as typed (issue 13, 13c #3)
            callbacks.complete(session, task.id, actor=actor,
                               result=reason or reasons.coded("reason.entry_ended", state=state),
                               cancelled=state != "done")
