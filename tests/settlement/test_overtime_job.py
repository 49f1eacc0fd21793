"""Task 15c item 4: the month's overtime roll-up ran only from `hotline vendors overtime` or at sign-off, so the
stored overtime the statement and the vendor pages read was stale between them; the worker now rolls up the current
and the previous month of every tenant with vendors daily, idempotently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.jobs import Queues
from hotline.platform.jobs.overtime import roll_up_overtime
from hotline.platform.jobs.periodic import schedule_periodic
from hotline.platform.models import AgentMonthOvertime, Shift
from hotline.platform.settlement import overtime
from hotline.platform.settlement.inputs import parse_month
from hotline.platform.settlement.terms import EXAMPLE
from tests.jobs_support import BurstWorker

from ..platform import factories
from . import helpers

UTC_ZONE = ZoneInfo("UTC")
#: Early on 2 April 2026: the current month is April, the previous one March (the month the helpers schedule).
NOW = datetime(2026, 4, 2, 3, tzinfo=UTC)


def _tenant_with_a_vendor(db: Database, standard: str = "166.64") -> tuple[int, int]:
    """(tenant, agent): 200 h in March and 10 h in April for a vendor whose contract's standard is `standard`."""
    with db.platform() as session:
        tenant = factories.tenant(session, "otj").id
    with db.tenant(tenant) as session:
        vendor = helpers.vendor(session, "a", {**EXAMPLE, "standard_hours": standard})
        uid = helpers.agent(session, "j1")
        helpers.member(session, vendor.id, uid)
        helpers.shifts(session, uid, "agent", "200")
        helpers.shifts(session, uid, "agent", "10", start=datetime(2026, 4, 1, tzinfo=UTC))
    return tenant, uid


def _tenant_without_vendors(db: Database) -> tuple[int, int]:
    with db.platform() as session:
        tenant = factories.tenant(session, "otn").id
    with db.tenant(tenant) as session:
        uid = helpers.agent(session, "n1")
        helpers.shifts(session, uid, "agent", "200")
    return tenant, uid


def test_the_daily_job_rolls_up_this_and_last_month_of_every_tenant_with_vendors(db: Database, job_database) -> None:
    tenant, uid = _tenant_with_a_vendor(db)
    other, _ = _tenant_without_vendors(db)
    with time_machine.travel(NOW, tick=False):
        roll_up_overtime()
    march, april = parse_month("2026-03", UTC_ZONE), parse_month("2026-04", UTC_ZONE)
    with db.tenant(tenant) as session:
        assert overtime.stored(session, march) == {
            uid: overtime.Rolled(Decimal("200.0000"), Decimal("166.64"), Decimal("33.3600"))}
        assert overtime.stored(session, april) == {
            uid: overtime.Rolled(Decimal("10.0000"), Decimal("166.64"), Decimal("0.0000"))}
        computed = session.scalars(select(AgentMonthOvertime.computed_at).order_by(AgentMonthOvertime.month)).all()
    with db.tenant(other) as session:  # no vendors, nothing to bill: nothing rolled up
        assert session.scalar(select(func.count()).select_from(AgentMonthOvertime)) == 0
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        roll_up_overtime()  # the next day, nothing changed: the same rows, untouched
    with db.tenant(tenant) as session:
        assert session.scalars(select(AgentMonthOvertime.computed_at).order_by(AgentMonthOvertime.month)
                               ).all() == computed
        last = session.scalars(select(Shift).where(Shift.user_id == uid)
                               .order_by(Shift.starts_at.desc())).first()
        last.ends_at += timedelta(hours=2)  # April's last shift: 12 h in April
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        roll_up_overtime()
    with db.tenant(tenant) as session:
        assert overtime.stored(session, april)[uid].scheduled == Decimal("12.0000")
        assert overtime.stored(session, march)[uid].overtime == Decimal("33.3600")


def test_the_worker_schedules_the_roll_up_and_runs_it_as_a_job(db: Database, queues: Queues,
                                                               worker: BurstWorker) -> None:
    tenant, uid = _tenant_with_a_vendor(db, standard="5")
    schedule_periodic(queues)
    scheduled = ScheduledJobRegistry(queue=queues.default)
    names = {queues.default.fetch_job(job_id).func_name for job_id in scheduled.get_job_ids()}
    assert "hotline.platform.jobs.overtime.roll_up_overtime" in names
    with time_machine.travel(NOW, tick=True):
        job = queues.default.enqueue(roll_up_overtime)
        worker.run(until=lambda: job.get_status(refresh=True) in ("finished", "failed"))
    assert job.get_status(refresh=True) == "finished", job.exc_info
    with db.tenant(tenant) as session:  # 10 h in April against the contract's 5 h
        assert overtime.stored(session, parse_month("2026-04", UTC_ZONE))[uid].overtime == Decimal("5.0000")
