"""Who a ticket's response and completion are credited to in the by-handler report: read from its history.

Why not the ticket's handler: the handler is who holds the ticket now. A ticket responded to by A, completed by B
and then given to C credited all of it to C (issue 14). So:

* the responder is the actor of the history entry that set `first_responded_at` (services/tickets.py: the first
  move or recorded action that services/response.py counts as a response — always a person's);
* the completer is the actor of the last entry that set `resolved_at` (the move into the final status the ticket
  is in now; a reopened ticket completed again is the second person's).

An actor is a username; it is credited when a user of the platform has that name and it is not a system actor
(services/response.is_system). Otherwise — a system move (a dispatch rule closing the ticket), a name nobody has
(a user renamed or deleted), or no such entry (tickets loaded without history) — the credit stays the ticket's
handler's (`None` here), as before. set_based._CREDIT mirrors these rules in SQL for the rebuild, and
`credited_to` for the drill-down's person filter (both databases), so a page of tickets is read already filtered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import Ticket, TicketHistory, User
from ..services import response
from . import classify as cl

#: The ticket fields whose setting is credited, and to whom.
RESPONSE, COMPLETION = "first_responded_at", "resolved_at"
#: The key prefix of a by-handler row that is a directory entry (a courier, a technician), not a user id.
ENTRY_KEY = "entry:"
#: The ticket figures whose tickets a drill-down lists, per person.
DRILL_FIGURES = ("created", "responded_in_time", "responded_late", "response_overdue", "completed_in_time",
                 "completed_late")


@dataclass(frozen=True, slots=True)
class Credit:
    """A ticket's responder and completer (user ids); None: the ticket's handler has the credit."""

    responder: int | None = None
    completer: int | None = None


def sets(changes: Any, name: str) -> bool:
    """Whether a history entry's changes set `name` to a value ({name: [old, new]} with a new value)."""
    value = changes.get(name) if isinstance(changes, Mapping) else None
    return isinstance(value, list) and len(value) == 2 and value[1] is not None


def credited(session: Session, tenant_id: int, *criteria: Any) -> dict[int, Credit]:
    """Ticket id → its Credit, for the tenant's tickets matching `criteria` (on Ticket) that have one; a ticket
    left out is its handler's for both."""
    rows = session.execute(
        select(TicketHistory.ticket_id, TicketHistory.actor, TicketHistory.changes)
        .join(Ticket, Ticket.id == TicketHistory.ticket_id)
        .where(TicketHistory.tenant_id == tenant_id, Ticket.tenant_id == tenant_id, *criteria)
        .order_by(TicketHistory.ticket_id, TicketHistory.id)).all()
    actors: dict[int, dict[str, str]] = {}
    for ticket_id, actor, changes in rows:  # oldest first: the last entry setting a field wins
        for name in (RESPONSE, COMPLETION):
            if sets(changes, name):
                actors.setdefault(ticket_id, {})[name] = actor or ""
    names = {actor for found in actors.values() for actor in found.values() if not response.is_system(actor)}
    users = dict(session.execute(select(User.username, User.id).where(User.username.in_(names))).all()) if names else {}
    out: dict[int, Credit] = {}
    for ticket_id, found in actors.items():
        responder, completer = (users.get(found.get(name, "")) for name in (RESPONSE, COMPLETION))
        if responder is not None or completer is not None:
            out[ticket_id] = Credit(responder, completer)
    return out


def person_of(figure: str, found: Credit) -> int | None:
    """The user a ticket count is credited to: responded_* the responder's, completed_* the completer's, every other
    count (created, urges, complaints) the ticket's handler's (None)."""
    if figure.startswith("responded_"):
        return found.responder
    if figure.startswith("completed_"):
        return found.completer
    return None


def handler_key(assignee_id: int | None, entry_id: int | None) -> int | str:
    """The by-handler key of whoever holds a ticket: the assignee (a user id), else the directory entry it was
    dispatched to ("entry:<id>"), else 0 (（未分配）)."""
    return int(assignee_id or 0) or (f"{ENTRY_KEY}{entry_id}" if entry_id else 0)


