"""add_business_minutes: SLA due times that count only a calendar's opening hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.platform import calendar as platform_calendar
from hotline.platform.calendar import add_business_minutes, is_open
from hotline.runtime.flow import calendar as runtime_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = [{"start": "09:00", "end": "18:00"}]
OFFICE = {
    "timezone": "Asia/Shanghai",
    "weekly": {day: NINE_TO_SIX for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": ["2026-10-20"],  # a Tuesday
    "workdays": ["2026-10-24"],  # a Saturday (调休)
    "workday_hours": [{"start": "10:00", "end": "16:00"}],
}


def beijing(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_the_runtime_module_re_exports_the_platform_calendar() -> None:
    assert runtime_calendar.is_open is platform_calendar.is_open
    assert runtime_calendar.local_time is platform_calendar.local_time
    assert runtime_calendar.WEEKDAYS is platform_calendar.WEEKDAYS


def test_minutes_inside_one_opening_range() -> None:
    assert add_business_minutes(beijing(2026, 10, 12, 10, 0), 90, OFFICE) == beijing(2026, 10, 12, 11, 30)


def test_the_night_is_skipped() -> None:
    assert add_business_minutes(beijing(2026, 10, 12, 17, 0), 120, OFFICE) == beijing(2026, 10, 13, 10, 0)


def test_a_start_before_opening_counts_from_the_opening() -> None:
    assert add_business_minutes(beijing(2026, 10, 12, 6, 0), 30, OFFICE) == beijing(2026, 10, 12, 9, 30)


def test_the_weekend_is_skipped() -> None:
    # Friday 17:30 + 60 minutes: 30 on Friday, 30 on Monday.
    assert add_business_minutes(beijing(2026, 10, 16, 17, 30), 60, OFFICE) == beijing(2026, 10, 19, 9, 30)


def test_a_holiday_is_skipped() -> None:
    # Monday 17:00 + 120: 60 on Monday, Tuesday is a holiday, 60 on Wednesday.
    assert add_business_minutes(beijing(2026, 10, 19, 17, 0), 120, OFFICE) == beijing(2026, 10, 21, 10, 0)


def test_a_make_up_workday_counts_with_its_workday_hours() -> None:
    # Friday 17:00 + 120: 60 on Friday, then Saturday is a make-up day opening at 10:00.
    assert add_business_minutes(beijing(2026, 10, 23, 17, 0), 120, OFFICE) == beijing(2026, 10, 24, 11, 0)


def test_a_make_up_workday_without_workday_hours_opens_with_mondays_hours() -> None:
    office = {**OFFICE, "workday_hours": None}
    assert add_business_minutes(beijing(2026, 10, 23, 17, 0), 120, office) == beijing(2026, 10, 24, 10, 0)


def test_a_24_00_end_runs_to_midnight() -> None:
    evenings = {"timezone": "UTC", "weekly": {day: [{"start": "20:00", "end": "24:00"}]
                                              for day in platform_calendar.WEEKDAYS}}
    start = datetime(2026, 10, 12, 23, 30, tzinfo=UTC)
    assert add_business_minutes(start, 30, evenings) == datetime(2026, 10, 13, 0, 0, tzinfo=UTC)
    assert add_business_minutes(start, 60, evenings) == datetime(2026, 10, 13, 20, 30, tzinfo=UTC)


def test_the_early_morning_tail_of_an_overnight_range_counts() -> None:
    nights = {"timezone": "UTC", "weekly": {"mon": [{"start": "22:00", "end": "06:00"}]}}
    # Tuesday 03:00 is still inside Monday's night; the next night starts the following Monday.
    start = datetime(2026, 10, 13, 3, 0, tzinfo=UTC)
    assert add_business_minutes(start, 60, nights) == datetime(2026, 10, 13, 4, 0, tzinfo=UTC)
    assert add_business_minutes(start, 240, nights) == datetime(2026, 10, 19, 23, 0, tzinfo=UTC)


def test_utc_and_shanghai_inputs_give_the_same_utc_instant() -> None:
    # Monday 00:30 UTC is 08:30 in Beijing: closed until 09:00, then 30 minutes → 09:30 Beijing (01:30 UTC).
    from_utc = add_business_minutes(datetime(2026, 10, 12, 0, 30, tzinfo=UTC), 30, OFFICE)
    from_shanghai = add_business_minutes(beijing(2026, 10, 12, 8, 30), 30, OFFICE)
    assert from_utc == from_shanghai == datetime(2026, 10, 12, 1, 30, tzinfo=UTC)
    assert from_utc.tzinfo is UTC and from_shanghai.tzinfo is UTC


def test_the_hours_are_wall_clock_hours_of_the_calendars_zone() -> None:
    # The same weekly hours in UTC: 08:30 UTC opens at 09:00 UTC, eight hours later than in Beijing.
    office_utc = {**OFFICE, "timezone": "UTC"}
    assert add_business_minutes(datetime(2026, 10, 12, 8, 30, tzinfo=UTC), 30, office_utc) == \
        datetime(2026, 10, 12, 9, 30, tzinfo=UTC)


def test_the_due_time_is_the_end_of_an_open_minute() -> None:
    for start in (beijing(2026, 10, 16, 17, 30), beijing(2026, 10, 19, 17, 0), beijing(2026, 10, 23, 20, 0)):
        for minutes in (1, 59, 600, 5000):
            due = add_business_minutes(start, minutes, OFFICE)
            assert is_open(OFFICE, due - timedelta(minutes=1))


def test_zero_minutes_is_the_start_and_bad_input_is_refused() -> None:
    assert add_business_minutes(beijing(2026, 10, 17, 3, 0), 0, OFFICE) == datetime(2026, 10, 16, 19, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="negative"):
        add_business_minutes(beijing(2026, 10, 12, 10, 0), -1, OFFICE)
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(datetime(2026, 10, 12, 10, 0), 10, OFFICE)


def test_an_always_closed_calendar_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no open time in the 400 days"):
        add_business_minutes(beijing(2026, 10, 12, 10, 0), 30, {"timezone": "Asia/Shanghai", "weekly": {}})


def test_a_long_sla_walks_days_not_minutes() -> None:
    # A year of business minutes (≈ 250 working days of 9 hours) ends about a calendar year later.
    due = add_business_minutes(beijing(2026, 10, 12, 9, 0), 250 * 9 * 60, OFFICE)
    assert beijing(2027, 9, 1) < due < beijing(2027, 11, 1)
