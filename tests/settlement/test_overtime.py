"""The month's overtime roll-up: per agent over the whole month, stored idempotently, recomputed when shifts
change, scoped to the tenant; it feeds the statement's overtime seats, so an agent who moved vendors mid-month
and worked above the standard month in all is billed overtime by each vendor for its share — to the cent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.models import AgentMonthOvertime, Shift, Tenant
from hotline.platform.settlement import overtime, statements
from hotline.platform.settlement.inputs import parse_month
from hotline.platform.settlement.terms import EXAMPLE

from ..platform import factories
from . import helpers

MARCH = parse_month("2026-03", ZoneInfo("UTC"))
#: The example contract with overtime priced at 1.5 times an agent seat (14,700.00).
TERMS = {**EXAMPLE, "seat_types": {**EXAMPLE["seat_types"], "overtime": {"unit_price": "14700.00", "ratio": "1"}}}


def _mover(db: Database) -> tuple[int, int, int, int]:
    """(tenant, vendor A, vendor B, agent): the agent works 100 h for A (1-13 March) and 100 h for B (from
    16 March), 200 h in the month, 33.36 h above the standard 166.64."""
    with db.platform() as session:
        tenant = factories.tenant(session, "ot").id
    with db.tenant(tenant) as session:
        first, second = helpers.vendor(session, "a", TERMS), helpers.vendor(session, "b", TERMS)
        uid = helpers.agent(session, "m1")
        helpers.member(session, first.id, uid, left="2026-03-15")
        helpers.member(session, second.id, uid, joined="2026-03-16")
        helpers.shifts(session, uid, "agent", "100")
        helpers.shifts(session, uid, "agent", "100", start=helpers.MONTH_START + timedelta(days=15))
        helpers.evaluation(session, uid, 92.5)
        helpers.evaluation(session, uid, 92.5, at=helpers.MONTH_START + timedelta(days=20))
        for vendor in (first, second):
            helpers.entries(session, vendor.id, achieved="30000", incidents=0)
        return tenant, first.id, second.id, uid


def test_a_mover_above_the_standard_month_is_billed_overtime_by_each_vendor_to_the_cent(db: Database) -> None:
    tenant, a, b, _uid = _mover(db)
    with db.tenant(tenant) as session:
        found = statements.preview(session, tenant, statements.vendor(session, a), MARCH)
        theirs = statements.preview(session, tenant, statements.vendor(session, b), MARCH)
    assert found.missing == [] and found.result is not None
    # 200 h - 166.64 = 33.36 h of overtime, half of it (100 of 200 h) billed to A: 16.68 h;
    # agent seats (100 - 16.68) / 166.64 = 0.5000 -> 4,900.00; overtime 16.68 / 166.64 = 0.1001 -> 1,471.47
    assert [(line["seat_type"], line["hours"], line["seats"], line["amount"]) for line in found.result["seats"]] == [
        ("agent", "83.32", "0.5000", "4900.00"), ("overtime", "16.68", "0.1001", "1471.47")]
    # subtotal 6,371.47 × 0.95 (the lowest score, business 88, falls in 85-90) = 6,052.90; no bonus, no penalty
    assert found.result["assessed"] == "6052.90" and found.result["total"] == "6052.90"
    assert found.record is not None and found.record["hours"][0]["overtime"] == "16.6800"
    # B is billed the other half; before the roll-up neither part (100 h) was above the standard: no overtime
    assert theirs.result is not None and theirs.result["seats"] == found.result["seats"]


def test_the_roll_up_is_stored_idempotently_recomputed_and_scoped(db: Database) -> None:
    tenant, _a, _b, uid = _mover(db)
    with db.tenant(tenant) as session:
        assert overtime.stored(session, MARCH) == {}
        first = overtime.refresh(session, tenant, MARCH)
        assert first == {uid: overtime.Rolled(Decimal("200.0000"), Decimal("166.64"), Decimal("33.3600"))}
    with db.tenant(tenant) as session:
        computed_at = session.scalars(select(AgentMonthOvertime.computed_at)).one()
        assert overtime.refresh(session, tenant, MARCH) == first  # again: the same rows, untouched
    with db.tenant(tenant) as session:
        assert session.scalar(select(func.count()).select_from(AgentMonthOvertime)) == 1
        assert session.scalars(select(AgentMonthOvertime.computed_at)).one() == computed_at
        assert overtime.stored(session, MARCH) == first
        last = session.scalars(select(Shift).where(Shift.user_id == uid).order_by(Shift.starts_at.desc())).first()
        last.ends_at -= timedelta(hours=3, minutes=36)  # 196.4 h: 29.76 h above the standard
    with db.tenant(tenant) as session:
        assert overtime.refresh(session, tenant, MARCH)[uid].overtime == Decimal("29.7600")
        assert overtime.stored(session, MARCH)[uid].overtime == Decimal("29.7600")
    with db.platform() as session:
        other = factories.tenant(session, "ot2").id
    with db.tenant(other) as session:  # another tenant neither sees nor rolls up these shifts
        assert overtime.refresh(session, other, MARCH) == {} and overtime.stored(session, MARCH) == {}
    with db.tenant(tenant) as session:
        assert overtime.stored(session, MARCH)[uid].scheduled == Decimal("196.4000")


def test_sign_off_rolls_the_month_up_and_later_changes_leave_the_signed_statement_alone(db: Database) -> None:
    tenant, a, _b, uid = _mover(db)
    with db.tenant(tenant) as session:
        signed = statements.sign(session, tenant, statements.vendor(session, a), MARCH, "finance")
        assert signed.total == Decimal("6052.90")
        assert overtime.stored(session, MARCH)[uid].overtime == Decimal("33.3600")
    with db.tenant(tenant) as session:  # a longer shift, a worse QA score, and the month rolled up again
        first = session.scalars(select(Shift).where(Shift.user_id == uid).order_by(Shift.starts_at)).first()
        first.ends_at += timedelta(hours=2)
        helpers.evaluation(session, uid, 40.0, at=helpers.MONTH_START + timedelta(days=4))
        overtime.refresh(session, tenant, MARCH)
    with db.tenant(tenant) as session:
        kept = statements.signed(session, a, "2026-03", 1)
        assert kept.total == Decimal("6052.90") and kept.result["seats"][1]["hours"] == "16.68"
        assert kept.inputs["hours"][0]["overtime"] == "16.6800"
        now = statements.preview(session, tenant, statements.vendor(session, a), MARCH)
        assert now.result is not None and now.result["total"] != "6052.90"


def test_the_overtime_command_rolls_up_a_tenants_month_again(db: Database) -> None:
    from click.testing import CliRunner

    from hotline.cli import main

    tenant, _a, _b, uid = _mover(db)
    with db.platform() as session:
        slug = session.get(Tenant, tenant).slug
    env = {"HOTLINE_DATABASE_URL": db.engine.url.render_as_string(hide_password=False)}
    args = ["vendors", "overtime", "--tenant", slug, "--month", "2026-03"]
    for _run in range(2):  # twice: the same rows
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"{slug} 2026-03: 1 agent(s), 33.3600 h above the standard month"
    with db.tenant(tenant) as session:
        assert overtime.stored(session, MARCH)[uid].overtime == Decimal("33.3600")
        assert session.scalar(select(func.count()).select_from(AgentMonthOvertime)) == 1
    bad = CliRunner().invoke(main, ["vendors", "overtime", "--tenant", slug, "--month", "2026-13"], env=env)
    assert bad.exit_code != 0 and "is not a month (YYYY-MM)" in bad.output
