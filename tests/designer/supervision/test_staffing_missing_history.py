"""QA 14: a day plan with no history of the weekday listed 48 intervals of 0 agents, though missing history is
missing data, not zeros (docs/reports.md); a day in 1900 was planned with times at the LMT offset +08:05:43.
Missing history is answered as missing (null per interval, with the notice); a day outside the tenant's retention
or more than a year ahead is refused saying the range, in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from hotline.platform.models import Role
from tests.designer.conftest import make_user

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def test_a_day_plan_without_history_is_missing_not_zero_agents(db, api_as, world) -> None:
    admin_b = make_user(db, {world.tenant_b: [Role.TENANT_ADMIN]})
    with time_machine.travel(NOW, tick=False):
        body = api_as(admin_b, world.tenant_b).get("/supervision/api/staffing?plan=day&day=2026-12-07&lang=en")
    plan = body.get_json()["plan"]
    assert plan["history_days"] == [] and plan["notice"].startswith("No complete day of the same weekday")
    assert len(plan["intervals"]) == 48
    assert all(row["agents"] is None and row["calls"] is None and row["positions"] is None
               for row in plan["intervals"]), plan["intervals"][:2]


@pytest.mark.parametrize(("lang", "said"), [("zh_CN", "日期：1900-01-01 不在可排班的日期范围内"),
                                            ("en", "Day: 1900-01-01 is outside the days a plan can be made for")])
def test_a_day_outside_the_retention_or_far_ahead_is_refused(db, api_as, world, lang: str, said: str) -> None:
    admin_b = make_user(db, {world.tenant_b: [Role.TENANT_ADMIN]})
    client = api_as(admin_b, world.tenant_b)
    with time_machine.travel(NOW, tick=False):
        old = client.get(f"/supervision/api/staffing?plan=day&day=1900-01-01&lang={lang}")
        far = client.get(f"/supervision/api/staffing?plan=day&day=2099-01-01&lang={lang}")
        page = client.get(f"/supervision/staffing?plan=day&day=1900-01-01&lang={lang}")
    assert old.status_code == 400 and said in old.get_json()["errors"][0], old.get_json()
    assert far.status_code == 400 and "2099-01-01" in far.get_json()["errors"][0]
    assert page.status_code == 400 and "+08:05" not in page.get_data(as_text=True)
