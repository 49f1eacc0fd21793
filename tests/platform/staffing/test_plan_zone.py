"""The day plan averages the same weekday in the tenant's zone: a Monday 07:00 in Asia/Shanghai is Sunday
23:00 UTC, and it is Monday's 07:00 interval; a Sunday 23:30 local call (Sunday 15:30 UTC) is no Monday's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import time_machine

from hotline.platform.db import Database
from hotline.platform.staffing.plan import day_plan, history
from tests.platform.wallboard_helpers import add_call, make_tenant

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 4, 13, 9, 0, tzinfo=SHANGHAI)  # Monday; history: the Mondays before it
SETTINGS = {"timezone": "Asia/Shanghai"}


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def test_calls_near_midnight_are_matched_to_the_local_weekday_and_interval(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_call(db, tenant_id, _local(2026, 4, 6, 0, 10))  # Monday 00:10 local = Sunday 16:10 UTC
    add_call(db, tenant_id, _local(2026, 4, 6, 7, 5))  # Monday 07:05 local = Sunday 23:05 UTC
    add_call(db, tenant_id, _local(2026, 4, 6, 23, 50))  # Monday 23:50 local = Monday 15:50 UTC
    add_call(db, tenant_id, _local(2026, 4, 5, 23, 30))  # Sunday 23:30 local = Sunday 15:30 UTC: not Monday
    add_call(db, tenant_id, _local(2026, 4, 7, 7, 30))  # Tuesday 07:30 local = Monday 23:30 UTC: not Monday
    with time_machine.travel(NOW, tick=False), db.tenant(tenant_id) as session:
        days, averaged = history(session, SETTINGS, date(2026, 4, 13), 60)
        _, plans = day_plan(session, SETTINGS, date(2026, 4, 13), 60, 0.8, 20, 0.3)
    assert days == [date(2026, 4, 6)]
    assert {index: calls for index, (calls, _handle) in averaged.items()} == {0: 1.0, 7: 1.0, 23: 1.0}
    busy = {p.start.strftime("%a %H:%M"): p.calls for p in plans if p.calls}
    assert busy == {"Mon 00:00": 1.0, "Mon 07:00": 1.0, "Mon 23:00": 1.0}
