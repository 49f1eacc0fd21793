"""Attendance from the agent-state history: what each agent actually did per local day, adherence to the schedule
per interval, and overtime (docs/schedules.md says how each figure is defined).

Timeline: each copied change holds from its `at` to the next change of the same agent; a timed wrap-up or break
(`until`) turns into available at its end when no change came before it; the last state runs to the end of the
period or "now", whichever is first (the future is never counted). The state an agent was in when the period
began is the last change before it.

* logged in = any state but offline; talk = on_call; available = available; break = break; wrap-up = wrap_up;
  ringing only counts as logged in;
* working (for adherence) = available, ringing, on_call, wrap_up: the agent could take, or was taking, calls;
* adherence of an interval = Σ per agent min(working minutes inside its shifts, scheduled paid minutes)
  ÷ Σ scheduled paid minutes, where a shift's paid minutes in an interval are its minutes there less its break
  in proportion (hours.py);
* overtime beyond the shift = logged-in time outside every shift of the agent;
* overtime beyond the standard month = a month's scheduled hours above the standard (166.64 h by default, the
  seed's figure; the settlement's contract may name its own).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import AgentStateChange, Shift, utcnow
from .hours import day_range, hours_in, month_range, scheduled_hours, to_hours

STANDARD_MONTH_HOURS = Decimal("166.64")
WORKING = frozenset({"available", "ringing", "on_call", "wrap_up"})
#: The per-day figures, in the order pages and exports show them (labels in designer/schedules/strings.py).
FIGURES: tuple[str, ...] = ("logged_in", "available", "talk", "wrap_up", "break", "outside_shift")


@dataclass(frozen=True)
class Segment:
    state: str
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def _hours(seconds: float) -> Decimal:
    return to_hours(Fraction(round(seconds)) / 3600)


def _aware(value: datetime) -> datetime:
    return value.astimezone(UTC)


def timelines(session: Session, tenant_id: int, start: datetime, end: datetime,
              now: datetime | None = None) -> dict[int, list[Segment]]:
    """{user_id: state segments inside [start, min(end, now))} from the tenant's copied state changes.

    Changes of an agent id no user is known for (an extension never assigned through the desk) are left out.
    """
    # every instant in one tzinfo object (UTC): comparisons of datetimes whose tzinfo objects differ (psycopg's
    # rows against the period's bounds) each ask both for their offsets, which doubled the month's time
    start, stop = _aware(start), _aware(min(end, now or utcnow()))
    if stop <= start:
        return {}
    last_before = (select(AgentStateChange.agent, func.max(AgentStateChange.at).label("at"))
                   .where(AgentStateChange.tenant_id == tenant_id, AgentStateChange.at < start)
                   .group_by(AgentStateChange.agent).subquery())
    columns = (AgentStateChange.id, AgentStateChange.agent, AgentStateChange.user_id, AgentStateChange.state,
               AgentStateChange.at, AgentStateChange.until)
    carried = session.execute(select(*columns).join(
        last_before, (AgentStateChange.agent == last_before.c.agent) & (AgentStateChange.at == last_before.c.at))
        .where(AgentStateChange.tenant_id == tenant_id)).all()
    inside = session.execute(select(*columns).where(
        AgentStateChange.tenant_id == tenant_id, AgentStateChange.at >= start, AgentStateChange.at < stop)).all()
    by_agent: dict[str, list[Any]] = defaultdict(list)
    for change in [*carried, *inside]:
        by_agent[change.agent].append(change)
    result: dict[int, list[Segment]] = defaultdict(list)
    for changes in by_agent.values():
        changes.sort(key=lambda c: (c.at, c.id))
        user_id = next((c.user_id for c in reversed(changes) if c.user_id is not None), None)
        if user_id is None:
            continue
        ats = [_aware(c.at) for c in changes]
        for index, change in enumerate(changes):
            begin = max(ats[index], start)
            finish = min(ats[index + 1] if index + 1 < len(changes) else stop, stop)
            until = _aware(change.until) if change.until is not None else None
            pieces = [(change.state, begin, finish)]
            if change.state in ("wrap_up", "break") and until is not None and until < finish:
                pieces = [(change.state, begin, max(begin, until)), ("available", max(begin, until), finish)]
            result[user_id].extend(Segment(state, a, b) for state, a, b in pieces if b > a)
    return dict(result)


def _overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


def _spans(shifts: list[Shift]) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each agent's shifts as sorted (start, end) pairs; an agent's shifts never overlap (service.check)."""
    spans: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for shift in shifts:
        spans[shift.user_id].append((_aware(shift.starts_at), _aware(shift.ends_at)))
    for pairs in spans.values():
        pairs.sort()
    return spans


def _inside(start: datetime, end: datetime, pairs: list[tuple[datetime, datetime]]) -> float:
    """Seconds of [start, end) inside the sorted, disjoint spans: only those starting before `end` can overlap, and
    walking back from the last of them, only until one ends before `start`."""
    index = bisect_left(pairs, (end,))
    seconds = 0.0
    while index > 0:
        index -= 1
        span_start, span_end = pairs[index]
        if span_end <= start:
            break
        seconds += _overlap(start, end, span_start, span_end)
    return seconds


def _shifts(session: Session, tenant_id: int, start: datetime, end: datetime) -> list[Shift]:
    return list(session.scalars(select(Shift).where(Shift.tenant_id == tenant_id, Shift.starts_at < end,
                                                    Shift.ends_at > start).order_by(Shift.starts_at)))


