"""The staffing calculator's weekday is the tenant's: at Monday 07:30 in Asia/Shanghai (Sunday 23:30 UTC) it starts
from the Mondays of its history, and a day plan for a Monday counts a Monday 07:05 call (Sunday 23:05 UTC) in
its 07:00 interval, never a Sunday-night or Tuesday-morning call (QA 14)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine

from hotline.platform.db import Database
from hotline.platform.models import Role
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import make_user
from tests.platform.wallboard_helpers import add_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 4, 13, 7, 30, tzinfo=SHANGHAI)  # Monday local, still Sunday 12 April in UTC


def test_the_weekday_and_intervals_are_the_tenants_local_ones(db: Database, api_as, world) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_b).id
    for local in (datetime(2026, 4, 6, 7, 5), datetime(2026, 4, 6, 7, 10), datetime(2026, 4, 6, 0, 10),
                  datetime(2026, 4, 5, 23, 30), datetime(2026, 4, 7, 7, 20)):  # Mon ×3, then Sun and Tue nights
        add_call(db, tenant_id, local.replace(tzinfo=SHANGHAI).astimezone(UTC))
    supervisor = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
    with time_machine.travel(NOW, tick=False):
        body = supervisor.get("/supervision/api/staffing?interval=60").get_json()
        plan = supervisor.get("/supervision/api/staffing?interval=60&calls=5&plan=day&day=2026-04-13").get_json()
    assert body["defaults"]["interval_start"] == "07:00" and body["defaults"]["calls"] == 2.0
    assert body["defaults"]["history_days"] == ["2026-04-06"]
    busy = {row["start"][11:16]: row["calls"] for row in plan["plan"]["intervals"] if row["calls"]}
    assert busy == {"00:00": 1.0, "07:00": 2.0}