def figure_keys(ticket: Mapping[str, Any], found: Credit, now: datetime) -> dict[str, int | str]:
    """Each DRILL_FIGURES figure the ticket counts in → the by-handler key it is credited to (the report's rows do the
    same through intervals.ticket_sums). `ticket` holds the Ticket's columns. A ticket never responded to and past
    its response due at `now` is late for its handler now (response_overdue, counted at read time)."""
    handler = handler_key(ticket.get("assignee_id"), ticket.get("handler_entry_id"))
    out: dict[str, int | str] = {}
    for name, value in cl.ticket_counts(ticket, 0, False).items():
        if value and name in DRILL_FIGURES:
            person = person_of(name, found)
            out[name] = handler if person is None else person
    due = ticket.get("first_response_due")
    if ticket.get("first_responded_at") is None and due is not None and due < now:
        out["response_overdue"] = handler
    return out


# -- the same rules in SQL (the drill-down's person filter) -------------------------------------------------------


def _sets_sql(changes: Any, name: str, dialect: str) -> Any:
    """`sets` in SQL: the entry's changes hold {name: [old, new]} with a new value that is not null."""
    if dialect == "postgresql":  # JSONB (models.base.JSONType)
        item = changes.op("->")(name)
        return and_(func.jsonb_typeof(item) == "array", func.jsonb_array_length(item) == 2,
                    func.jsonb_typeof(item.op("->")(1)) != "null")
    path = f'$."{name}"'
    return and_(func.json_type(changes, path) == "array", func.json_array_length(changes, path) == 2,
                func.json_type(changes, path + "[1]") != "null")


def credited_user_sql(tenant_id: int, name: str, dialect: str) -> Any:
    """The user a ticket's `name` (RESPONSE or COMPLETION) is credited to, as a scalar subquery correlated with
    Ticket: the actor of the last history entry setting it, when a user has that name and it is no system actor
    (response.is_system, checked on the username, which equals the actor); NULL leaves it with the handler."""
    h = aliased(TicketHistory)
    actor = (select(h.actor)
             .where(h.tenant_id == tenant_id, h.ticket_id == Ticket.id, _sets_sql(h.changes, name, dialect))
             .order_by(h.id.desc()).limit(1).correlate(Ticket).scalar_subquery())
    username = func.trim(User.username)
    return select(User.id).where(
        User.username == actor, username != "", username.notin_(sorted(response.SYSTEM_ACTORS)),
        not_(or_(*(username.startswith(prefix, autoescape=True) for prefix in response.SYSTEM_PREFIXES)))
    ).scalar_subquery()


def held_by(key: int | str) -> Any:
    """The tickets whose handler now is the by-handler `key` (handler_key in SQL)."""
    if isinstance(key, str) and key.startswith(ENTRY_KEY):
        return and_(or_(Ticket.assignee_id.is_(None), Ticket.assignee_id == 0),
                    Ticket.handler_entry_id == int(key[len(ENTRY_KEY):]))
    if not key:
        return and_(or_(Ticket.assignee_id.is_(None), Ticket.assignee_id == 0),
                    or_(Ticket.handler_entry_id.is_(None), Ticket.handler_entry_id == 0))
    return Ticket.assignee_id == int(key)


def credited_to(tenant_id: int, key: int | str, figure: str, dialect: str) -> Any:
    """The tickets that count in `figure` (any DRILL_FIGURES figure when empty) for the by-handler `key`, as
    figure_keys credits them — responses the responder's, completions the completer's, the others and unknown
    credits the handler's now. The caller narrows to the tickets counted in the figure (it does not here)."""
    held = held_by(key)
    responder = credited_user_sql(tenant_id, RESPONSE, dialect)
    completer = credited_user_sql(tenant_id, COMPLETION, dialect)
    person = int(key) if isinstance(key, int) or (isinstance(key, str) and key.isdigit()) else None

    def by(credit_of: Any) -> Any:  # credited to the person when named, else to the handler now
        mine = credit_of == person if person else false()
        return or_(mine, and_(credit_of.is_(None), held))

    if figure.startswith("responded_"):
        return by(responder)
    if figure.startswith("completed_"):
        return by(completer)
    if figure:  # created, response_overdue: the handler's now
        return held
    if not person:  # an entry or nobody is credited only what it holds (credits name users)
        return held
    return or_(held, and_(Ticket.first_responded_at.isnot(None), responder == person),
               and_(Ticket.resolved_at.isnot(None), completer == person))
