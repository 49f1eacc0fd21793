"""A day's interval plan from the tenant's own history: the same weekday of recent weeks, averaged per interval,
then sized with Erlang C (or Erlang A when a patience is given).

History is the call records that entered a queue (test calls never count), grouped by the local interval in
the tenant's zone; a past day without any call is treated as missing data, not as a day of zeros. Days the
tenant's calendar marks as holidays are left out of the average for an ordinary day, and only holidays are
averaged for a day flagged as a holiday, so a Spring Festival week does not drag down a normal Monday's forecast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CallRecord
from ..tenant_zone import tenant_calendar
from ..wallboard.today import tenant_zone
from .erlang import Staffing, Unreachable, agents_for, positions

INTERVALS = (15, 30, 60)
#: Same weekdays looked back at, at most.
HISTORY_WEEKS = 4
#: Handle time assumed for an interval with calls but no timed talk (the wallboard's default wrap-up aside).
DEFAULT_HANDLE_SECONDS = 180.0


@dataclass(frozen=True)
class IntervalPlan:
    """One interval of the day: its local start, the forecast, and the staffing that meets the target."""

    start: datetime
    calls: float
    handle_seconds: float
    staffing: Staffing | None  # None when no call is forecast
    positions: int
    error: str | None = None  # the target cannot be met at this volume
    unreachable: Unreachable | None = None  # the same, for saying it in the reader's language


def _history_days(day: date, calendar: Mapping[str, Any], weeks: int, holiday: bool, today: date) -> list[date]:
    """The same weekdays before `day`, complete days only: today is still in progress, so a plan for next week
    never averages today's half-day as a full one (nor a day still to come)."""
    holidays = set(calendar.get("holidays", ()))
    days = [day - timedelta(weeks=w) for w in range(1, weeks + 1)]
    return [d for d in days if d < today and (d.isoformat() in holidays) == holiday]


def history(session: Session, settings: Mapping[str, Any] | None, day: date, interval_minutes: int,
            weeks: int = HISTORY_WEEKS, holiday: bool = False) -> tuple[list[date], dict[int, tuple[float, float]]]:
    """(days averaged, {interval index: (average calls, average handle seconds)}) for `day`'s weekday."""
    if interval_minutes not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(map(str, INTERVALS))} minutes")
    zone: ZoneInfo = tenant_zone(settings)
    calendar = tenant_calendar(settings) or {}
    days = _history_days(day, calendar, weeks, holiday, datetime.now(UTC).astimezone(zone).date())
    calls: dict[int, int] = {}
    talk: dict[int, list[float]] = {}
    with_data: list[date] = []
    for past in days:
        start = datetime.combine(past, time.min, tzinfo=zone).astimezone(UTC)
        end = datetime.combine(past + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
        rows = session.execute(select(CallRecord.started_at, CallRecord.answered_at, CallRecord.ended_at).where(
            CallRecord.started_at >= start, CallRecord.started_at < end, CallRecord.queue.is_not(None),
            CallRecord.test_call.is_(False), CallRecord.direction == "inbound")).all()
        if rows:  # a day without a single call is no data (before the tenant went live), not a day of zeros
            with_data.append(past)
        for started, answered, ended in rows:
            local = started.astimezone(zone)
            index = (local.hour * 60 + local.minute) // interval_minutes
            calls[index] = calls.get(index, 0) + 1
            if answered is not None and ended is not None and ended > answered:
                talk.setdefault(index, []).append((ended - answered).total_seconds())
    averaged = {}
    for index, count in calls.items():
        timed = talk.get(index)
        handle = sum(timed) / len(timed) if timed else DEFAULT_HANDLE_SECONDS
        averaged[index] = (count / len(with_data), handle)
    return with_data, averaged


def day_plan(session: Session, settings: Mapping[str, Any] | None, day: date, interval_minutes: int,
             target_level: float, target_seconds: float, shrinkage: float,
             patience_seconds: float | None = None, holiday: bool = False,
             wrap_up_seconds: float = 0.0) -> tuple[list[date], list[IntervalPlan]]:
    """Every interval of `day` (local) with its forecast and the agents and positions it needs."""
    days, averaged = history(session, settings, day, interval_minutes, holiday=holiday)
    zone = tenant_zone(settings)
    midnight = datetime.combine(day, time.min, tzinfo=zone)
    plans = []
    for index in range(24 * 60 // interval_minutes):
        start = midnight + timedelta(minutes=index * interval_minutes)
        calls, handle = averaged.get(index, (0.0, DEFAULT_HANDLE_SECONDS))
        handle += wrap_up_seconds
        if calls == 0:
            plans.append(IntervalPlan(start, 0.0, handle, None, 0))
            continue
        try:
            staffing = agents_for(target_level, target_seconds, calls, interval_minutes * 60, handle,
                                  patience_seconds)
        except Unreachable as exc:
            plans.append(IntervalPlan(start, calls, handle, None, 0, str(exc), exc))
            continue
        plans.append(IntervalPlan(start, calls, handle, staffing, positions(staffing.agents, shrinkage)))
    return days, plans
