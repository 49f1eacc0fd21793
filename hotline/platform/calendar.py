"""Business hours: is a tenant's calendar open at a given instant, and when do N open minutes end?

Times are wall-clock times in the calendar's own time zone, so a tenant in Asia/Shanghai is open 09:00
to 18:00 Beijing time whatever zone the runtime runs in. Holidays close the whole day; make-up working
days (调休, often a Saturday) open with `workday_hours`. A range whose end is not after its start runs
past midnight, and its early-morning part belongs to the day it started on.

The platform (SLA due times) and the runtime (the IVR's hours node, via hotline.runtime.flow.calendar)
share this module; it imports nothing from either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = 24 * 60
#: How many consecutive days without any open time make add_business_minutes give up.
MAX_CLOSED_DAYS = 400


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_time(calendar: Mapping[str, Any] | None, now: datetime) -> datetime:
    """now in the calendar's time zone (UTC without a calendar)."""
    zone = _zone(calendar["timezone"]) if calendar else _zone("UTC")
    return now.astimezone(zone)


def day_hours(calendar: Mapping[str, Any], day: date) -> Sequence[Mapping[str, str]]:
    """The opening ranges of one date: none on a holiday, workday_hours on a make-up workday.

    A holiday wins over a make-up workday listed for the same date (closed is what a holiday means;
    the lint should report the contradiction). Without workday_hours a make-up day opens with
    Monday's hours, the usual rule for 调休.
    """
    iso = day.isoformat()
    if iso in calendar.get("holidays", ()):
        return ()
    weekly = calendar.get("weekly", {})
    if iso in calendar.get("workdays", ()):
        return calendar.get("workday_hours") or weekly.get("mon", ())
    return weekly.get(WEEKDAYS[day.weekday()], ())


def _span(time_range: Mapping[str, str]) -> tuple[int, int]:
    start, end = _minutes(time_range["start"]), _minutes(time_range["end"])
    if end <= start:  # runs past midnight ("24:00" is already 1440, the end of the day)
        end += _DAY
    return start, end


def is_open(calendar: Mapping[str, Any], now: datetime) -> bool:
    """True when now (time-zone aware) falls in an opening range of the calendar."""
    local = local_time(calendar, now)
    minute = local.hour * 60 + local.minute
    today = local.date()
    for time_range in day_hours(calendar, today):
        start, end = _span(time_range)
        if start <= minute < end:
            return True
    # The tail of yesterday's overnight ranges (22:00–06:00 is open at 03:00 today).
    for time_range in day_hours(calendar, today - timedelta(days=1)):
        start, end = _span(time_range)
        if end > _DAY and minute < end - _DAY:
            return True
    return False


def _open_intervals(calendar: Mapping[str, Any], day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The opening ranges of one date as UTC [start, end) pairs, earliest first (wall-clock times in zone)."""
    midnight = datetime.combine(day, time())
    intervals = []
    for time_range in day_hours(calendar, day):
        start, end = _span(time_range)
        intervals.append(((midnight + timedelta(minutes=start)).replace(tzinfo=zone).astimezone(UTC),
                          (midnight + timedelta(minutes=end)).replace(tzinfo=zone).astimezone(UTC)))
    return sorted(intervals)


def add_business_minutes(start: datetime, minutes: int, calendar: Mapping[str, Any]) -> datetime:
    """The aware UTC instant when `minutes` open minutes of the calendar have elapsed after `start`.

    Walks forward day by day through the opening ranges (nights, weekends and holidays count nothing;
    make-up workdays count with their hours), so the cost is linear in the days walked. Zero minutes is
    `start` itself. A calendar with no open time for MAX_CLOSED_DAYS days in a row raises ValueError.
    """
    if start.tzinfo is None:
        raise ValueError("add_business_minutes needs a time-zone aware start")
    if minutes < 0:
        raise ValueError(f"business minutes cannot be negative (got {minutes})")
    cursor = start.astimezone(UTC)
    if minutes == 0:
        return cursor
    zone = _zone(calendar.get("timezone") or "UTC")
    remaining = timedelta(minutes=minutes)
    day = cursor.astimezone(zone).date() - timedelta(days=1)  # yesterday's overnight range may still be open
    closed_days = 0
    while closed_days <= MAX_CLOSED_DAYS:
        counted = False
        for opens, closes in _open_intervals(calendar, day, zone):
            lo = max(opens, cursor)
            if closes <= lo:
                continue
            counted = True
            if remaining <= closes - lo:
                return lo + remaining
            remaining -= closes - lo
            cursor = closes
        closed_days = 0 if counted else closed_days + 1
        day += timedelta(days=1)
    raise ValueError(f"the business calendar has no open time in the {MAX_CLOSED_DAYS} days after "
                     f"{cursor.isoformat()}; check its weekly hours, holidays and workdays")
