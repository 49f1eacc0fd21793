"""Attendance, adherence and overtime from seeded agent-state changes, on a worked day:

ann (extension 7001), shift 09:00-18:00 with 60 min break, on Tuesday 2026-03-10 in Shanghai:
08:50 available, 09:30 on a call, 09:45 wrap-up for 60 s (then available by itself), 10:00 break,
10:30 available, 18:10 offline; the evening before she went offline (the state carried into the day).
bob (7002) has a shift 14:00-18:00 and never logs in. Extension 9999 belongs to nobody. Tenant B's stream has
ann logged in all day too, which tenant A must never see.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hotline.platform import models as m
from hotline.platform.db import Database
from hotline.platform.schedules.attendance import adherence, day_attendance, month_overtime, timelines
from hotline.platform.schedules.hours import day_range

from .. import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 10)


def local(hour: int, minute: int = 0, second: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def world(db: Database, frozen_clock: datetime) -> dict:
    with db.platform() as session:
        a, b = factories.tenant(session, "a"), factories.tenant(session, "b")
        ann, bob = factories.user(session), factories.user(session)
        events = [(ann, "7001", "offline", local(22, day=DAY - timedelta(days=1)), None),
                  (ann, "7001", "available", local(8, 50), None),
                  (ann, "7001", "on_call", local(9, 30), None),
                  (ann, "7001", "wrap_up", local(9, 45), local(9, 46)),
                  (ann, "7001", "break", local(10), None),
                  (ann, "7001", "available", local(10, 30), None),
                  (ann, "7001", "offline", local(18, 10), None),
                  (None, "9999", "available", local(9), None)]
        session.add_all(m.AgentStateChange(tenant_id=a.id, agent=agent, user_id=user.id if user else None,
                                           state=state, at=at, until=until, stream_id=f"{n}-0")
                        for n, (user, agent, state, at, until) in enumerate(events, 1))
        session.add(m.AgentStateChange(tenant_id=b.id, agent="7001", user_id=ann.id, state="available",
                                       at=local(0, 5), stream_id="1-0"))
        session.add_all([
            m.Shift(tenant_id=a.id, user_id=ann.id, seat_type="agent", starts_at=local(9), ends_at=local(18),
                    break_minutes=60),
            m.Shift(tenant_id=a.id, user_id=bob.id, seat_type="trainee", starts_at=local(14), ends_at=local(18)),
        ])
        return {"a": a.id, "b": b.id, "ann": ann.id, "bob": bob.id}


def minutes(row, figure: str) -> float:
    return row.seconds[figure] / 60


def test_a_day_of_presence_adds_up_per_state(db: Database, world: dict) -> None:
    with db.tenant(world["a"]) as session:
        days = {row.user_id: row for row in day_attendance(session, world["a"], SHANGHAI, DAY)}
    assert set(days) == {world["ann"], world["bob"]}  # nobody's extension 9999 is left out
    ann = days[world["ann"]]
    assert {f: minutes(ann, f) for f in ann.seconds} == {
        "logged_in": 560, "available": 514, "talk": 15, "wrap_up": 1, "break": 30, "outside_shift": 20}
    assert ann.scheduled_hours == 8
    assert ann.first_login == local(8, 50) and ann.last_logout == local(18, 10)
    assert ann.hours("logged_in") == Decimal("9.3333")
    bob = days[world["bob"]]
    assert bob.scheduled_hours == 4 and minutes(bob, "logged_in") == 0 and bob.first_login is None


def test_adherence_per_hour_compares_working_time_with_the_scheduled_paid_time(db: Database, world: dict) -> None:
    with db.tenant(world["a"]) as session:
        hours = {row.start.hour: row for row in adherence(session, world["a"], SHANGHAI, DAY, 60)}
    assert len(hours) == 24 and hours[8].percent is None  # nobody scheduled before nine
    assert hours[9].scheduled_minutes == pytest.approx(480 / 9) and hours[9].percent == 100.0
    # a 30-minute break in the ten o'clock hour: 30 of 53.33 scheduled minutes
    assert hours[10].working_minutes == 30 and hours[10].percent == pytest.approx(56.25, abs=0.06)
    # bob scheduled from two and never there
    assert hours[14].agents[world["bob"]] == (pytest.approx(60.0), 0.0)
    assert hours[14].percent == pytest.approx(100 * (480 / 9) / (480 / 9 + 60), abs=0.06)
    with db.tenant(world["a"]) as session:
        quarters = adherence(session, world["a"], SHANGHAI, DAY, 15)
    assert len(quarters) == 96 and quarters[4 * 10 + 2].percent == 100.0  # 10:30-10:45, back from the break


def test_intervals_still_to_come_have_no_adherence_not_zero(db: Database, world: dict) -> None:
    """QA of issue 15, item 14: at 11:27 the afternoon showed 0.0 %; an interval that has not begun has none."""
    with db.tenant(world["a"]) as session:
        hours = {row.start.hour: row for row in adherence(session, world["a"], SHANGHAI, DAY, 60,
                                                          now=local(11, 27))}
    assert hours[9].percent == 100.0 and not hours[9].future
    assert not hours[11].future  # begun: counts up to now
    assert hours[14].future and hours[14].scheduled_minutes > 0 and hours[14].percent is None


def test_today_counts_only_up_to_now(db: Database, world: dict, frozen_clock: datetime) -> None:
    today = frozen_clock.astimezone(SHANGHAI).date()
    start, end = day_range(SHANGHAI, today)
    with db.platform() as session:
        session.add(m.AgentStateChange(tenant_id=world["a"], agent="7003", user_id=world["bob"], state="available",
                                       at=start + timedelta(minutes=1), stream_id=f"today-{today}"))
    with db.tenant(world["a"]) as session:
        lines = timelines(session, world["a"], start, end)
    segment = lines[world["bob"]][-1]
    assert segment.start == start + timedelta(minutes=1)
    assert datetime.now(UTC) - timedelta(minutes=1) < segment.end <= datetime.now(UTC)


def test_overtime_beyond_the_shift_and_beyond_the_standard_month(db: Database, world: dict) -> None:
    with db.tenant(world["a"]) as session:
        after = local(0, day=date(2026, 3, 11))
        rows = {r.user_id: r for r in month_overtime(session, world["a"], SHANGHAI, 2026, 3,
                                                       standards={world["ann"]: Decimal("5")}, now=after)}
        standard = {r.user_id: r for r in month_overtime(session, world["a"], SHANGHAI, 2026, 3, now=after)}
    ann = rows[world["ann"]]
    assert (ann.scheduled_hours, ann.logged_in_hours, ann.outside_shift_hours, ann.above_standard_hours) == (
        8, Decimal("9.3333"), Decimal("0.3333"), 3)
    assert standard[world["ann"]].above_standard_hours == 0  # 8 h is far below 166.64 h


def test_another_tenants_presence_never_counts(db: Database, world: dict) -> None:
    with db.tenant(world["b"]) as session:
        assert day_attendance(session, world["a"], SHANGHAI, DAY) == []
        b_days = day_attendance(session, world["b"], SHANGHAI, DAY)
    assert [(r.user_id, minutes(r, "logged_in")) for r in b_days] == [(world["ann"], 24 * 60 - 5)]


@pytest.fixture(scope="module")
def busy_month(db: Database, frozen_clock: datetime) -> dict:
    """A seeded month of presence to the microsecond: timed wrap-ups and breaks, one user on two extensions, a
    change copied without its user, a state carried in from February, shifts with gaps and night shifts."""
    import random

    draw = random.Random(1515)
    with db.platform() as session:
        tenant = factories.tenant(session, "busy")
        users = [factories.user(session) for _ in range(3)]
        changes, shifts = [], []
        for n, user in enumerate(users):
            at = datetime(2026, 2, 28, 12, tzinfo=SHANGHAI)
            while at < datetime(2026, 4, 1, 2, tzinfo=SHANGHAI):
                state = draw.choice(["available", "on_call", "wrap_up", "break", "ringing", "offline"])
                until = at + timedelta(seconds=draw.randint(1, 900), microseconds=draw.randint(0, 999_999)) \
                    if state in ("wrap_up", "break") and draw.random() < 0.7 else None
                agent = f"80{n}{draw.randint(0, 1) if n == 0 else 0}"  # user 0 moves between two extensions
                owner = None if draw.random() < 0.05 else user.id
                changes.append(m.AgentStateChange(tenant_id=tenant.id, agent=agent, user_id=owner, state=state,
                                                  at=at, until=until, stream_id=f"{len(changes)}-0"))
                at += timedelta(seconds=draw.randint(30, 4 * 3600), microseconds=draw.randint(0, 999_999))
            begin = datetime(2026, 2, 28, 20, tzinfo=SHANGHAI)
            while begin < datetime(2026, 4, 1, tzinfo=SHANGHAI):
                length = timedelta(minutes=draw.randint(60, 12 * 60))
                shifts.append(m.Shift(tenant_id=tenant.id, user_id=user.id, seat_type="agent", starts_at=begin,
                                      ends_at=begin + length, break_minutes=draw.choice([0, 30, 60])))
                begin += length + timedelta(minutes=draw.randint(0, 24 * 60))
        session.add_all(changes + shifts)
        return {"tenant": tenant.id, "users": [u.id for u in users]}


def test_the_months_overtime_adds_up_the_months_timelines(db: Database, busy_month: dict) -> None:
    """month_overtime walks the month on integers for speed; its figures are those of the segments `timelines`
    gives, summed as before (seconds as floats, time inside a shift per segment)."""
    from hotline.platform.schedules.attendance import _hours
    from hotline.platform.schedules.hours import month_range

    tenant = busy_month["tenant"]
    start, end = month_range(SHANGHAI, 2026, 3)
    for now in (end, datetime(2026, 3, 17, 13, 5, 7, 123456, tzinfo=UTC)):
        with db.tenant(tenant) as session:
            lines = timelines(session, tenant, start, end, now)
            shifts = session.query(m.Shift).filter(m.Shift.tenant_id == tenant).all()
            rows = {r.user_id: r for r in month_overtime(session, tenant, SHANGHAI, 2026, 3, now=now)}
        assert sorted(lines) == sorted(busy_month["users"]) == sorted(rows)
        for user_id, segments in lines.items():
            own = sorted((s.starts_at.astimezone(UTC), s.ends_at.astimezone(UTC)) for s in shifts
                         if s.user_id == user_id)
            logged = outside = 0.0
            for seg in segments:
                if seg.state == "offline":
                    continue
                logged += seg.seconds
                inside = 0.0
                for span_start, span_end in reversed([p for p in own if p[0] < seg.end]):
                    if span_end <= seg.start:
                        break
                    inside += max(0.0, (min(seg.end, span_end) - max(seg.start, span_start)).total_seconds())
                outside += max(0.0, seg.seconds - inside)
            assert logged > 3600 and outside > 0
            assert (rows[user_id].logged_in_hours, rows[user_id].outside_shift_hours) == (_hours(logged),
                                                                                          _hours(outside))
