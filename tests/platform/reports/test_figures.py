"""Every report figure from seeded calls and tickets equals the value computed by hand: abandons in the IVR vs
the queue, service level, ASA, AHT and its p90, self-service, satisfaction; ticket timeliness across business
hours (the clock of each step frozen), urges, complaints and their hottest topics; empty periods give zeros."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hotline.platform.db import Database
from hotline.platform.models import Tenant, TicketUrge
from hotline.platform.reports.periods import Period, PeriodError, parse
from hotline.platform.reports.service import call_report, hot_topics, ticket_report
from hotline.platform.services import templates, tickets

from .seed import T10, add_calls, make_tenant, seeded_calls
from .seed import call as seed_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def _local(hour: int, minute: int, day: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def test_call_figures_of_a_day_equal_the_hand_computed_ones(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    with db.tenant(tenant_id) as session:
        day = call_report(session, tenant_id, Period(MONDAY, MONDAY, "day", SHANGHAI))
    assert len(day.rows) == 1
    f = day.rows[0]
    assert (f["calls"], f["offered"], f["answered"]) == (11, 6, 4)
    assert (f["abandoned_ivr"], f["abandoned_queue"], f["abandoned_short"]) == (2, 1, 1)
    assert f["service_level"] == 40.0  # 2 within target / (6 offered - 1 short abandon)
    assert f["abandon_rate"] == 20.0  # 1 / 5
    assert f["asa"] == 20.5  # (5 + 20 + 45 + 12) / 4
    assert f["aht"] == 110.0  # (110 + 210 + 70 + 50) / 4
    assert f["aht_p90"] == 210.0  # nearest rank 4 of 4: the 210 s call, the upper edge of its bucket
    assert (f["transfers"], f["callbacks"], f["self_service"]) == (1, 1, 2)
    assert f["self_service_rate"] == 18.2  # 2 / 11
    assert (f["surveys"], f["satisfaction"], f["survey_average"]) == (2, 50.0, 3.5)


def test_handle_p90_is_never_above_the_longest_possible_call() -> None:
    from hotline.platform.reports.figures import handle_p90

    assert handle_p90({"h01": 3, "handle_sum": 105.0, "handle_max": 35.0}) == 35.0  # three 35 s calls (was 45.0)
    assert handle_p90({"h01": 3, "handle_sum": 105.0}) == 45.0  # rows written before the maximum was kept
    assert handle_p90({"h01": 1, "handle_sum": 35.0, "handle_max": 35.0}) == 35.0  # one call: exactly it
    assert handle_p90({"h00": 1, "h06": 1, "handle_sum": 20 + 210.0, "handle_max": 210.0}) == 210.0
    assert handle_p90({"h23": 1, "handle_sum": 4000.0, "handle_max": 4000.0}) == 4000.0  # the open bucket


def _p90_calls(t: datetime, talks: list[float]) -> list[dict]:
    # the vip queue has no wrap-up: handle time = talk
    return [seed_call(t + i * timedelta(seconds=20), queue="vip", wait=2, talk=talk) for i, talk in enumerate(talks)]


def test_p90_of_seeded_calls_is_never_above_the_longest_and_equals_the_hand_computed_value(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, _p90_calls(T10, [35.0] * 3))
    add_calls(db, tenant_id, _p90_calls(T10 + timedelta(days=1), [35.0] * 9 + [41.0]))
    with db.tenant(tenant_id) as session:
        days = call_report(session, tenant_id, Period(MONDAY, MONDAY + timedelta(days=1), "day", SHANGHAI))
    three, ten = days.rows
    # three 35 s calls, all in (30, 60]: the bucket closes at the longest call, 35 s (the histogram alone: 45 s)
    assert (three["aht_p90"], three["aht"]) == (35.0, 35.0)
    # ten calls in (30, 60], nearest rank 9 of 10, the bucket closed at 41 s: 30 + (41 - 30) × 9/10 = 39.9
    assert ten["aht_p90"] == 39.9 and ten["aht_p90"] <= 41.0
    with db.tenant(tenant_id) as session:
        both = call_report(session, tenant_id, Period(MONDAY, MONDAY + timedelta(days=1), "week", SHANGHAI))
    # thirteen calls over two days: rank 12 of 13 in (30, 41]: 30 + 11 × 12/13 = 40.2, still below 41 s
    assert both.rows[0]["aht_p90"] == 40.2


def test_an_empty_period_with_a_breakdown_lists_every_bucket_with_zeros(db: Database) -> None:
    tenant_id = make_tenant(db)
    period = Period(date(2026, 2, 2), date(2026, 2, 8), "day", SHANGHAI)
    with db.tenant(tenant_id) as session:
        queues = call_report(session, tenant_id, period, "queue")
        forms = ticket_report(session, tenant_id, period, "form")
    for report in (queues, forms):
        assert [r["period"] for r in report.rows] == [f"2026-02-0{d}" for d in range(2, 9)]
        assert {r["label"] for r in report.rows} == {"—"}
    assert all(r["offered"] == 0 for r in queues.rows) and all(r["created"] == 0 for r in forms.rows)


def test_empty_periods_are_zeros_and_dimensions_split_the_day(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    with db.tenant(tenant_id) as session:
        hours = call_report(session, tenant_id, Period(MONDAY, MONDAY, "60min", SHANGHAI))
        queues = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "queue")
        skills = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "skill")
        empty = call_report(session, tenant_id, Period(date(2026, 2, 1), date(2026, 2, 28), "week", SHANGHAI))
    assert [r["period"][11:] for r in hours.rows][:3] == ["00:00", "01:00", "02:00"] and len(hours.rows) == 24
    assert [r["offered"] for r in hours.rows if r["period"].endswith("10:00")] == [6]
    assert sum(r["calls"] for r in hours.rows) == 11 and hours.rows[0]["calls"] == 0
    assert hours.rows[0]["service_level"] is None
    by = {r["label"]: r for r in queues.rows}
    assert (by["综合"]["offered"], by["综合"]["answered"], by["综合"]["service_level"]) == (5, 3, 50.0)
    assert (by["VIP"]["offered"], by["VIP"]["service_level"]) == (1, 0.0)  # 12 s against a 10 s target
    assert by["—"]["calls"] == 5 and by["—"]["abandoned_ivr"] == 2
    assert {r["key"]: r["offered"] for r in skills.rows} == {"general": 5, "vip": 1, "": 0}  # "": 未排队
    # a week the range cuts is labelled with the days it holds (it was "2026-01-26", a day before the range)
    assert [r["period"] for r in empty.rows] == ["第5周（2月1日）", "第6周（2月2日–2月8日）", "第7周（2月9日–2月15日）",
                                                 "第8周（2月16日–2月22日）", "第9周（2月23日–2月28日）"]
    assert all(r["offered"] == 0 and r["calls"] == 0 for r in empty.rows) and empty.totals["asa"] is None


def test_a_range_too_long_for_its_grouping_says_what_is_allowed() -> None:
    with pytest.raises(PeriodError, match="at most 31"):
        parse("2026-01-01", "2026-03-01", "15min", SHANGHAI, MONDAY)
    with pytest.raises(PeriodError, match="is before"):
        parse("2026-03-09", "2026-03-01", "day", SHANGHAI, MONDAY)
    assert parse("", "", "day", SHANGHAI, MONDAY).first == date(2026, 3, 3)


@pytest.fixture(scope="module")
def express(db: Database) -> int:
    slug = f"x{uuid.uuid4().hex[:8]}"
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("express_delivery"), slug, None, "test")
        return tenant.id


def _ticket(db: Database, tenant_id: int, at: datetime, form: str, data: dict) -> str:
    with time_machine.travel(at, tick=False), db.tenant(tenant_id) as session:
        return tickets.create(session, form, data, "agent1").number


def _move(db: Database, tenant_id: int, at: datetime, number: str, to: str) -> None:
    with time_machine.travel(at, tick=False), db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        tickets.transition(session, number, to, base_revision=ticket.revision, actor="agent1")


def test_ticket_timeliness_across_business_hours_urges_and_complaints(db: Database, express: int) -> None:
    tenant_id = express
    query = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}
    # A: created 20:50 Monday; business hours end at 21:00, so 30 business minutes end 08:20 Tuesday.
    a = _ticket(db, tenant_id, _local(20, 50), "tracking_query", query)
    _move(db, tenant_id, _local(8, 15, 10), a, "processing")  # 11 h 25 min later, yet in time
    _move(db, tenant_id, _local(12, 0, 10), a, "done")  # 240 business minutes ended 11:50 Tuesday: late
    # B: created 10:00 Monday: response due 10:30, resolution 14:00.
    b = _ticket(db, tenant_id, _local(10, 0), "tracking_query", {**query, "question_type": "eta"})
    _move(db, tenant_id, _local(10, 40), b, "processing")  # late
    _move(db, tenant_id, _local(10, 50), b, "done")  # in time
    complaint = {"phone": "13800000000", "complaint_type": "attitude", "severity": "normal",
                 "details": "快递员态度恶劣，包裹破损"}
    c = _ticket(db, tenant_id, _local(10, 5), "complaint", complaint)
    _move(db, tenant_id, _local(10, 20), c, "processing")  # 30 wall-clock minutes (no business hours): in time
    _ticket(db, tenant_id, _local(10, 10), "complaint", {**complaint, "complaint_type": "damaged",
                                                            "details": "包裹破损严重，要求赔偿"})
    with db.tenant(tenant_id) as session:
        ticket_c = tickets.get(session, c)
        session.add(TicketUrge(ticket_id=ticket_c.id, actor="supervisor", note="快"))
    _ticket(db, tenant_id, _local(23, 59, 8), "tracking_query", query)  # Sunday: another day
    with db.tenant(tenant_id) as session:
        day = ticket_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI))
        forms = ticket_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "form")
        categories = ticket_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "category",
                                   {"complaints": True})
        topics = dict(hot_topics(session, tenant_id, Period(MONDAY, MONDAY, "day", SHANGHAI)))
        zone = session.get(Tenant, tenant_id).settings["timezone"]
    assert zone == "Asia/Shanghai"
    t = day.totals
    assert (t["created"], t["responded_in_time"], t["responded_late"]) == (4, 2, 1)
    # the 10:10 complaint was never responded to and is past its 10:40 response due: late too (issue 14 item 6)
    assert t["response_overdue"] == 1
    assert t["response_rate"] == 50.0  # 2 in time ÷ (3 responded + 1 overdue unresponded)
    assert (t["completed_in_time"], t["completed_late"], t["completion_rate"]) == (1, 1, 50.0)
    assert (t["urges"], t["urged_tickets"], t["complaints"]) == (1, 1, 2)
    by_form = {r["label"]: r for r in forms.rows}
    query_form = by_form["查件登记"]
    assert (query_form["created"], query_form["response_rate"], query_form["completion_rate"]) == (2, 50.0, 50.0)
    assert (by_form["投诉"]["created"], by_form["投诉"]["response_rate"], by_form["投诉"]["urges"]) == (2, 50.0, 1)
    assert {r["label"]: r["complaints"] for r in categories.rows} == {"投诉 / 服务态度": 1, "投诉 / 快件破损": 1}
    # words as rjieba's normal cut makes them, each counted once (QA 14: the search cut counted fragments too)
    assert topics["破损"] == 2 and topics["包裹"] == 2 and topics["态度恶劣"] == 1 and "态度" not in topics, topics


def test_an_unanswered_ticket_counts_late_only_once_past_its_response_due(db: Database, express: int) -> None:
    """Before its due time an unanswered ticket is not yet late: the rate is over responded tickets only."""
    query = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}
    a = _ticket(db, express, _local(10, 0, 16), "tracking_query", query)  # response due 10:30
    _ticket(db, express, _local(10, 1, 16), "tracking_query", query)  # never answered
    _move(db, express, _local(10, 10, 16), a, "processing")
    monday = Period(date(2026, 3, 16), date(2026, 3, 16), "total", SHANGHAI)
    with db.tenant(express) as session:
        before = ticket_report(session, express, monday, now=_local(10, 20, 16)).totals
        after = ticket_report(session, express, monday, now=_local(11, 0, 16)).totals
        by_form = ticket_report(session, express, monday, "form", now=_local(11, 0, 16)).rows
    assert (before["response_overdue"], before["response_rate"]) == (0, 100.0)
    assert (after["response_overdue"], after["response_rate"]) == (1, 50.0)
    assert [(r["label"], r["response_overdue"], r["response_rate"]) for r in by_form] == [("查件登记", 1, 50.0)]


def test_days_weeks_and_months_follow_the_tenants_zone_across_a_dst_change(db: Database) -> None:
    """Berlin moves to summer time on Sunday 29 March 2026 (a 23-hour day): calls just after local midnight and
    just before the next one stay on their local day, week and month (PostgreSQL adds intervals up by local day
    in SQL, SQLite in Python: both must agree)."""
    berlin = ZoneInfo("Europe/Berlin")
    tenant_id = make_tenant(db, settings={"timezone": "Europe/Berlin"})
    moments = [datetime(2026, 3, 29, 0, 10, tzinfo=berlin), datetime(2026, 3, 29, 23, 50, tzinfo=berlin),
               datetime(2026, 3, 30, 0, 5, tzinfo=berlin), datetime(2026, 3, 31, 23, 55, tzinfo=berlin),
               datetime(2026, 4, 1, 0, 20, tzinfo=berlin)]
    add_calls(db, tenant_id, [seed_call(at.astimezone(UTC), queue=None, outcome="completed") for at in moments])
    with db.tenant(tenant_id) as session:
        days = call_report(session, tenant_id, Period(date(2026, 3, 28), date(2026, 4, 1), "day", berlin))
        weeks = call_report(session, tenant_id, Period(date(2026, 3, 23), date(2026, 4, 5), "week", berlin))
        months = call_report(session, tenant_id, Period(date(2026, 3, 1), date(2026, 4, 30), "month", berlin))
    assert [(r["period"], r["calls"]) for r in days.rows] == [
        ("2026-03-28", 0), ("2026-03-29", 2), ("2026-03-30", 1), ("2026-03-31", 1), ("2026-04-01", 1)]
    assert [(r["period"], r["calls"]) for r in weeks.rows] == [("第13周（3月23日–3月29日）", 2),
                                                               ("第14周（3月30日–4月5日）", 3)]
    assert [(r["period"], r["calls"]) for r in months.rows] == [("2026-03", 4), ("2026-04", 1)]


def test_totals_count_a_call_once_and_keep_p90_within_the_longest_call(db: Database) -> None:
    """QA 14 round 4 #1, #2: by skill, a queue holding two skills put each call in both rows and the total added
    them (12 calls of 6); by any breakdown the total's p90 used the sum of the rows' longest calls (60 s where
    every call took 35 s). The totals equal the day's own figures."""
    from sqlalchemy import update

    from hotline.platform.models import Queue

    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    with db.tenant(tenant_id) as session:
        session.execute(update(Queue).where(Queue.name == "general").values(skills=["general", "vip"]))
    with db.tenant(tenant_id) as session:
        day = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI))
        skills = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "skill")
        queues = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "queue")
        hours = call_report(session, tenant_id, Period(MONDAY, MONDAY, "60min", SHANGHAI))
    assert {r["key"]: r["offered"] for r in skills.rows} == {"general": 5, "vip": 6, "": 0}  # general's in both
    for report in (skills, queues, hours):
        assert (report.totals["calls"], report.totals["offered"], report.totals["answered"]) == (11, 6, 4)
        assert report.totals["aht_p90"] == day.rows[0]["aht_p90"] == 210.0


