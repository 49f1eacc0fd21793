"""Tickets of a published form: creation, edits, status transitions, assignment, history.

`create` validates the data, gives a keypad-friendly number, the search keys and a first history entry;
the IVR's ticket node and the dispatch rules create tickets through it. The agent desk edits through
`update`, `transition` and `assign`: each names the `revision` the agent started from and is one
conditional UPDATE on that revision, so of two agents editing the same ticket the second is refused with
`Conflict` (carrying the current revision) instead of silently overwriting the first. Every change lands
in the ticket's history as {field: [old, new]}. Search lives in ticket_search.py.

A ticket is always judged by the form version it was created with (`form_of`): publishing a new version
of a form does not change the fields, statuses or transitions of tickets already open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select, text
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..calendar import add_business_minutes
from ..findings import Finding, pointer
from ..models import CustomerPhone, ManualDispatch, Membership, Tenant, Ticket, TicketHistory, TicketSearchKey, utcnow
from ..scoping import tenant_of
from ..tenant_zone import tenant_calendar, zone_of
from . import callbacks, response
from .documents import DocumentService
from .errors import Conflict, InvalidDocument, NotFound
from .ticket_events import ticket_event

#: The actor named when the service reads form versions on its own behalf (reads are not audited).
SYSTEM = "system"


def _initial_status(form: dict[str, Any]) -> str:
    return next((s["name"] for s in form["statuses"] if s.get("initial")), form["statuses"][0]["name"])


def validate_data(form: dict[str, Any], data: dict[str, Any]) -> list[Finding]:
    """Findings for ticket data that break the form's schema, at the field's pointer."""
    validator = Draft202012Validator(form["schema"], format_checker=FormatChecker())
    return [Finding(pointer(*err.absolute_path) or pointer(*_required_field(err)), "error", err.message, "field")
            for err in validator.iter_errors(data)]


def _required_field(err: Any) -> list[str]:
    if err.validator == "required" and "'" in err.message:
        return [err.message.split("'")[1]]
    return []


def _local_now(session: Session) -> datetime:
    """Now in the tenant's zone (its calendar's, else its own setting, else UTC): a ticket created at 07:49 in
    Shanghai is numbered by that day, not by the UTC date of the evening before (QA of issue 11, item 6)."""
    tenant = session.get(Tenant, tenant_of(session))
    settings = (tenant.settings or {}) if tenant is not None else {}
    zone = zone_of(settings)  # the tenant's one zone (platform/tenant_zone.py)
    return utcnow().astimezone(zone)


def next_number(session: Session) -> str:
    """Digits only (callers type it on a keypad to ask about their ticket): YYMMDD + a daily sequence.

    On PostgreSQL the sequence comes from the tenant's counter row (models/ticket_numbers.py), incremented in a
    short transaction of its own so that concurrent creators neither collide nor wait for each other's commit;
    the first number of a day continues after the tickets already numbered that day. SQLite lets one writer
    at a time, so there the day's count is enough (and a second connection would wait on the first's lock).
    """
    prefix = _local_now(session).strftime("%y%m%d")
    if session.get_bind().dialect.name == "postgresql":
        with session.get_bind().engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            value = connection.execute(_NEXT_NUMBER, {"tenant": tenant_of(session), "day": prefix,
                                                      "pattern": f"{prefix}%"}).scalar_one()
        return f"{prefix}{value:05d}"
    count = session.scalar(select(func.count()).select_from(Ticket).where(Ticket.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{count + 1:05d}"


_NEXT_NUMBER = text(
    "INSERT INTO ticket_number_counter (tenant_id, day, last) "
    "VALUES (:tenant, :day, (SELECT count(*) + 1 FROM ticket WHERE tenant_id = :tenant AND number LIKE :pattern)) "
    "ON CONFLICT (tenant_id, day) DO UPDATE SET last = ticket_number_counter.last + 1 RETURNING last")


def create(session: Session, form_name: str, data: dict[str, Any], actor: str, *,
           customer_id: int | None = None, call_id: int | None = None, status: str | None = None,
           now: datetime | None = None) -> Ticket:
    """Creates a ticket of the form's published version; invalid data is refused with every finding.

    `now` (aware; the current time when omitted) is the instant the SLA due times count from.
    """
    if tenant_of(session) is None:
        raise ValueError("tickets are created in a tenant-scoped session")
    version = DocumentService(session, actor).published("form", form_name)
    form = version.body
    findings = validate_data(form, data)
    if findings:
        raise InvalidDocument(f"the {form_name} ticket data is not valid", findings)
    statuses = {s["name"] for s in form["statuses"]}
    status = status or _initial_status(form)
    if status not in statuses:
        raise InvalidDocument("unknown status", [Finding("/status", "error",
                                                         f"{status!r} is not a status of form {form_name}", "status")])
    now = now or utcnow()
    sla = form.get("sla", {})
    due = _due_time(session, sla, now)
    ticket = Ticket(
        form_name=form_name, form_version=version.number, data=data, status=status, customer_id=customer_id,
        call_id=call_id, created_by=actor, number="", created_at=now, updated_at=now,
        first_response_due=due(sla.get("first_response_minutes")),
        resolution_due=due(sla.get("resolution_minutes")),
    )
    ticket.search_keys = [TicketSearchKey(field=f, value=v) for f, v in _search_values(form, data).items()]
    ticket.history = [TicketHistory(actor=actor, action="create", changes={"status": [None, status]})]
    for _attempt in range(5):  # two creators may take the same daily number; the unique key decides
        ticket.number = next_number(session)
        try:
            # Added inside the savepoint: added before it, the savepoint's own start flushed the ticket outside
            # it, so a taken number failed the whole request (500) instead of being retried.
            with session.begin_nested():
                session.add(ticket)
                session.flush()
            ticket_event(session, ticket, "ticket.created")
            return ticket
        except IntegrityError:
            if ticket in session:
                session.expunge(ticket)
    raise RuntimeError("could not allocate a ticket number")


def _due_time(session: Session, sla: Mapping[str, Any], now: datetime) -> Callable[[int | None], datetime | None]:
    """Due time of N SLA minutes after now: business minutes of the tenant's calendar, unless the form's
    sla.business_hours is false or the tenant has no calendar (then clock minutes)."""
    calendar = None
    if sla.get("business_hours", True) is not False:
        tenant = session.get(Tenant, tenant_of(session))
        calendar = tenant_calendar(tenant.settings) if tenant is not None else None

    def due(minutes: int | None) -> datetime | None:
        if minutes is None:
            return None
        return add_business_minutes(now, minutes, calendar) if calendar else now + timedelta(minutes=minutes)

    return due


def _search_values(form: dict[str, Any], data: Mapping[str, Any]) -> dict[str, str]:
    """The search keys of ticket data: each non-empty searchable field, as text (at most 200 characters)."""
    return {f: str(data[f])[:200] for f in form.get("searchable", []) if data.get(f) not in (None, "")}


# -- reading ---------------------------------------------------------------------------------------------------


def get(session: Session, number: str) -> Ticket:
    """The ticket with this number; NotFound when absent or another tenant's (indistinguishable on purpose)."""
    if tenant_of(session) is None:
        raise ValueError("tickets are read in a tenant-scoped session")
    ticket = session.scalar(select(Ticket).where(Ticket.number == str(number)))
    if ticket is None:
        raise NotFound(f"ticket {number} not found")
    return ticket


