"""Business hours: is a tenant's calendar open at a given instant?

Times are wall-clock times in the calendar's own time zone, so a tenant in Asia/Shanghai is open 09:00
to 18:00 Beijing time whatever zone the runtime runs in. Holidays close the whole day; make-up working
days (调休, often a Saturday) open with `workday_hours`. A range whose end is not after its start runs
past midnight, and its early-morning part belongs to the day it started on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = 24 * 60


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
