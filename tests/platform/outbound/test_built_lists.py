"""Lists built from the tenant's data (platform/outbound/built_lists.py): the marketing list of flagged customers is
chosen by the database, so a tenant with a hundred thousand customers and a few flagged ones loads only those."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from hotline.platform.db import Database
from hotline.platform.models import Contact, Customer, CustomerPhone
from hotline.platform.outbound import built_lists
from hotline.platform.services import templates, tickets


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), f"bl{uuid.uuid4().hex[:8]}", None,
                               "test").id


def test_flagged_customers_are_selected_by_the_query_not_scanned(db: Database, tenant: int) -> None:
    flag = f"营销{uuid.uuid4().hex[:4]}"
    with db.tenant(tenant) as session:
        for n in range(6):
            customer = Customer(name=f"客户{n}", flags=[flag, "vip"] if n in (1, 4) else ["vip", f"x{flag}"])
            customer.phones.append(CustomerPhone(phone=f"1370013{n:04d}"))
            session.add(customer)
        nobody = Customer(name="无电话", flags=[flag])
        session.add(nobody)
    loaded: list[str] = []

    def on_load(customer: Customer, _context: object) -> None:
        loaded.append(customer.name)

    event.listen(Customer, "load", on_load)
    try:
        with db.tenant(tenant) as session:
            built = built_lists.flagged_customers(session, f"营销{uuid.uuid4().hex[:6]}", flag, "op")
    finally:
        event.remove(Customer, "load", on_load)
    assert sorted(loaded) == sorted(["客户1", "客户4", "无电话"])  # nobody else was read
    with db.tenant(tenant) as session:
        numbers = set(session.scalars(select(Contact.phone_e164).where(Contact.list_id == built.contact_list.id)))
        assert numbers == {"+8613700130001", "+8613700130004"} and built.added == 2
        assert built.skipped == [("无电话", "the customer has no phone number")]


#: Wednesday 2026-03-11 00:10 in Shanghai (the template tenants' zone): "yesterday" is Tuesday 03-10 there,
#: 2026-03-09 16:00 to 2026-03-10 16:00 UTC — a day no UTC date matches, so a UTC "yesterday" would be caught.
JUST_AFTER_MIDNIGHT = datetime(2026, 3, 10, 16, 10, tzinfo=UTC)


def _resolved_ticket(db: Database, tenant: int, phone: str | None, resolved_at: datetime | None) -> str:
    with db.tenant(tenant) as session:
        ticket = tickets.create(session, "tracking_query", {"waybill": "YT9876543210", "phone": "13800138000",
                                                            "question_type": "no_update"}, "agent1")
        ticket.data = {**ticket.data, "phone": phone}
        ticket.resolved_at = resolved_at
        return ticket.number


def test_a_return_visit_list_holds_the_tickets_resolved_yesterday_in_the_tenants_day(db: Database,
                                                                                    tenant: int) -> None:
    other = _other_tenant(db)
    first = _resolved_ticket(db, tenant, "13800138001", datetime(2026, 3, 9, 16, 0, 30, tzinfo=UTC))  # 00:00:30
    last = _resolved_ticket(db, tenant, "13800138002", datetime(2026, 3, 10, 15, 59, tzinfo=UTC))  # 23:59
    _resolved_ticket(db, tenant, "13800138003", datetime(2026, 3, 10, 16, 5, tzinfo=UTC))  # today, 00:05
    _resolved_ticket(db, tenant, "13800138004", datetime(2026, 3, 9, 15, 59, tzinfo=UTC))  # the day before
    _resolved_ticket(db, tenant, "13800138005", None)  # still open
    _resolved_ticket(db, tenant, "13800138001", datetime(2026, 3, 10, 3, 0, tzinfo=UTC))  # same number again
    nameless = _resolved_ticket(db, tenant, None, datetime(2026, 3, 10, 4, 0, tzinfo=UTC))  # no number at all
    _resolved_ticket(db, other, "13800138006", datetime(2026, 3, 10, 3, 0, tzinfo=UTC))  # another tenant's
    with db.tenant(tenant) as session:
        built = built_lists.return_visits_yesterday(session, f"回访{uuid.uuid4().hex[:6]}", JUST_AFTER_MIDNIGHT, "op")
        rows = session.execute(select(Contact.phone_e164, Contact.fields).where(
            Contact.list_id == built.contact_list.id).order_by(Contact.id)).all()
        assert built.contact_list.purpose == "service"
    assert [(phone, fields["ticket_number"]) for phone, fields in rows] == [
        ("+8613800138001", first), ("+8613800138002", last)]
    assert built.added == 2 and [source for source, _why in built.skipped] == [nameless]


def _other_tenant(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), f"bo{uuid.uuid4().hex[:8]}", None,
                               "test").id
