"""What the IVR tells a caller about a ticket, and urging it by phone (issue 11 items 6 and 7).

Item 6: the IVR read the handler's name and the ticket's details to anyone who typed a ticket number
(numbers are a date and a daily sequence: easy to guess). Disclosure now checks the caller:

* the caller's number is the ticket's phone, or one of its customer's numbers; or
* the caller typed the verification code: the last four digits of the phone on the ticket (the check the
  express template's knowledge base already uses for 改址: 手机号后四位).

A verified caller gets the ticket's fields (handler name included); anyone else only its status label.

Item 7: urging by phone counts as an urge on the original ticket (services/urging.py), never as a new
ticket; a ticket nobody handles goes on the manual dispatch list and its dispatchers are alerted, and the
caller is told (`handler` False).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import phones
from ..models import CustomerPhone, Ticket
from . import tickets, urging
from .errors import InvalidDocument

CODE_DIGITS = 4


def _normal(number: Any) -> str:
    try:
        return phones.normalize(str(number or "")).removeprefix("+86")
    except ValueError:
        return ""


def ticket_phones(session: Session, ticket: Ticket) -> list[str]:
    """The numbers that own the ticket: its `phone` field and its customer's numbers."""
    found = [_normal((ticket.data or {}).get("phone"))]
    if ticket.customer_id is not None:
        found += [_normal(p) for p in session.scalars(select(CustomerPhone.phone)
                                                      .where(CustomerPhone.customer_id == ticket.customer_id))]
    return [p for p in dict.fromkeys(found) if p]


def verified(owner_phones: Iterable[str], caller: str | None, code: str | None) -> bool:
    """Same phone as the ticket's, or the last four digits of the ticket's first phone as the code."""
    owners = [p for p in owner_phones if p]
    if not owners:
        return False
    if caller and _normal(caller) in owners:
        return True
    typed = "".join(ch for ch in str(code or "") if ch.isdigit())
    return len(typed) == CODE_DIGITS and owners[0][-CODE_DIGITS:] == typed


def disclose(record: Mapping[str, Any], is_verified: bool) -> dict[str, Any]:
    """The record as the caller may hear it: everything when verified, else only the status."""
    generic = {key: record.get(key) for key in ("number", "status", "status_label", "form", "form_label")
               if key in record}
    return {**record, "verified": True} if is_verified else {**generic, "verified": False}


def ticket_for_caller(session: Session, number: str, caller: str | None,
                      code: str | None = None) -> dict[str, Any] | None:
    """The ticket as the IVR may read it to this caller; None when there is no such ticket."""
    ticket = session.scalar(select(Ticket).where(Ticket.number == str(number)))
    if ticket is None:
        return None
    form = tickets.form_of(session, ticket)
    status_label = next((s.get("label") or s["name"] for s in form.get("statuses", []) if s["name"] == ticket.status),
                        ticket.status)
    record = {**(ticket.data or {}), "number": ticket.number, "status": ticket.status, "status_label": status_label,
              "form": ticket.form_name, "form_label": form.get("title") or ticket.form_name}
    return disclose(record, verified(ticket_phones(session, ticket), caller, code))


def urge_by_caller(session: Session, number: str, caller: str | None, code: str | None = None, *,
                   actor: str, queue: Any = None) -> dict[str, Any] | None:
    """Urges the ticket for a caller who may (same phone or code): {"count", "notified", "handler",
    "allowed": True}; {"allowed": False} for anyone else or a resolved ticket; None when it does not exist."""
    ticket = session.scalar(select(Ticket).where(Ticket.number == str(number)))
    if ticket is None:
        return None
    if not verified(ticket_phones(session, ticket), caller, code):
        return {"allowed": False, "reason": "not_owner"}
    try:
        urge = urging.urge(session, ticket.number, actor=actor, note="来电自助催办", queue=queue)
    except InvalidDocument:
        return {"allowed": False, "reason": "resolved"}
    ticket = tickets.get(session, ticket.number)
    handler = bool(urging.handler_phones(session, ticket)) or urging.has_handler(ticket)
    return {"allowed": True, "count": urging.urge_count(session, ticket.id), "notified": len(urge.notified),
            "handler": handler}


def urge_preview(session: Session, number: str, caller: str | None,
                 code: str | None = None) -> dict[str, Any] | None:
    """What urge_by_caller would answer, without urging: a test call (dry run) must be refused for a
    stranger exactly as a real call is (QA of issue 11, item 3), yet leave no urge behind."""
    ticket = session.scalar(select(Ticket).where(Ticket.number == str(number)))
    if ticket is None:
        return None
    if not verified(ticket_phones(session, ticket), caller, code):
        return {"allowed": False, "reason": "not_owner"}
    if ticket.resolved_at is not None:
        return {"allowed": False, "reason": "resolved"}
    handler = bool(urging.handler_phones(session, ticket)) or urging.has_handler(ticket)
    return {"allowed": True, "count": urging.urge_count(session, ticket.id) + 1, "notified": 0,
            "handler": handler}


def open_ticket_by(session: Session, form: str, field: str, value: str) -> Ticket | None:
    """The open ticket of `form` whose searchable `field` is `value` (a waybill already being urged)."""
    from ..models import TicketSearchKey

    if not value:
        return None
    return session.scalar(select(Ticket).join(TicketSearchKey, TicketSearchKey.ticket_id == Ticket.id)
                          .where(Ticket.form_name == form, Ticket.resolved_at.is_(None),
                                 TicketSearchKey.field == field, TicketSearchKey.value == str(value)[:200])
                          .order_by(Ticket.id.desc()).limit(1))


def create_or_urge(session: Session, form: str, data: dict[str, Any], *, urge_open: str | None, actor: str,
                   customer_id: int | None = None) -> tuple[Ticket, bool]:
    """A new ticket, or — when `urge_open` names a field and an open ticket of the form has the same value —
    an urge on that ticket (the caller's second 催件 for the same waybill is not a second ticket).
    Returns (ticket, urged)."""
    if urge_open:
        found = open_ticket_by(session, form, urge_open, str(data.get(urge_open) or ""))
        if found is not None:
            urging.urge(session, found.number, actor=actor, note="来电再次催件")
            return found, True
    return tickets.create(session, form, data, actor, customer_id=customer_id), False