def test_a_caller_who_hangs_up_after_a_self_service_result_is_self_service_not_an_ivr_abandon(db: Database) -> None:
    """Hanging up during the result menu or the goodbye after the lookup answered is self-service completed, in
    the report, its drill-down outcome and the funnel alike; asking for an agent first, or no answer, is an abandon."""
    from hotline.platform.reports.funnel import funnel

    menu = {"node": "menu", "type": "menu", "digits": ["1"], "next": "track"}
    found = {"node": "track", "type": "lookup", "info": {"found": True}, "next": "result"}
    missing = {"node": "track", "type": "lookup", "info": {"found": False}, "next": "result"}
    m = timedelta(minutes=1)
    hangup = {"queue": None, "outcome": "caller_hangup"}
    add_calls_ = [
        seed_call(T10, steps=[menu, found, {"node": "result", "type": "menu"}], **hangup),  # self-service
        seed_call(T10 + m, steps=[menu, dict(found, next="bye"), {"node": "bye", "type": "hangup"}], **hangup),  # s-s
        seed_call(T10 + 2 * m, steps=[menu, found, {"node": "result", "type": "menu", "digits": ["0"], "next": "out"},
                                      {"node": "out", "type": "transfer"}], **hangup),  # asked for an agent
        seed_call(T10 + 3 * m, steps=[menu, missing, {"node": "result", "type": "menu"}], **hangup),  # no answer
    ]
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, add_calls_)
    with db.tenant(tenant_id) as session:
        f = call_report(session, tenant_id, Period(MONDAY, MONDAY, "day", SHANGHAI)).rows[0]
        paths = funnel(session, tenant_id, "main", 1, Period(MONDAY, MONDAY, "total", SHANGHAI))
    assert (f["calls"], f["self_service"], f["abandoned_ivr"]) == (4, 2, 2)
    assert f["self_service_rate"] == 50.0  # 2 of 4 calls
    assert (paths["completed"], paths["hangups"]) == (2, 2)
    assert paths["nodes"]["result"] == {"reached": 3, "hangups": 1, "completed": 1}
    assert paths["nodes"]["bye"] == {"reached": 1, "hangups": 0, "completed": 1}