@dataclass
class AgentDay:
    """One agent's attendance on one local day, in seconds, with the day's scheduled paid hours."""

    user_id: int
    day: date
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0.0))
    scheduled_hours: Decimal = Decimal(0)
    first_login: datetime | None = None
    last_logout: datetime | None = None

    def hours(self, figure: str) -> Decimal:
        return _hours(self.seconds[figure])


def day_attendance(session: Session, tenant_id: int, zone: ZoneInfo, day: date,
                   now: datetime | None = None) -> list[AgentDay]:
    """Every agent with a shift or a state change on the local `day`, by user id."""
    start, end = day_range(zone, day)
    lines = timelines(session, tenant_id, start, end, now)
    shifts = _shifts(session, tenant_id, start, end)
    planned = scheduled_hours(session, tenant_id, start, end)
    spans = _spans(shifts)
    users = sorted(set(lines) | {s.user_id for s in shifts})
    days = []
    for user_id in users:
        row = AgentDay(user_id, day)
        row.scheduled_hours = sum((h for (u, _), h in planned.items() if u == user_id), Decimal(0))
        own_shifts = spans.get(user_id, [])
        for segment in lines.get(user_id, []):
            if segment.state == "offline":
                if row.first_login is not None:
                    row.last_logout = segment.start
                continue
            row.first_login = row.first_login or segment.start
            row.seconds["logged_in"] += segment.seconds
            key = {"available": "available", "on_call": "talk", "wrap_up": "wrap_up", "break": "break"}.get(
                segment.state)
            if key:
                row.seconds[key] += segment.seconds
            inside = _inside(segment.start, segment.end, own_shifts)
            row.seconds["outside_shift"] += max(0.0, segment.seconds - inside)
        days.append(row)
    return days


@dataclass(frozen=True)
class IntervalAdherence:
    start: datetime  # local
    scheduled_minutes: float  # paid minutes the schedule asks for, all agents together
    working_minutes: float  # of those, minutes agents were working
    #: {user_id: (scheduled, working)} minutes
    agents: dict[int, tuple[float, float]]

    @property
    def percent(self) -> float | None:
        if self.scheduled_minutes <= 0:
            return None
        return round(100.0 * self.working_minutes / self.scheduled_minutes, 1)


def adherence(session: Session, tenant_id: int, zone: ZoneInfo, day: date, interval_minutes: int,
              now: datetime | None = None) -> list[IntervalAdherence]:
    """Scheduled against working minutes per interval of the local day (docstring above for the rule)."""
    if interval_minutes not in (15, 30, 60):
        raise ValueError("interval must be 15, 30 or 60 minutes")
    start, end = day_range(zone, day)
    lines = timelines(session, tenant_id, start, end, now)
    shifts = [(s.user_id, _aware(s.starts_at), _aware(s.ends_at), s.break_minutes)
              for s in _shifts(session, tenant_id, start, end)]
    # each agent's working time as sorted, disjoint spans (an agent's segments follow each other)
    working_spans = {user: [(seg.start, seg.end) for seg in segments if seg.state in WORKING]
                     for user, segments in lines.items()}
    result = []
    cursor = start
    while cursor < end:
        stop = min(cursor + timedelta(minutes=interval_minutes), end)
        agents: dict[int, tuple[float, float]] = {}
        for user_id, starts_at, ends_at, break_minutes in shifts:
            if starts_at >= stop or ends_at <= cursor:
                continue
            paid = float(hours_in(starts_at, ends_at, break_minutes, cursor, stop)) * 60
            if paid <= 0:
                continue
            worked = _inside(max(cursor, starts_at), min(stop, ends_at), working_spans.get(user_id, [])) / 60
            scheduled, working = agents.get(user_id, (0.0, 0.0))
            agents[user_id] = (scheduled + paid, working + worked)
        agents = {u: (p, min(w, p)) for u, (p, w) in agents.items()}
        result.append(IntervalAdherence(cursor.astimezone(zone), sum(p for p, _ in agents.values()),
                                        sum(w for _, w in agents.values()), agents))
        cursor = stop
    return result


@dataclass(frozen=True)
class MonthOvertime:
    user_id: int
    scheduled_hours: Decimal
    logged_in_hours: Decimal
    outside_shift_hours: Decimal
    above_standard_hours: Decimal


def month_overtime(session: Session, tenant_id: int, zone: ZoneInfo, year: int, month: int,
                   standard_hours: Decimal = STANDARD_MONTH_HOURS, now: datetime | None = None) -> list[MonthOvertime]:
    """Per agent over the local month: scheduled and logged-in hours, time logged in outside shifts, and the
    scheduled hours above the standard month."""
    start, end = month_range(zone, year, month)
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for (user_id, _seat), hours in scheduled_hours(session, tenant_id, start, end).items():
        planned[user_id] += hours
    lines = timelines(session, tenant_id, start, end, now)
    spans = _spans(_shifts(session, tenant_id, start, end))
    result = []
    for user_id in sorted(set(planned) | set(lines)):
        own = spans.get(user_id, [])
        logged = outside = 0.0
        for seg in lines.get(user_id, []):
            if seg.state == "offline":
                continue
            logged += seg.seconds
            inside = _inside(seg.start, seg.end, own)
            outside += max(0.0, seg.seconds - inside)
        scheduled = planned.get(user_id, Decimal(0))
        result.append(MonthOvertime(user_id, scheduled, _hours(logged), _hours(outside),
                                    max(Decimal(0), scheduled - standard_hours)))
    return result

