"""Tickets whose `ticket.created` dispatch never ran: found by the dispatch sweep and dispatched again.

QA of issue 11, item 10: the `ticket.created` job runs after commit; when it is lost (a worker crash between the
commit and the job, a Redis flush, a job consumed with no effect) the ticket stayed 待派单 with nobody assigned,
off the manual dispatch list, and nobody was alerted. A ticket is *lost* when, `after` its creation (and not
longer than `within` ago, so an import of old tickets is not dispatched anew), it is still open, has no handler
or assignee, no `ticket.created` rule fired on it (an SLA rule may have), it was never on the manual list, it
was not re-checked before, and a published `ticket.created` rule applies to its form. The sweep runs that
event's rules again (the rule that finds nobody then puts the ticket on the list and alerts, as it would have)
and writes a `dispatch_recheck` history line, which also keeps the ticket from being re-run by later sweeps.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..models import ManualDispatch, RuleFiring, Ticket, TicketHistory
from ..scoping import tenant_of

#: How long the after-commit job has before the sweep calls its dispatch lost.
LOST_AFTER = timedelta(minutes=5)
#: Older tickets are not dispatched anew by the sweep (imports, history).
LOOK_BACK = timedelta(days=1)
RECHECK = "dispatch_recheck"
#: Tickets re-dispatched per tenant and sweep: bounded, the next sweep takes the rest.
MAX_PER_SWEEP = 200


def _forms_with_created_rules(session: Session) -> tuple[bool, set[str]]:
    """(a rule applies to every form, the forms named by published, enabled `ticket.created` rules)."""
    from ..dispatch.engine import published_rules

    every, forms = False, set()
    for rule in published_rules(session):
        body = rule.body
        if body.get("event") != "ticket.created" or not body.get("enabled", True):
            continue
        if "forms" in body:
            forms.update(str(f) for f in body.get("forms") or [])
        else:
            every = True
    return every, forms


def lost(session: Session, now: datetime, *, after: timedelta = LOST_AFTER,
         within: timedelta = LOOK_BACK, ticket_id: int | None = None) -> list[Ticket]:
    """The tenant's tickets whose `ticket.created` dispatch never ran (see the module docstring); with
    `ticket_id`, that ticket if it still is one (checked again just before it is dispatched)."""
    if tenant_of(session) is None:
        raise ValueError("lost dispatches are looked for in a tenant-scoped session")
    every, forms = _forms_with_created_rules(session)
    if not every and not forms:
        return []
    query = select(Ticket).where(
        Ticket.created_at <= now - after, Ticket.created_at >= now - within, Ticket.resolved_at.is_(None),
        Ticket.handler_entry_id.is_(None), Ticket.assignee_id.is_(None),
        ~exists().where(RuleFiring.ticket_number == Ticket.number, RuleFiring.tenant_id == Ticket.tenant_id,
                        RuleFiring.event == "ticket.created"),
        ~exists().where(ManualDispatch.ticket_id == Ticket.id),
        ~exists().where(TicketHistory.ticket_id == Ticket.id, TicketHistory.action == RECHECK),
    ).order_by(Ticket.id).limit(MAX_PER_SWEEP)
    if ticket_id is not None:
        query = query.where(Ticket.id == ticket_id)
    if not every:
        query = query.where(Ticket.form_name.in_(sorted(forms)))
    return list(session.scalars(query))


def redispatch(session: Session, ticket: Ticket, now: datetime, *, actor: str, queue: object = None) -> int:
    """Runs the ticket's `ticket.created` rules again; returns the number of rules that fired."""
    from ..dispatch.engine import run_rules

    firings = run_rules(session, "ticket.created", {"ticket": {"number": ticket.number}}, actor=actor,
                        queue=queue, now=now)
    ticket.history.append(TicketHistory(actor=actor, action=RECHECK, at=now, changes={
        "reason": "派单任务未执行，已由巡检重新派单", "firings": len(firings)}))
    session.flush()
    return len(firings)