def test_asa_and_service_level_count_the_agents_ring_time(db: Database) -> None:
    """ASA runs from queue entry to the agent's answer: the queue step entered 10 s into the call, the agent was
    claimed after 19 s (5 s) and rang 2 s → waits 21 s and 7 s: ASA 14.0, 1 of 2 within 20 s; a rebuild agrees."""
    from hotline.platform.reports import intervals

    queue_step = {"node": "to_agent", "type": "queue", "at_ms": 10000.0}
    calls = [seed_call(T10, wait=claimed, talk=60, steps=[queue_step],
                       answered_at=T10 + timedelta(seconds=10 + claimed + 2)) for claimed in (19, 5)]
    for c in calls:
        c["ended_at"] = c["answered_at"] + timedelta(seconds=60)
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, calls)
    period = Period(MONDAY, MONDAY, "day", SHANGHAI)
    with db.tenant(tenant_id) as session:
        live = call_report(session, tenant_id, period).rows[0]
    assert (live["asa"], live["answered_in_target"], live["service_level"]) == (14.0, 1, 50.0)
    with db.platform() as session:
        intervals.rebuild(session, tenant_id, T10 - timedelta(hours=1), T10 + timedelta(hours=1))
    with db.tenant(tenant_id) as session:
        assert call_report(session, tenant_id, period).rows[0] == live