def lock(session: Session, number: str) -> Ticket:
    """The ticket, row-locked until the transaction ends and re-read (PostgreSQL `FOR UPDATE`; SQLite writes
    one at a time anyway). Urges and dispatch take it first, so an urge a second after creation waits for the
    rule that is giving the ticket to someone and counts against that handler (QA of issue 11, item 1)."""
    if tenant_of(session) is None:
        raise ValueError("tickets are read in a tenant-scoped session")
    ticket = session.scalar(select(Ticket).where(Ticket.number == str(number)).with_for_update()
                            .execution_options(populate_existing=True))
    if ticket is None:
        raise NotFound(f"ticket {number} not found")
    return ticket


def history(session: Session, number: str) -> list[TicketHistory]:
    """Every change to the ticket, oldest first: who (actor), when (at), what (action, changes)."""
    ticket = get(session, number)
    return list(session.scalars(
        select(TicketHistory).where(TicketHistory.ticket_id == ticket.id).order_by(TicketHistory.id)))


def form_of(session: Session, ticket: Ticket) -> dict[str, Any]:
    """The body of the form version the ticket was created with."""
    return DocumentService(session, SYSTEM).version("form", ticket.form_name, ticket.form_version).body


# -- changing --------------------------------------------------------------------------------------------------


def _save(session: Session, ticket: Ticket, base_revision: int, actor: str, values: dict[str, Any]) -> None:
    """Writes `values` and the next revision if the ticket is still at `base_revision`, else Conflict.

    The check and the write are one conditional UPDATE (as DocumentService.save_draft does), so two
    concurrent edits from the same revision cannot both win, on SQLite as on PostgreSQL; a refused edit
    changes nothing.
    """
    stale = ticket.revision != base_revision
    if not stale:
        now = utcnow()
        result = session.execute(
            sql_update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.revision == base_revision)
            .values(**values, revision=base_revision + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        stale = result.rowcount != 1
    session.refresh(ticket)
    if stale:
        raise Conflict(f"ticket {ticket.number} was changed (revision {ticket.revision}) since your revision "
                       f"{base_revision}; reload it and apply your change again", ticket.revision)


def _record(ticket: Ticket, actor: str, action: str, changes: dict[str, Any]) -> TicketHistory:
    entry = TicketHistory(actor=actor, action=action, changes=changes, at=utcnow())
    ticket.history.append(entry)
    return entry


def _json(value: Any) -> Any:
    """A history value: datetimes as ISO 8601 text, everything else as is."""
    return value.isoformat() if isinstance(value, datetime) else value


def update(session: Session, number: str, data_changes: Mapping[str, Any], *, base_revision: int,
           actor: str) -> Ticket:
    """Edits ticket fields: `data_changes` is merged into the data (a None value removes the field).

    The merged data is validated against the ticket's own form version and refused with every finding (at
    the field's pointer); a stale `base_revision` is a Conflict and changes nothing. Search keys follow the
    new values; the history entry (action "update") lists {field: [old, new]} of what really changed.
    """
    ticket = get(session, number)
    if ticket.revision != base_revision:
        _save(session, ticket, base_revision, actor, {})  # raises the Conflict
    form = form_of(session, ticket)
    old = dict(ticket.data or {})
    new = dict(old)
    for field, value in data_changes.items():
        if value is None:
            new.pop(field, None)
        else:
            new[field] = value
    findings = validate_data(form, new)
    if findings:
        raise InvalidDocument(f"the changes to ticket {ticket.number} are not valid", findings)
    changes = {f: [old.get(f), new.get(f)] for f in sorted(set(old) | set(new)) if old.get(f) != new.get(f)}
    if not changes:
        return ticket
    _save(session, ticket, base_revision, actor, {"data": new})
    wanted = _search_values(form, new)
    for key in list(ticket.search_keys):
        if wanted.get(key.field) == key.value:
            wanted.pop(key.field)
        else:
            ticket.search_keys.remove(key)
    ticket.search_keys.extend(TicketSearchKey(field=f, value=v) for f, v in wanted.items())
    _record(ticket, actor, "update", changes)
    session.flush()
    ticket_event(session, ticket, "ticket.updated", changes=sorted(changes))
    return ticket


def allowed_transitions(form: dict[str, Any], status: str) -> list[str]:
    """The statuses a ticket in `status` may move to, in the form's order."""
    return [t["to"] for t in form.get("transitions", []) if t["from"] == status]


def transition(session: Session, number: str, to_status: str, *, base_revision: int, actor: str,
               note: str = "", automatic: bool = False) -> Ticket:
    """Moves a ticket along one of its form's transitions; any other move is refused at "/status".

    The first move that is a response (services/response.py: per the form's `sla.response`, by a person;
    never `automatic` moves made by rules) sets `first_responded_at`; moving to a `final` status sets
    `resolved_at` (moving back out of one clears it). History: action "transition", changes
    {"status": [old, new], ...timestamps set...} plus "note" (text) when a note is given.

    Callback on resolve (回呼): when the form has `callback_on_resolve: true`, reaching a final status also
    records a history entry with action "callback_due" and changes {"phone": the customer's phone (the
    ticket's `phone` field, else the customer's first number, else None), "status": the final status}.
    It also creates a pending call-back task (services/callbacks.py, due at once) that agents see in the
    call-back list and that fires `callback.due` for the rules.
    """
    ticket = get(session, number)
    if ticket.revision != base_revision:
        _save(session, ticket, base_revision, actor, {})  # raises the Conflict
    form = form_of(session, ticket)
    statuses = {s["name"]: s for s in form["statuses"]}
    allowed = allowed_transitions(form, ticket.status)
    if to_status not in allowed:
        targets = ", ".join(repr(s) for s in allowed)
        why = (f"a ticket in status {ticket.status!r} can move only to {targets}" if allowed
               else f"status {ticket.status!r} has no transitions")
        unknown = "" if to_status in statuses else f"{to_status!r} is not a status of form {ticket.form_name}; "
        raise InvalidDocument(f"ticket {ticket.number} cannot move to {to_status!r}", [Finding(
            "/status", "error", f"{unknown}cannot move from {ticket.status!r} to {to_status!r}: {why}",
            "transition")])
    now = utcnow()
    old_status = ticket.status
    values: dict[str, Any] = {"status": to_status}
    if ticket.first_responded_at is None and response.transition_counts(
            form, _initial_status(form), old_status, to_status, actor=actor, automatic=automatic):
        values["first_responded_at"] = now
    final = bool(statuses[to_status].get("final"))
    if final:
        values["resolved_at"] = now
    elif ticket.resolved_at is not None:
        values["resolved_at"] = None
    changes: dict[str, Any] = {f: [_json(getattr(ticket, f)), _json(v)] for f, v in values.items()}
    if note:
        changes["note"] = note
    _save(session, ticket, base_revision, actor, values)
    _record(ticket, actor, "transition", changes)
    if final:
        _leave_dispatch_list(session, ticket, now)
    if final and form.get("callback_on_resolve"):
        phone = _customer_phone(session, ticket)
        callbacks.create(session, "callback", now, actor=actor, ticket=ticket, phone=phone,
                         note=f"{ticket.form_name} {to_status}", origin={"form": "callback_on_resolve"},
                         history=False)
        _record(ticket, actor, "callback_due", {"phone": phone, "status": to_status})
    session.flush()
    ticket_event(session, ticket, "ticket.status_changed", **{"from": old_status, "to": to_status})
    return ticket


def _leave_dispatch_list(session: Session, ticket: Ticket, now: datetime) -> None:
    """A completed or closed ticket waits for nobody (QA 14 item 5): its open manual-dispatch row is closed, so it
    leaves the 待派单 list and the dashboard's count and its dispatchers are not reminded of it again."""
    for row in session.scalars(select(ManualDispatch).where(ManualDispatch.ticket_id == ticket.id,
                                                             ManualDispatch.done_at.is_(None))):
        row.done_at, row.done_by = now, "resolved"


def record_response(session: Session, number: str, action: str, *, base_revision: int, actor: str,
                    note: str = "") -> Ticket:
    """A person records what they did (accepted, called the customer, visited): history action "respond"
    with {"action", "label"} (+ "note"); the first such action the form counts as a response
    (`sla.response.actions`) sets `first_responded_at`. An action the form does not list is refused."""
    ticket = get(session, number)
    if ticket.revision != base_revision:
        _save(session, ticket, base_revision, actor, {})  # raises the Conflict
    form = form_of(session, ticket)
    known = response.actions(form)
    if action not in known:
        raise InvalidDocument(f"ticket {ticket.number}: unknown response action", [Finding(
            "/action", "error", f"{action!r} is not a response action of form {ticket.form_name} "
            f"({', '.join(known) or 'none'})", "response")])
    values: dict[str, Any] = {}
    if ticket.first_responded_at is None and response.action_counts(form, action, actor=actor):
        values["first_responded_at"] = utcnow()
    changes: dict[str, Any] = {"action": action, "label": known[action]}
    if values:
        changes["first_responded_at"] = [None, _json(values["first_responded_at"])]
    if note:
        changes["note"] = note[:500]
    _save(session, ticket, base_revision, actor, values)
    _record(ticket, actor, "respond", changes)
    session.flush()
    ticket_event(session, ticket, "ticket.updated", changes=sorted(values))
    return ticket


def _customer_phone(session: Session, ticket: Ticket) -> str | None:
    phone = (ticket.data or {}).get("phone")
    if phone:
        return str(phone)
    if ticket.customer_id is None:
        return None
    return session.scalar(select(CustomerPhone.phone).where(CustomerPhone.customer_id == ticket.customer_id)
                          .order_by(CustomerPhone.id).limit(1))


def assign(session: Session, number: str, *, assignee_id: int | None = None, group: str | None = None,
           base_revision: int, actor: str) -> Ticket:
    """Sets who works on the ticket: exactly this agent and group (None clears; both None unassigns).

    The agent must hold a role in this tenant (else refused at "/assignee_id"). History: action "assign"
    with {"assignee_id": [old, new], "group": [old, new]} for what changed.
    """
    ticket = get(session, number)
    if ticket.revision != base_revision:
        _save(session, ticket, base_revision, actor, {})  # raises the Conflict
    if assignee_id is not None and session.scalar(
            select(Membership.id).where(Membership.user_id == assignee_id).limit(1)) is None:
        raise InvalidDocument(f"ticket {ticket.number} cannot be assigned", [Finding(
            "/assignee_id", "error", f"user {assignee_id} has no role in this tenant", "assignee")])
    if group is not None and not (isinstance(group, str) and 0 < len(group) <= 64):
        raise InvalidDocument(f"ticket {ticket.number} cannot be assigned", [Finding(
            "/group", "error", "a group is a name of 1 to 64 characters", "group")])
    values = {"assignee_id": assignee_id, "group": group}
    changes = {f: [getattr(ticket, f), v] for f, v in values.items() if getattr(ticket, f) != v}
    if not changes:
        return ticket
    _save(session, ticket, base_revision, actor, values)
    _record(ticket, actor, "assign", changes)
    session.flush()
    ticket_event(session, ticket, "ticket.updated", changes=sorted(changes))
    return ticket


def set_priority(session: Session, number: str, priority: int, *, base_revision: int, actor: str) -> Ticket:
    """Sets the ticket's priority (0-9, 9 most urgent); history: action "update" with {"priority": [old, new]}."""
    if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 9:
        raise InvalidDocument("invalid priority", [Finding("/priority", "error",
                                                           f"a priority is a whole number 0-9, not {priority!r}",
                                                           "priority")])
    ticket = get(session, number)
    if ticket.revision != base_revision:
        _save(session, ticket, base_revision, actor, {})  # raises the Conflict
    if ticket.priority == priority:
        return ticket
    old = ticket.priority
    _save(session, ticket, base_revision, actor, {"priority": priority})
    _record(ticket, actor, "update", {"priority": [old, priority]})
    session.flush()
    ticket_event(session, ticket, "ticket.updated", changes=["priority"])
    return ticket


def set_due_times(session: Session, number: str, *, base_revision: int, actor: str,
                  first_response_due: datetime | None = None, resolution_due: datetime | None = None,
                  note: str = "") -> Ticket:
    """Moves the SLA due times given (an extension agreed with the customer, a supervisor's decision).

    History: action "sla_changed" with {field: [old, new]} (+ "note"); the SLA clocks re-arm on the new
    due times (the ticket.updated event carries them; the alarms of the old ones find them stale).
    """
    ticket = get(session, number)
    if ticket.revision != base_revision:
        _save(session, ticket, base_revision, actor, {})  # raises the Conflict
    values = {f: v for f, v in (("first_response_due", first_response_due), ("resolution_due", resolution_due))
              if v is not None}
    for field, value in values.items():
        if value.tzinfo is None:
            raise InvalidDocument("invalid due time", [Finding(f"/{field}", "error",
                                                               "a due time must be time-zone aware", field)])
    changes: dict[str, Any] = {f: [_json(getattr(ticket, f)), _json(v)] for f, v in values.items()
                               if getattr(ticket, f) != v}
    if not changes:
        return ticket
    _save(session, ticket, base_revision, actor, values)
    if note:
        changes["note"] = note
    _record(ticket, actor, "sla_changed", changes)
    session.flush()
    ticket_event(session, ticket, "ticket.updated", changes=sorted(values))
    return ticket
