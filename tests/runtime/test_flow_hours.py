"""Business hours: weekly ranges in the calendar's zone, holidays, make-up workdays, 24:00, overnight."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hotline.runtime.flow import is_open

from .flow_helpers import flow, run_flow

SHANGHAI = {
    "timezone": "Asia/Shanghai",
    "weekly": {day: [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]
               for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": ["2026-10-01", "2026-10-02"],
    "workdays": ["2026-09-27"],  # a Sunday worked to make up for the National Day week
    "workday_hours": [{"start": "10:00", "end": "16:00"}],
}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("now", "expected"), [
    (utc(2026, 9, 28, 1, 0), True),     # Mon 09:00 Shanghai: opening minute is open
    (utc(2026, 9, 28, 0, 59), False),   # Mon 08:59 Shanghai
    (utc(2026, 9, 28, 4, 30), False),   # Mon 12:30: lunch break
    (utc(2026, 9, 28, 9, 59), True),    # Mon 17:59
    (utc(2026, 9, 28, 10, 0), False),   # Mon 18:00: the end is exclusive
    (utc(2026, 9, 27, 20, 0), False),   # Mon 04:00 Shanghai, still Sunday in UTC
    (utc(2026, 10, 1, 2, 0), False),    # Thu 10:00 but a holiday
    (utc(2026, 9, 27, 3, 0), True),     # Sun 11:00 make-up workday, workday_hours 10–16
    (utc(2026, 9, 27, 8, 30), False),   # Sun 16:30 make-up workday after its hours
    (utc(2026, 10, 3, 2, 0), False),    # Sat 10:00: no weekly hours
])
def test_shanghai_calendar(now, expected):
    assert is_open(SHANGHAI, now) is expected


def test_the_same_instant_differs_by_time_zone():
    now = utc(2026, 9, 28, 15, 0)  # Mon 23:00 Shanghai, Mon 11:00 New York
    new_york = {**SHANGHAI, "timezone": "America/New_York", "holidays": [], "workdays": []}
    assert is_open(SHANGHAI, now) is False
    assert is_open(new_york, now) is True


def test_local_date_decides_holidays_not_utc_date():
    # 2026-09-30 17:00 UTC is already 1 October 01:00 in Shanghai (a holiday), still 30 Sept in UTC.
    always = {"timezone": "Asia/Shanghai", "weekly": {d: [{"start": "00:00", "end": "24:00"}]
                                                      for d in ("mon", "tue", "wed", "thu", "fri")},
              "holidays": ["2026-10-01"]}
    assert is_open(always, utc(2026, 9, 30, 17, 0)) is False
    assert is_open(always, utc(2026, 9, 30, 15, 0)) is True


def test_end_of_24_00_is_open_until_midnight():
    cal = {"timezone": "UTC", "weekly": {"mon": [{"start": "20:00", "end": "24:00"}]}}
    assert is_open(cal, utc(2026, 9, 28, 23, 59)) is True
    assert is_open(cal, utc(2026, 9, 29, 0, 0)) is False  # Tuesday has no hours


def test_overnight_range_belongs_to_the_day_it_starts():
    cal = {"timezone": "UTC", "weekly": {"fri": [{"start": "22:00", "end": "06:00"}]},
           "holidays": ["2026-10-03"]}
    assert is_open(cal, utc(2026, 10, 2, 23, 0)) is True   # Fri 23:00
    assert is_open(cal, utc(2026, 10, 3, 5, 59)) is True   # Sat 05:59, Friday's range (Sat a holiday)
    assert is_open(cal, utc(2026, 10, 3, 6, 0)) is False
    assert is_open(cal, utc(2026, 10, 2, 5, 0)) is False   # Fri early morning: Thursday had no range


def test_make_up_workday_without_workday_hours_uses_monday_hours():
    cal = {**SHANGHAI}
    del cal["workday_hours"]
    assert is_open(cal, utc(2026, 9, 27, 5, 30)) is True   # Sun 13:30, Monday's afternoon range
    assert is_open(cal, utc(2026, 9, 27, 4, 30)) is False  # Sun 12:30, Monday's lunch break


def _hours_flow(**node):
    return flow({
        "check": {"type": "hours", "open": "open", "closed": "closed", **node},
        "open": {"type": "hangup", "prompt": {"text": "open"}},
        "closed": {"type": "hangup", "prompt": {"text": "closed"}},
    }, "check")


def test_hours_node_uses_the_tenant_calendar_and_services_clock():
    result, channel, _ = run_flow(_hours_flow(), now=utc(2026, 9, 28, 2, 0), tenant_calendar=SHANGHAI)
    assert channel.heard == ["open"]
    assert result.trace.steps[0]["info"] == {"open": True}
    _, channel, _ = run_flow(_hours_flow(), now=utc(2026, 10, 1, 2, 0), tenant_calendar=SHANGHAI)
    assert channel.heard == ["closed"]


def test_hours_node_calendar_overrides_the_tenant_calendar():
    weekend_line = {"timezone": "Asia/Shanghai", "weekly": {"sat": [{"start": "00:00", "end": "24:00"}]}}
    _, channel, _ = run_flow(_hours_flow(calendar=weekend_line), now=utc(2026, 10, 3, 2, 0),
                             tenant_calendar=SHANGHAI)
    assert channel.heard == ["open"]


def test_hours_node_without_any_calendar_is_open():
    _, channel, _ = run_flow(_hours_flow(), now=utc(2026, 10, 3, 2, 0))
    assert channel.heard == ["open"]


def test_unknown_time_zone_goes_to_fallback():
    result, _channel, _ = run_flow(_hours_flow(), tenant_calendar={"timezone": "Mars/Olympus", "weekly": {}})
    assert result.trace.path[-1] == "sorry"
    assert result.error["node"] == "check"


def test_call_hour_and_weekday_are_local_to_the_tenant_calendar():
    body = flow({"say": {"type": "hangup", "prompt": {"text": "{{call.weekday}} {{call.hour}} {{call.time}}"}}},
                "say")
    _, channel, _ = run_flow(body, now=utc(2026, 9, 27, 20, 5), tenant_calendar=SHANGHAI)
    assert channel.heard == ["mon 4 04:05"]
