"""Scheduled hours on worked examples: breaks, overnight shifts, clipping to a month, the tenant's zone, and the
tenant each figure belongs to."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hotline.platform import models as m
from hotline.platform.db import Database
from hotline.platform.schedules.hours import day_range, hours_in, month_range, scheduled_hours

from .. import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_a_day_shift_counts_its_length_less_the_break() -> None:
    day = day_range(SHANGHAI, date(2026, 3, 11))
    assert hours_in(local(2026, 3, 11, 9), local(2026, 3, 11, 18), 60, *day) == 8
    assert hours_in(local(2026, 3, 11, 9), local(2026, 3, 11, 18), 45, *day) == Decimal("8.25")


def test_an_overnight_shift_splits_across_the_month_end_with_its_break_in_proportion() -> None:
    march, april = month_range(SHANGHAI, 2026, 3), month_range(SHANGHAI, 2026, 4)
    shift = (local(2026, 3, 31, 22), local(2026, 4, 1, 6), 60)  # 8 h, 1 h of break
    assert hours_in(*shift, *march) == Decimal("1.75")  # 2 h x 7/8
    assert hours_in(*shift, *april) == Decimal("5.25")  # 6 h x 7/8
    assert hours_in(*shift, *march) + hours_in(*shift, *april) == 7


def test_the_month_is_the_tenants_local_month() -> None:
    start, end = month_range(SHANGHAI, 2026, 3)
    assert start == datetime(2026, 2, 28, 16, tzinfo=UTC) and end == datetime(2026, 3, 31, 16, tzinfo=UTC)
    # a shift of 1 March 00:00-04:00 in Shanghai is still 28 February in UTC, and belongs to March
    assert hours_in(local(2026, 3, 1, 0), local(2026, 3, 1, 4), 0, start, end) == 4
    december = month_range(SHANGHAI, 2026, 12)
    assert december[1] == datetime(2026, 12, 31, 16, tzinfo=UTC)


def test_a_shift_on_a_daylight_saving_night_counts_real_hours() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # clocks go forward 2026-03-29 02:00 -> 03:00
    day = day_range(berlin, date(2026, 3, 29))
    assert day[1] - day[0] == timedelta(hours=23)
    assert hours_in(datetime(2026, 3, 29, 0, tzinfo=berlin), datetime(2026, 3, 29, 6, tzinfo=berlin), 0, *day) == 5


def test_outside_the_period_or_all_break_counts_nothing() -> None:
    day = day_range(SHANGHAI, date(2026, 3, 11))
    assert hours_in(local(2026, 3, 12, 9), local(2026, 3, 12, 18), 0, *day) == 0
    assert hours_in(local(2026, 3, 11, 9), local(2026, 3, 11, 10), 90, *day) == 0


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        hours_in(datetime(2026, 3, 11, 9), local(2026, 3, 11, 18), 0, *day_range(SHANGHAI, date(2026, 3, 11)))


@pytest.fixture(scope="module")
def month_of_shifts(db: Database, frozen_clock: datetime) -> dict:
    """Tenant A: two agents, one with two seat types in March; tenant B: a shift the same month."""
    with db.platform() as session:
        a, b = factories.tenant(session, "a"), factories.tenant(session, "b")
        ann, bob = factories.user(session), factories.user(session)
        session.add_all([
            # 31 day shifts of 9 h with 1 h break = 248 h as an agent
            *[m.Shift(tenant_id=a.id, user_id=ann.id, seat_type="agent", starts_at=local(2026, 3, d, 9),
                      ends_at=local(2026, 3, d, 18), break_minutes=60) for d in range(1, 32)],
            # the night before the month starts (only its March part counts) and the last night (ditto)
            m.Shift(tenant_id=a.id, user_id=ann.id, seat_type="team_lead", starts_at=local(2026, 2, 28, 22),
                    ends_at=local(2026, 3, 1, 6), break_minutes=60),
            m.Shift(tenant_id=a.id, user_id=ann.id, seat_type="team_lead", starts_at=local(2026, 3, 31, 22),
                    ends_at=local(2026, 4, 1, 6), break_minutes=60),
            # 4 h 20 min with 20 min break; and a shift wholly in April that must not count
            m.Shift(tenant_id=a.id, user_id=bob.id, seat_type="trainee", starts_at=local(2026, 3, 11, 14),
                    ends_at=local(2026, 3, 11, 18, 20), break_minutes=20),
            m.Shift(tenant_id=a.id, user_id=bob.id, seat_type="trainee", starts_at=local(2026, 4, 1, 9),
                    ends_at=local(2026, 4, 1, 18), break_minutes=0),
            # a third of an hour, three times: exact sums round once
            *[m.Shift(tenant_id=a.id, user_id=bob.id, seat_type="agent", starts_at=local(2026, 3, d, 9),
                      ends_at=local(2026, 3, d, 9, 20)) for d in (2, 3, 4)],
            m.Shift(tenant_id=b.id, user_id=bob.id, seat_type="agent", starts_at=local(2026, 3, 11, 9),
                    ends_at=local(2026, 3, 11, 18)),
        ])
        return {"a": a.id, "b": b.id, "ann": ann.id, "bob": bob.id}


def test_a_months_hours_per_agent_and_seat_type(db: Database, month_of_shifts: dict) -> None:
    ann, bob = month_of_shifts["ann"], month_of_shifts["bob"]
    with db.tenant(month_of_shifts["a"]) as session:
        hours = scheduled_hours(session, month_of_shifts["a"], *month_range(SHANGHAI, 2026, 3))
    assert hours == {
        (ann, "agent"): Decimal("248.0000"),
        (ann, "team_lead"): Decimal("7.0000"),  # 6 h x 7/8 of 1 March + 2 h x 7/8 of 31 March
        (bob, "agent"): Decimal("1.0000"),
        (bob, "trainee"): Decimal("4.0000"),
    }


def test_hours_of_one_tenant_never_include_another_tenants_shifts(db: Database, month_of_shifts: dict) -> None:
    march = month_range(SHANGHAI, 2026, 3)
    with db.platform() as session:  # even unscoped, the tenant argument decides
        assert scheduled_hours(session, month_of_shifts["b"], *march) == {(month_of_shifts["bob"], "agent"): 9}
    with db.tenant(month_of_shifts["b"]) as session:  # and a tenant session cannot reach A's shifts
        assert scheduled_hours(session, month_of_shifts["a"], *march) == {}


def test_a_period_that_ends_before_it_starts_is_refused(db: Database, month_of_shifts: dict) -> None:
    start, end = month_range(SHANGHAI, 2026, 3)
    with db.tenant(month_of_shifts["a"]) as session, pytest.raises(ValueError, match="end after"):
        scheduled_hours(session, month_of_shifts["a"], end, start)


def test_an_agent_filter_sums_only_those_agents(db: Database, month_of_shifts: dict,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The settlement asks for one vendor's agents; the figures of those agents are the unfiltered ones."""
    ann, bob = month_of_shifts["ann"], month_of_shifts["bob"]
    march = month_range(SHANGHAI, 2026, 3)
    with db.tenant(month_of_shifts["a"]) as session:
        everyone = scheduled_hours(session, month_of_shifts["a"], *march)
        assert scheduled_hours(session, month_of_shifts["a"], *march, user_ids=[bob]) == {
            key: value for key, value in everyone.items() if key[0] == bob}
        assert scheduled_hours(session, month_of_shifts["a"], *march, user_ids=[]) == {}
        # ids read in several IN lists when there are many: the same figures
        monkeypatch.setattr("hotline.platform.schedules.hours.USERS_PER_QUERY", 1)
        assert scheduled_hours(session, month_of_shifts["a"], *march, user_ids={ann, bob, 999_999}) == everyone
    with db.platform() as session:  # another tenant's shifts of the same agent stay out
        assert scheduled_hours(session, month_of_shifts["a"], *march, user_ids=[bob]) == {
            key: value for key, value in everyone.items() if key[0] == bob}


