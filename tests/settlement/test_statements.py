"""Settling a vendor's month from the tenant's data: shifts, QA evaluations and entries give the worked example
to the cent; missing inputs are named and nothing is signed; a signed statement is frozen and signing again
makes a new version; agents of other vendors, of other months and of other tenants do not count."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import AuditEntry, Shift, Vendor, VendorContract, VendorMonth
from hotline.platform.settlement import statements
from hotline.platform.settlement.formula import MissingInputs
from hotline.platform.settlement.inputs import parse_month

from ..platform import factories
from . import helpers

MARCH = parse_month("2026-03", ZoneInfo("UTC"))


def _tenant(db: Database) -> int:
    with db.platform() as session:
        return factories.tenant(session, "st").id


def test_the_worked_month_from_shifts_and_evaluations(db: Database) -> None:
    tenant = _tenant(db)
    with db.tenant(tenant) as session:
        row = helpers.worked_month(session)
        other = helpers.vendor(session, "other")
        stranger = helpers.agent(session, "x1")  # another vendor's agent: not this vendor's hours
        helpers.member(session, other.id, stranger)
        helpers.shifts(session, stranger, "agent", "166.64")
        gone = helpers.agent(session, "g1")  # left before March: not counted
        helpers.member(session, row.id, gone, joined="2025-01-01", left="2026-02-27")
        helpers.shifts(session, gone, "agent", "50")
        found = statements.preview(session, tenant, row, MARCH)
    assert found.missing == []
    assert found.result is not None and found.result["total"] == "27826.23"
    assert found.result["scores"]["quality"] == "92.50"
    assert {line["seat_type"]: line["seats"] for line in found.result["seats"]} == {
        "trainee": "0.6001", "agent": "2.5000", "team_lead": "0.1550", "overtime": "0.0802"}
    assert found.record is not None and len(found.record["hours"]) == 5
    # another tenant settling the same month sees none of it
    other_tenant = _tenant(db)
    with db.tenant(other_tenant) as session:
        mine = helpers.vendor(session, "partner")
        assert statements.preview(session, other_tenant, mine, MARCH).missing[0].text() == \
            "No scheduled hours for this vendor's agents in 2026-03"


def test_missing_inputs_are_named_and_nothing_is_signed(db: Database) -> None:
    tenant = _tenant(db)
    with db.tenant(tenant) as session:
        bare = Vendor(name="bare", title="无合同")
        session.add(bare)
        session.flush()
        assert [m.text() for m in statements.preview(session, tenant, bare, MARCH).missing] == [
            "No contract of this vendor is in force in 2026-03"]
        partner = helpers.vendor(session, "p2")
        uid = helpers.agent(session, "a")
        helpers.member(session, partner.id, uid)
        helpers.shifts(session, uid, "agent", "100")
        assert [m.text() for m in statements.preview(session, tenant, partner, MARCH).missing] == [
            "No QA evaluations of this vendor's agents in 2026-03, so there is no quality score",
            "The business score of 2026-03 has not been entered and cannot be computed (no service level, answer "
            "rate or ticket timeliness figures)",
            "The overall score of 2026-03 has not been entered and cannot be computed (it needs the quality and "
            "business scores)",
            "The achieved value of target 接通量 in 2026-03 is missing"]
        with pytest.raises(MissingInputs):
            statements.sign(session, tenant, partner, MARCH, "admin")
        assert statements.versions(session, partner.id, "2026-03") == []


def test_a_signed_statement_is_frozen_and_signing_again_makes_a_new_version(db: Database) -> None:
    tenant = _tenant(db)
    with db.tenant(tenant) as session:
        row = helpers.worked_month(session)
        vendor_id = row.id
        first = statements.sign(session, tenant, row, MARCH, "finance")
        assert (first.version, first.total) == (1, Decimal("27826.23"))
    with db.tenant(tenant) as session:  # later changes: more hours, a lower business score, a new price
        shift = session.scalars(select(Shift).order_by(Shift.id)).first()
        assert shift is not None
        shift.ends_at += timedelta(hours=1)
        month = session.scalars(select(VendorMonth)).one()
        month.business_score = Decimal("80")
        contract = session.scalars(select(VendorContract).where(VendorContract.vendor_id == vendor_id)).one()
        terms = dict(contract.terms)
        terms["seat_types"] = {**terms["seat_types"], "agent": {"unit_price": "10000.00", "ratio": "1"}}
        contract.terms = terms
    with db.tenant(tenant) as session:
        kept = statements.signed(session, vendor_id, "2026-03", 1)
        assert kept.result["total"] == "27826.23" and kept.total == Decimal("27826.23")
        assert kept.inputs["scores"]["business"] == "88"
        assert kept.inputs["contract"]["terms"]["seat_types"]["agent"]["unit_price"] == "9800.00"
        now = statements.preview(session, tenant, statements.vendor(session, vendor_id), MARCH)
        assert now.result is not None and now.result["total"] != "27826.23"
        second = statements.sign(session, tenant, statements.vendor(session, vendor_id), MARCH, "finance")
        assert second.version == 2 and second.result == now.result
    with db.tenant(tenant) as session:
        assert [s.version for s in statements.versions(session, vendor_id, "2026-03")] == [2, 1]
        assert statements.signed(session, vendor_id, "2026-03", 1).result["total"] == "27826.23"
        signed = session.scalars(select(AuditEntry).where(AuditEntry.action == "settlement.signed")).all()
        assert [e.detail["version"] for e in signed] == [1, 2]


def test_overlapping_contracts_of_a_vendor_are_refused(db: Database) -> None:
    from hotline.platform.settlement import records
    from hotline.platform.settlement.terms import EXAMPLE

    tenant = _tenant(db)
    with db.tenant(tenant) as session:
        row = helpers.vendor(session, "p")  # its contract runs from 2026-01, open-ended
        with pytest.raises(records.InvalidSettlementInput) as caught:
            records.save_contract(session, row.id, "second", "2026-06", "", EXAMPLE, "admin")
        assert caught.value.problems == ["/valid_from: overlaps the contract '2026 合同' (2026-01 to …)"]
        first = session.scalars(select(VendorContract).where(VendorContract.vendor_id == row.id)).one()
        records.save_contract(session, row.id, "2026 H1", "2026-01", "2026-05", EXAMPLE, "admin",
                              contract_id=first.id)
        records.save_contract(session, row.id, "2026 H2", "2026-06", "", EXAMPLE, "admin")
        assert [c.title for c in session.scalars(select(VendorContract).where(VendorContract.vendor_id == row.id)
                                                  .order_by(VendorContract.valid_from))] == ["2026 H1", "2026 H2"]


def test_two_sign_offs_at_once_get_consecutive_versions(db: Database) -> None:
    from sqlalchemy import event

    tenant = _tenant(db)
    with db.tenant(tenant) as session:
        vendor_id = helpers.worked_month(session).id
    with db.tenant(tenant) as session:
        row = statements.vendor(session, vendor_id)

        def other_admin_signs_first(*_args: object) -> None:
            # between this sign-off reading the last version and writing its own, another one commits
            with db.tenant(tenant) as other:
                statements.sign(other, tenant, statements.vendor(other, vendor_id), MARCH, "other")

        event.listen(session, "before_flush", other_admin_signs_first, once=True)
        mine = statements.sign(session, tenant, row, MARCH, "me")
        assert mine.version == 2
    with db.tenant(tenant) as session:
        assert [(s.version, s.signed_by) for s in statements.versions(session, vendor_id, "2026-03")] == [
            (2, "me"), (1, "other")]


def test_an_agent_who_moves_vendors_mid_month_is_billed_to_each_for_its_own_days(db: Database) -> None:
    tenant = _tenant(db)
    with db.tenant(tenant) as session:
        first, second = helpers.vendor(session, "first"), helpers.vendor(session, "second")
        uid = helpers.agent(session, "mover")
        helpers.member(session, first.id, uid, joined="2025-06-01", left="2026-03-15")
        helpers.member(session, second.id, uid, joined="2026-03-16")
        helpers.shifts(session, uid, "agent", "160")  # 8 h a day, March 1 to 20
        before = statements.preview(session, tenant, first, MARCH).record
        after = statements.preview(session, tenant, second, MARCH).record
    assert before is not None and after is not None
    assert before["hours"] == [{"user_id": uid, "name": "mover", "agent": "120.0000"}]  # March 1-15
    assert after["hours"] == [{"user_id": uid, "name": "mover", "agent": "40.0000"}]  # March 16-20
