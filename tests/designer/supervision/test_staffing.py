"""The staffing calculator: one interval's agents from the Erlang formulas, a day's plan from the tenant's own
history (same weekday, holidays apart, test calls never counted), bad arguments named, tenants and roles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.platform.db import Database
from hotline.platform.services.tenants import get_tenant
from tests.platform.wallboard_helpers import add_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLAN_DAY = date(2026, 3, 16)  # a Monday; history: the four Mondays before it


def test_the_published_example_on_the_page_and_in_json(api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    body = supervisor.get("/supervision/api/staffing?calls=100&interval=30&handle=180&level=80&within=20"
                          "&shrinkage=30").get_json()
    assert body["interval"]["agents"] == 14 and body["interval"]["positions"] == 20
    assert round(body["interval"]["service_level"], 5) == 0.88835
    patient = supervisor.get("/supervision/api/staffing?calls=100&patience=300").get_json()["interval"]
    assert patient["agents"] == 13 and 0.02 < patient["abandon_rate"] < 0.03
    html = supervisor.get("/supervision/staffing?calls=100").get_data(as_text=True)
    assert "排班测算" in html and '<td class="agents">14</td>' in html and '<td class="positions">20</td>' in html


def test_bad_arguments_are_named_and_typed_values_kept(api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    bad = supervisor.get("/supervision/api/staffing?calls=lots&interval=45&level=nan")
    assert bad.status_code == 400
    errors = " ".join(bad.get_json()["errors"])
    assert "每时段来电量：lots" in errors and "时段长度（分钟）" in errors and "服务水平目标（%）：nan" in errors
    page = supervisor.get("/supervision/staffing?calls=lots&plan=day&day=tomorrow")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'value="lots"' in html and "日期：请按 YYYY-MM-DD 填写日期" in html
    unmeetable = supervisor.get("/supervision/api/staffing?calls=100000&interval=15&handle=7200").get_json()
    assert "名以内的座席都无法做到" in unmeetable["interval"]["error"]
    impossible = "/supervision/staffing?calls=100000&interval=30&handle=300&level=80&within=20&shrinkage=30"
    html = supervisor.get(impossible + "&lang=zh_CN").get_data(as_text=True)
    assert "话务量 16666.7 爱尔兰时，5000 名以内的座席都无法做到 20 秒内接听 80% 的来电" in html
    assert "no number of agents" not in html
    english = supervisor.get(impossible.replace("/staffing", "/api/staffing") + "&lang=en").get_json()
    assert english["interval"]["error"].startswith("no number of agents up to 5000 answers 80%")


def test_the_day_plan_averages_the_same_weekday_and_skips_holidays_and_test_calls(db: Database, api_as,
                                                                                 world) -> None:
    with db.platform() as session:
        tenant = get_tenant(session, world.tenant_a)
        tenant_id = tenant.id
        calendar = dict(tenant.settings.get("calendar") or {})
        calendar["holidays"] = [*calendar.get("holidays", []), (PLAN_DAY - timedelta(weeks=2)).isoformat()]
        tenant.settings = {**tenant.settings, "calendar": calendar}
    ten_am = datetime.combine(PLAN_DAY, datetime.min.time(), tzinfo=SHANGHAI).replace(hour=10)
    for weeks, calls in ((1, 40), (2, 500), (3, 20)):  # week 2 is the holiday: left out of an ordinary Monday
        for i in range(calls):
            add_call(db, tenant_id, (ten_am - timedelta(weeks=weeks) + timedelta(seconds=20 * i)).astimezone(UTC),
                     talk=240.0)
    add_call(db, tenant_id, (ten_am - timedelta(weeks=1)).astimezone(UTC), talk=240.0, test_call=True)
    with db.platform() as session:
        tenant_b = get_tenant(session, world.tenant_b).id
    for i in range(100):  # tenant B's Monday never reaches tenant A's plan
        add_call(db, tenant_b, (ten_am - timedelta(weeks=1) + timedelta(seconds=i)).astimezone(UTC), talk=30.0)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    plan = supervisor.get(f"/supervision/api/staffing?calls=0&plan=day&day={PLAN_DAY}&interval=30").get_json()["plan"]
    assert plan["history_days"] == ["2026-03-09", "2026-02-23"]  # 2026-03-02 is the holiday; 02-16 had no calls
    by_start = {row["start"][11:16]: row for row in plan["intervals"]}
    ten = by_start["10:00"]
    # 40 + 20 calls over two Mondays, 20 s apart: 30 average in 10:00-10:30; talk 240 s each
    assert ten["calls"] == 30.0 and ten["handle_seconds"] == 240
    assert ten["agents"] >= 4 + 1 and ten["service_level"] >= 0.8  # 4 Erlangs need at least 5 agents
    assert by_start["09:30"]["calls"] == 0
    holiday = supervisor.get(f"/supervision/api/staffing?calls=0&plan=day&day={PLAN_DAY}&holiday=1").get_json()
    assert holiday["plan"]["history_days"] == ["2026-03-02"]


def test_the_day_plan_averages_complete_days_only_and_says_when_it_has_none(api_as, world, db: Database) -> None:
    import time_machine

    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    now = datetime(2026, 4, 6, 10, 30, tzinfo=SHANGHAI)  # a Monday morning: today is still in progress
    for i in range(20):
        add_call(db, tenant_id, (now - timedelta(minutes=25) + timedelta(seconds=30 * i)).astimezone(UTC), talk=60.0)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    with time_machine.travel(now, tick=False):
        plan = supervisor.get("/supervision/api/staffing?calls=0&plan=day&day=2026-04-13&lang=en").get_json()["plan"]
        holiday = supervisor.get("/supervision/api/staffing?calls=0&plan=day&day=2026-04-13&holiday=1&lang=zh_CN"
                                 ).get_json()["plan"]
    assert plan["history_days"] == [] and all(row["calls"] is None for row in plan["intervals"])  # missing, not 0
    assert plan["notice"].startswith("No complete day of the same weekday")
    assert holiday["history_days"] == [] and "节假日计划没有可平均的历史数据" in holiday["notice"]


def test_only_supervisors_and_tenant_admins_open_it(api_as, world) -> None:
    assert api_as(world.agent_a, world.tenant_a).get("/supervision/staffing").status_code == 403
    assert api_as(world.admin_a, world.tenant_a).get("/supervision/staffing").status_code == 200
