"""Creating tickets of a published form: validated data, a keypad-friendly number, search keys, history.

The agent desk builds on this (edits, transitions, search); the IVR's ticket node and the dispatch rules
create tickets through `create`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..findings import Finding, pointer
from ..models import Ticket, TicketHistory, TicketSearchKey, utcnow
from ..scoping import tenant_of
from .documents import DocumentService
from .errors import InvalidDocument


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


def next_number(session: Session) -> str:
    """Digits only (callers type it on a keypad to ask about their ticket): YYMMDD + a daily sequence."""
    today = utcnow()
    prefix = today.strftime("%y%m%d")
    count = session.scalar(select(func.count()).select_from(Ticket).where(Ticket.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{count + 1:05d}"


def create(session: Session, form_name: str, data: dict[str, Any], actor: str, *,
           customer_id: int | None = None, call_id: int | None = None, status: str | None = None) -> Ticket:
    """Creates a ticket of the form's published version; invalid data is refused with every finding."""
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
    now = utcnow()
    sla = form.get("sla", {})
    ticket = Ticket(
        form_name=form_name, form_version=version.number, data=data, status=status, customer_id=customer_id,
        call_id=call_id, created_by=actor, number="",
        first_response_due=now + timedelta(minutes=sla["first_response_minutes"])
        if "first_response_minutes" in sla else None,
        resolution_due=now + timedelta(minutes=sla["resolution_minutes"]) if "resolution_minutes" in sla else None,
    )
    ticket.search_keys = [TicketSearchKey(field=f, value=str(data[f])[:200]) for f in form.get("searchable", [])
                          if data.get(f) not in (None, "")]
    ticket.history = [TicketHistory(actor=actor, action="create", changes={"status": [None, status]})]
    for _attempt in range(5):  # two creators may take the same daily number; the unique key decides
        ticket.number = next_number(session)
        session.add(ticket)
        try:
            with session.begin_nested():
                session.flush()
            return ticket
        except IntegrityError:
            session.expunge(ticket)
    raise RuntimeError("could not allocate a ticket number")
