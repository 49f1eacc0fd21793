"""Lists built from the tenant's data (platform/outbound/built_lists.py): the marketing list of flagged customers is
chosen by the database, so a tenant with a hundred thousand customers and a few flagged ones loads only those."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, select

from hotline.platform.db import Database
from hotline.platform.models import Contact, Customer, CustomerPhone
from hotline.platform.outbound import built_lists
from hotline.platform.services import templates


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