@pytest.fixture(scope="module")
def odd_shifts(db: Database, frozen_clock: datetime) -> dict:
    """Shifts of odd lengths and breaks, to the second, wholly inside and across both ends of a day window."""
    import random

    draw = random.Random(15)
    with db.platform() as session:
        tenant = factories.tenant(session, "odd")
        users = [factories.user(session) for _ in range(3)]
        shifts = []
        for user in users:
            begin = local(2026, 3, 10, 0) - timedelta(hours=5)
            while begin < local(2026, 3, 12, 6):
                length = timedelta(seconds=draw.randint(600, 10 * 3600))
                shifts.append(m.Shift(tenant_id=tenant.id, user_id=user.id, seat_type=draw.choice(["agent", "trainee"]),
                                      starts_at=begin, ends_at=begin + length,
                                      break_minutes=draw.choice([0, 7, 30, 60, 600])))
                begin += length + timedelta(seconds=draw.randint(0, 7200))
        session.add_all(shifts)
        session.flush()
        return {"tenant": tenant.id, "users": [u.id for u in users],
                "shifts": [(s.user_id, s.seat_type, s.starts_at, s.ends_at, s.break_minutes) for s in shifts]}


def test_sums_equal_the_exact_sum_of_every_shifts_hours(db: Database, odd_shifts: dict) -> None:
    """Shifts wholly inside are summed as whole seconds, the clipped ones as fractions: the result is the rounded
    exact sum of `hours_in` over every shift, as it was when each shift was a Fraction."""
    from fractions import Fraction

    from hotline.platform.schedules.hours import to_hours

    for window in (day_range(SHANGHAI, date(2026, 3, 11)), (local(2026, 3, 10, 13, 7, 11), local(2026, 3, 11, 2))):
        exact: dict[tuple[int, str], Fraction] = {}
        for user_id, seat_type, starts_at, ends_at, break_minutes in odd_shifts["shifts"]:
            hours = hours_in(starts_at, ends_at, break_minutes, *window)
            if hours > 0:
                exact[(user_id, seat_type)] = exact.get((user_id, seat_type), Fraction(0)) + hours
        expected = {key: to_hours(value) for key, value in exact.items()}
        assert len(expected) >= 4
        with db.tenant(odd_shifts["tenant"]) as session:
            assert scheduled_hours(session, odd_shifts["tenant"], *window) == expected
            one = odd_shifts["users"][1]
            assert scheduled_hours(session, odd_shifts["tenant"], *window, user_ids=[one]) == {
                key: value for key, value in expected.items() if key[0] == one}
