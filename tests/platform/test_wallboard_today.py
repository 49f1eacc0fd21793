"""Today's figures from the call records: the tenant's local day, and every count and average per queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Queue
from hotline.platform.wallboard import tenant_figures
from hotline.platform.wallboard.today import (
    day_bounds,
    runtime_wrap_up_default,
    tenant_zone,
    totals_by_queue,
    wrap_up_source,
)

from .wallboard_helpers import add_call, make_tenant

# 10:00 in Shanghai on 30 November (02:00 UTC)
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def test_the_day_is_the_tenants_local_day() -> None:
    day, start, end = day_bounds(NOW, ZoneInfo("Asia/Shanghai"))
    assert day.isoformat() == "2026-11-30"
    assert start == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


def test_a_daylight_saving_day_has_its_real_length() -> None:
    _, start, end = day_bounds(datetime(2026, 3, 8, 18, 0, tzinfo=UTC), ZoneInfo("America/New_York"))
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)


def test_the_zone_comes_from_settings_then_the_calendar_then_utc() -> None:
    assert tenant_zone({"timezone": "Asia/Shanghai"}).key == "Asia/Shanghai"
    assert tenant_zone({"calendar": {"timezone": "Europe/Paris"}}).key == "Europe/Paris"
    assert tenant_zone({}).key == "UTC"
    assert tenant_zone({"timezone": "Mars/Olympus"}).key == "UTC"


def test_only_calls_started_in_the_local_day_count(db: Database) -> None:
    tenant_id = make_tenant(db)
    local_midnight = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    add_call(db, tenant_id, local_midnight - timedelta(seconds=1))  # 23:59:59 yesterday, local
    add_call(db, tenant_id, local_midnight)  # 00:00:00 today
    add_call(db, tenant_id, NOW - timedelta(minutes=5))
    add_call(db, tenant_id, local_midnight + timedelta(days=1))  # 00:00 tomorrow
    figures = tenant_figures(db, tenant_id, None, now=NOW)
    assert figures["day"] == "2026-11-30"
    assert figures["totals"]["offered"] == 2
    # The "updated" time in the tenant's zone, 24-hour (QA of issue 11, item 6).
    assert figures["generated_local"] == NOW.astimezone(tenant_zone({"timezone": "Asia/Shanghai"})).strftime("%H:%M:%S")


def test_counts_service_level_and_averages_per_queue(db: Database) -> None:
    tenant_id = make_tenant(db, queues={"general": 20, "vip": 10})
    t0 = NOW - timedelta(hours=1)
    add_call(db, tenant_id, t0, wait=5, talk=100)  # answered in target
    add_call(db, tenant_id, t0, wait=20, talk=200)  # answered exactly at the target: counts
    add_call(db, tenant_id, t0, wait=45, talk=60)  # answered late
    add_call(db, tenant_id, t0, wait=30, talk=None, outcome="abandoned")  # hung up waiting
    # as the runtime writes them: the queue's outcome in the trace, no answered_at
    add_call(db, tenant_id, t0, wait=12, talk=None, outcome="caller_hangup", trace_status="abandoned")  # ringing
    add_call(db, tenant_id, t0, wait=8, talk=90, outcome="caller_hangup", trace_status="answered")  # hung up talking
    add_call(db, tenant_id, t0, wait=120, talk=None, outcome="completed", trace_status="timeout")  # to voicemail
    add_call(db, tenant_id, t0, queue=None, wait=None, talk=None)  # IVR only: never offered to a queue
    add_call(db, tenant_id, t0, queue="vip", wait=12, talk=30)  # VIP's target is 10 s: late
    add_call(db, tenant_id, t0, queue="vip", wait=3, talk=50)

    figures = tenant_figures(db, tenant_id, None, now=NOW)
    general = next(q for q in figures["queues"] if q["name"] == "general")
    assert (general["offered"], general["answered"], general["abandoned"]) == (7, 4, 2)
    assert general["answered_in_target"] == 3
    assert general["target_seconds"] == 20
    assert general["service_level"] == pytest.approx(42.9)
    assert general["abandon_rate"] == pytest.approx(28.6)
    assert general["asa"] == pytest.approx((5 + 20 + 45 + 8) / 4, abs=0.05)
    # handle time over the calls whose talk is known; wrap-up: the runtime's default (queues set none)
    wrap = runtime_wrap_up_default() if wrap_up_source() == "queue" else 0
    assert general["aht"] == pytest.approx(120.0 + wrap, abs=0.05)
    assert general["average_talk"] == pytest.approx(120.0, abs=0.05)
    vip = next(q for q in figures["queues"] if q["name"] == "vip")
    assert (vip["offered"], vip["answered"], vip["answered_in_target"], vip["target_seconds"]) == (2, 2, 1, 10)
    assert vip["service_level"] == 50.0
    totals = figures["totals"]
    assert (totals["offered"], totals["answered"], totals["abandoned"]) == (9, 6, 2)
    assert totals["service_level"] == pytest.approx(44.4)
    assert totals["aht"] == pytest.approx((100 + 200 + 60 + 30 + 50) / 5 + wrap, abs=0.05)


def test_a_queues_own_wrap_up_is_part_of_its_handle_time(db: Database) -> None:
    if wrap_up_source() != "queue":
        pytest.skip("queues have no wrap_up_seconds column in this schema")
    tenant_id = make_tenant(db, queues={"general": 20})
    with db.tenant(tenant_id) as session:
        session.scalars(select(Queue)).one().wrap_up_seconds = 30
    add_call(db, tenant_id, NOW - timedelta(minutes=3), wait=5, talk=100)
    general = tenant_figures(db, tenant_id, None, now=NOW)["queues"][0]
    assert general["aht"] == pytest.approx(130.0, abs=0.05)
    assert general["average_talk"] == pytest.approx(100.0, abs=0.05)


def test_the_wallboards_handle_time_is_the_reports_one(db: Database) -> None:
    """The recorded talk (hold and the agent's leg, as the runtime measures it) wins over ended - answered, and a
    call answered only in the trace counts with its recorded talk, as in the day's report."""
    if wrap_up_source() != "queue":
        pytest.skip("queues have no wrap_up_seconds column in this schema")
    from hotline.platform.reports import classify

    tenant_id = make_tenant(db, queues={"general": 20})
    with db.tenant(tenant_id) as session:
        session.scalars(select(Queue)).one().wrap_up_seconds = 10
    add_call(db, tenant_id, NOW - timedelta(minutes=3), wait=5, talk=160, talk_seconds=100.0)
    add_call(db, tenant_id, NOW - timedelta(minutes=2), wait=5, talk=None, trace_status="answered", talk_seconds=40.0)
    general = tenant_figures(db, tenant_id, None, now=NOW)["queues"][0]
    with db.tenant(tenant_id) as session:
        records = session.scalars(select(CallRecord)).all()
        facts = {"general": classify.QueueFacts(20, 10.0)}
        handles = [classify.call_counts({c: getattr(r, c) for c in (
            "queue", "outcome", "wait_seconds", "answered_at", "ended_at", "talk_seconds", "trace")}, facts)
            .get("handle_sum") for r in records]
    assert sorted(h for h in handles if h is not None) == [50.0, 110.0]
    assert general["aht"] == pytest.approx((110.0 + 50.0) / 2, abs=0.05)  # was 170 (160 s + 10 s), one call
    assert general["average_talk"] == pytest.approx(70.0, abs=0.05)


def test_a_queue_without_calls_has_no_ratios_yet(db: Database) -> None:
    tenant_id = make_tenant(db, queues={"quiet": None})
    figures = tenant_figures(db, tenant_id, None, now=NOW)
    quiet = figures["queues"][0]
    assert quiet["offered"] == 0
    assert quiet["service_level"] is None and quiet["asa"] is None and quiet["aht"] is None
    assert quiet["target_seconds"] == 20
    assert quiet["colours"]["service_level"] == "none"
    assert figures["live"] == {"available": False, "error": "no ACD configured"}


def test_calls_of_a_queue_without_configuration_still_show(db: Database) -> None:
    tenant_id = make_tenant(db, queues={})
    add_call(db, tenant_id, NOW - timedelta(minutes=1), queue="adhoc", wait=25, talk=10)
    [adhoc] = tenant_figures(db, tenant_id, None, now=NOW)["queues"]
    assert adhoc["name"] == "adhoc" and not adhoc["configured"]
    assert adhoc["target_seconds"] == 20 and adhoc["answered_in_target"] == 0


def test_another_tenants_calls_never_count(db: Database) -> None:
    a, b = make_tenant(db), make_tenant(db)
    add_call(db, b, NOW - timedelta(minutes=1))
    add_call(db, a, NOW - timedelta(minutes=1), queue="vip")
    with db.tenant(a) as session:
        _, start, end = day_bounds(NOW, ZoneInfo("Asia/Shanghai"))
        totals = totals_by_queue(session, start, end)
    assert set(totals) == {"vip"} and totals["vip"].offered == 1
