"""The overtime roll-up job: once a day, the current and the previous month of every tenant with vendors are rolled
up again (settlement/overtime.py `refresh`), so the stored overtime the statements and the vendor pages read follows
the schedules without anyone running `hotline vendors overtime` (task 15c item 4).

Why both months: shifts of last month still change in its first days (late imports, corrections) until the
statement is signed, and this month's figures are watched as they grow. `refresh` is idempotent (the same data
leaves the rows untouched), so a run twice a day or by two workers changes nothing. Tenants without vendors have
nothing to bill and are skipped. The chain reschedules itself under a Redis lock like the other periodic jobs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from rq import get_current_job
from sqlalchemy import select

from ..db import Database
from ..models import Vendor
from ..services.ticket_lists import tenant_zone
from ..settlement import overtime
from ..settlement.inputs import parse_month
from .context import job_context
from .queues import Queues

LOCK = "hotline:settlement:overtime:"
#: The first run after a worker starts (a daily chain first run a day later would never run on a daily restart).
FIRST_RUN_SECONDS = 120


def months_to_roll(today: date) -> list[str]:
    """The previous and the current month of a tenant-local day, as YYYY-MM."""
    previous = today.replace(day=1) - timedelta(days=1)
    return [f"{previous.year:04d}-{previous.month:02d}", f"{today.year:04d}-{today.month:02d}"]


def roll_up_all(db: Database, now: datetime) -> dict[tuple[int, str], int]:
    """Rolls up the previous and the current month (in each tenant's zone at `now`) of every tenant with vendors;
    (tenant id, month) -> agents rolled up. Each tenant in its own transaction, so one tenant's failure leaves the
    others' done."""
    with db.platform() as session:
        tenants = list(session.scalars(select(Vendor.tenant_id).distinct().order_by(Vendor.tenant_id)))
    done: dict[tuple[int, str], int] = {}
    for tenant_id in tenants:
        with db.tenant(tenant_id) as session:
            zone = tenant_zone(session)
            for text in months_to_roll(now.astimezone(zone).date()):
                done[(tenant_id, text)] = len(overtime.refresh(session, tenant_id, parse_month(text, zone)))
    return done


def roll_up_overtime(prefix: str = "", every_seconds: int | None = None) -> int:
    """The job: rolls every tenant's two months up now; then, in a chain, schedules the next run."""
    try:
        return sum(roll_up_all(job_context().db, datetime.now(UTC)).values())
    finally:
        job = get_current_job()
        if every_seconds and job is not None:
            schedule(Queues(job.connection, prefix=prefix), every_seconds, release=True)


def schedule(queues: Queues, every_seconds: int = 86400, *, release: bool = False,
             first_in: int | None = None) -> object:
    """Schedules the next roll-up (after `first_in` seconds, else `every_seconds`) unless one is scheduled already
    on these queues (one chain per queue prefix, by a Redis lock)."""
    key = LOCK + queues.prefix
    if release:
        queues.connection.delete(key)
    if not queues.connection.set(key, "1", nx=True, ex=every_seconds * 3):
        return None
    return queues.default.enqueue_in(timedelta(seconds=first_in if first_in is not None else every_seconds),
                                     roll_up_overtime, queues.prefix, every_seconds,
                                     description="roll up this and last month's overtime of every tenant with vendors")
