"""Contact lists built from the tenant's own data, not from a file:

* return visits (回访): the customers of tickets resolved yesterday (the tenant's day), one contact per number,
  the ticket's number and form kept as fields ({{contact.ticket_number}}); a service list;
* marketing: the customers carrying a flag the tenant uses for marketing consent; a marketing list, each
  contact's consent recorded as the flag (source) and the customer's last change (time) — the evidence kept.

A customer or ticket without a usable number is counted as skipped with the reason, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Contact, ContactList, Customer, CustomerPhone, Tenant, Ticket
from ..scoping import tenant_of
from ..services import customers as customers_service
from ..wallboard.today import day_bounds, tenant_zone
from .contacts import MAX_CONTACTS, create_list
from .numbers import to_e164


@dataclass
class Built:
    contact_list: ContactList
    added: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (ticket number or customer name, why)


def _add(session: Session, built: Built, seen: set[str], source: str, phone: str | None, **values) -> None:
    try:
        number = to_e164(phone)
    except ValueError as exc:
        built.skipped.append((source, str(exc)))
        return
    if number in seen:
        return
    seen.add(number)
    session.add(Contact(list_id=built.contact_list.id, phone_e164=number, **values))
    built.added += 1


def return_visits_yesterday(session: Session, name: str, now: datetime, actor: str) -> Built:
    """A service list of the customers whose tickets were resolved yesterday."""
    tenant = session.get(Tenant, tenant_of(session))
    _today, today_start, _end = day_bounds(now, tenant_zone(tenant.settings if tenant is not None else None))
    built = Built(create_list(session, name, "service", actor))
    seen: set[str] = set()
    tickets = session.scalars(select(Ticket).where(Ticket.resolved_at >= today_start - timedelta(days=1),
                                                   Ticket.resolved_at < today_start)
                              .order_by(Ticket.resolved_at).limit(MAX_CONTACTS))
    for ticket in tickets:
        phone = (ticket.data or {}).get("phone")
        customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
        if not phone and customer is not None:
            phone = session.scalar(select(CustomerPhone.phone).where(CustomerPhone.customer_id == customer.id)
                                   .order_by(CustomerPhone.id).limit(1))
        _add(session, built, seen, ticket.number, str(phone) if phone else None,
             name=(customer.name if customer else str((ticket.data or {}).get("name") or ""))[:100],
             fields={"ticket_number": ticket.number, "form": ticket.form_name})
    session.flush()
    return built


def flagged_customers(session: Session, name: str, flag: str, actor: str) -> Built:
    """A marketing list of the customers carrying `flag` (their consent), every number of each."""
    flag = flag.strip()[:64]
    if not flag:
        raise ValueError("name the customer flag that records marketing consent")
    built = Built(create_list(session, name, "marketing", actor))
    seen: set[str] = set()
    # The flag is a condition of the query (customers.has_flag), not a test in Python over every customer.
    customers = session.scalars(select(Customer).where(customers_service.has_flag(session, flag))
                                .options(selectinload(Customer.phones)).order_by(Customer.id).limit(MAX_CONTACTS))
    for customer in customers:
        if not customer.phones:
            built.skipped.append((customer.name, "the customer has no phone number"))
        for phone in customer.phones:
            _add(session, built, seen, customer.name, phone.phone, name=customer.name[:100],
                 consent_source=f"customer flag {flag}"[:200], consent_at=customer.updated_at)
        if built.added >= MAX_CONTACTS:
            break
    session.flush()
    return built
