"""The context conditions and templates of a dispatch rule read: ticket.*, customer.*, call.*, event.*, var.*."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import phones
from ..models import Customer, CustomerPhone, Ticket, User, utcnow

#: Ticket attributes that always come from the ticket row, whatever the form's fields are called.
_RESERVED = frozenset({"id", "number", "form", "form_version", "status", "revision"})


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def customer_record(customer: Customer, phone: str | None = None) -> dict[str, Any]:
    """A customer as rules see it (the same shape the IVR's screen pop gives flows as `customer.*`)."""
    numbers = [p.phone for p in customer.phones]
    return {
        **{k: v for k, v in (customer.data or {}).items() if k != "id"},
        "id": customer.id, "name": customer.name, "phone": phone or (numbers[0] if numbers else None),
        "phones": numbers, "address": customer.address, "vip": customer.vip, "flags": list(customer.flags or []),
        "monthly_settlement": "monthly_settlement" in (customer.flags or []), "note": customer.note,
    }


def _customer_of(session: Session, ticket: Ticket) -> dict[str, Any]:
    """The ticket's customer; else the customer whose number is the ticket's `phone` field; else {}."""
    if ticket.customer_id is not None:
        customer = session.get(Customer, ticket.customer_id)
        if customer is not None:
            return customer_record(customer)
    raw = (ticket.data or {}).get("phone")
    if not raw:
        return {}
    try:
        number = phones.normalize(str(raw))
    except ValueError:
        return {}
    customer = session.scalar(select(Customer).join(CustomerPhone).where(CustomerPhone.phone == number).limit(1))
    return customer_record(customer, number) if customer is not None else {}


def ticket_fields(session: Session, ticket: Ticket, now: datetime | None = None) -> dict[str, Any]:
    """The ticket as `ticket.*`: the form's fields plus the ticket attributes (datetimes as ISO text)."""
    now = now or utcnow()
    assignee = session.scalar(select(User.username).where(User.id == ticket.assignee_id)) \
        if ticket.assignee_id is not None else None
    due = ticket.resolution_due
    attributes = {
        "id": ticket.id, "number": ticket.number, "form": ticket.form_name, "form_version": ticket.form_version,
        "status": ticket.status, "revision": ticket.revision, "priority": ticket.priority,
        "assignee_id": ticket.assignee_id, "assignee": assignee, "group": ticket.group,
        "customer_id": ticket.customer_id, "created_at": _json(ticket.created_at),
        "updated_at": _json(ticket.updated_at), "first_response_due": _json(ticket.first_response_due),
        "resolution_due": _json(due), "resolved_at": _json(ticket.resolved_at),
        "overdue": bool(due is not None and ticket.resolved_at is None and due < now),
    }
    data = {k: v for k, v in (ticket.data or {}).items() if k not in _RESERVED}
    # Form fields win over the optional attributes (a form may have its own `priority`), never over _RESERVED.
    return {**attributes, **data}


def ticket_context(session: Session, ticket: Ticket, now: datetime | None = None) -> dict[str, Any]:
    """{"ticket": {...}, "customer": {...}} of a ticket event; callers add "event" (and "var"/"call") data."""
    return {"ticket": ticket_fields(session, ticket, now), "customer": _customer_of(session, ticket)}
