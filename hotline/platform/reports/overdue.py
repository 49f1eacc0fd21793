"""超时未响应 (`response_overdue`): tickets created in a report's range, never responded to and past their response
due at the moment the report is read, counted by one GROUP BY in the database.

Why in SQL: they depend on "now", so no interval row can hold them, and reading each such ticket with its history into
Python was ~80% of the monthly report at the issue's full scale (docs/reports.md, round 5: 1,335 tickets, 327 ms). The
counts need no history: nobody responded, so each is late for the ticket's handler now (credit.handler_key: the
assignee, else the directory entry it was dispatched to, else nobody) — the rule of issue 14 item 6 that
intervals.ticket_sums applies to the `created` count these figures were taken from before.

A ticket completed without a response (a rule closing it) still counts, as before, so the statement does not add
`resolved_at IS NULL`; where the tenant's open tickets are the bulk, PostgreSQL may still answer from the partial
index ix_ticket_open_response_due.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from ..models import Ticket
from . import classify as cl
from . import credit
from .intervals import _forms
from .periods import Period


def _source() -> Any:
    """classify.ticket_source in SQL."""
    created_by = func.coalesce(Ticket.created_by, "")
    return case((or_(created_by.like("ivr:%"), created_by == "ivr"), literal("ivr")),
                (Ticket.call_id.is_not(None), literal("call")), else_=literal("desk"))


def _category(forms: Mapping[tuple[str, int], Mapping[str, Any]]) -> Any:
    """The ticket's category as intervals.ticket_sums reads it (the form version's category field, 64 characters;
    '' for a form without one), one CASE branch per form version that has a category field."""
    branches = []
    for (name, version), body in forms.items():
        field = cl.category_field(body)
        if field:
            value = func.substr(func.coalesce(cast(Ticket.data[field].as_string(), String), ""), 1, 64)
            branches.append(((Ticket.form_name == name) & (Ticket.form_version == version), value))
    return case(*branches, else_=literal("")) if branches else literal("")


def counts(session: Session, tenant_id: int, period: Period, dimension: str, filters: Mapping[str, Any],
           now: datetime, when: Any, start_of: Callable[[Any], datetime]) -> dict[tuple[datetime, Any], int]:
    """(bucket, key of `dimension`) → tickets of the period never responded to and past their response due at `now`.
    `when`/`start_of` are the report's time key over Ticket.created_at (service._time_key): a ticket falls in the
    bucket of its creation, as its interval row does."""
    where = [Ticket.tenant_id == tenant_id, Ticket.created_at >= period.start, Ticket.created_at < period.end,
             Ticket.first_responded_at.is_(None), Ticket.first_response_due < now]
    if filters.get("form"):
        where.append(Ticket.form_name == str(filters["form"]))
    forms: dict[tuple[str, int], dict[str, Any]] = {}
    if dimension == "category" or filters.get("complaints"):  # the versions' bodies say the field / a complaint
        versions = set(session.execute(select(Ticket.form_name, Ticket.form_version).where(*where).distinct()).all())
        forms = {key: _forms(session, tenant_id, versions).get(key, {}) for key in versions}
    columns = {"form": [Ticket.form_name], "category": [Ticket.form_name, _category(forms)],
               "status": [Ticket.form_name, Ticket.status], "source": [_source()],
               "handler": [Ticket.assignee_id, Ticket.handler_entry_id]}.get(dimension, [])
    query = (select(when, Ticket.form_name, Ticket.form_version, *columns, func.count())
             .where(*where).group_by(when, Ticket.form_name, Ticket.form_version, *columns))
    out: dict[tuple[datetime, Any], int] = {}
    for row in session.execute(query):
        if filters.get("complaints") and not cl.is_complaint_form(row[1], forms.get((row[1], row[2]), {})):
            continue
        values = row[3:-1]
        if dimension == "handler":
            key: Any = credit.handler_key(*values)
        elif dimension == "category":
            key = (values[0], "" if values[1] is None else str(values[1]))
        elif len(values) == 1:
            key = values[0]
        else:
            key = tuple(values) if values else ""
        bucket = (period.bucket(start_of(row[0])), key)
        out[bucket] = out.get(bucket, 0) + row[-1]
    return out
