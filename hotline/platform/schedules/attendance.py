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
* overtime beyond the standard month = a month's scheduled hours above the standard month the settlement's
  overtime roll-up holds the agent to (settlement/overtime.py: the agent's vendor contract's, else the seed's
  166.64 h), so the page and the bill agree.
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
from ..settlement import overtime
from ..settlement.inputs import parse_month
from .hours import day_range, hours_in, month_range, scheduled_hours, to_hours

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


#: Instants inside the walk are integer microseconds since this epoch: exact, and a difference divided by 10**6 is
#: the very float `timedelta.total_seconds()` gives, so figures are unchanged while the walk is several times faster.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)


def _micros(value: datetime) -> int:
    return (value - EPOCH) // MICRO


def _instant(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _pieces(session: Session, tenant_id: int, start: datetime, stop: datetime) -> dict[int, list[tuple[str, int, int]]]:
    """{user_id: [(state, start µs, end µs)]} inside [start, stop): the timeline rule of the module docstring.

    The one walk behind `timelines` and the month's overtime. The database orders the changes (index on tenant,
    agent, at) and only the five columns the walk reads are fetched, since a month holds every change of every
    agent (88,000 at 100 agents).
    """
    last_before = (select(AgentStateChange.agent, func.max(AgentStateChange.at).label("at"))
                   .where(AgentStateChange.tenant_id == tenant_id, AgentStateChange.at < start)
                   .group_by(AgentStateChange.agent).subquery())
    columns = (AgentStateChange.agent, AgentStateChange.user_id, AgentStateChange.state,
               AgentStateChange.at, AgentStateChange.until)
    order = (AgentStateChange.agent, AgentStateChange.at, AgentStateChange.id)
    carried = session.execute(select(*columns).join(
        last_before, (AgentStateChange.agent == last_before.c.agent) & (AgentStateChange.at == last_before.c.at))
        .where(AgentStateChange.tenant_id == tenant_id).order_by(*order)).all()
    inside = session.execute(select(*columns).where(
        AgentStateChange.tenant_id == tenant_id, AgentStateChange.at >= start, AgentStateChange.at < stop)
        .order_by(*order)).all()
    # carried changes are all before `start`, inside ones at or after it: per agent, carried then inside is sorted
    by_agent: dict[str, list[Any]] = defaultdict(list)
    for change in carried:
        by_agent[change[0]].append(change)
    for change in inside:
        by_agent[change[0]].append(change)
    begin_us, stop_us = _micros(start), _micros(stop)
    result: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for changes in by_agent.values():
        user_id = next((c[1] for c in reversed(changes) if c[1] is not None), None)
        if user_id is None:
            continue
        pieces = result[user_id]  # an agent with changes is listed even when none of them lasts
        ats = [_micros(c[3]) for c in changes]
        ats.append(stop_us)
        for index, (_agent, _user, state, _at, until) in enumerate(changes):
            begin = max(ats[index], begin_us)
            finish = min(ats[index + 1], stop_us)
            if state in ("wrap_up", "break") and until is not None and (until_us := _micros(until)) < finish:
                middle = max(begin, until_us)
                if middle > begin:
                    pieces.append((state, begin, middle))
                if finish > middle:
                    pieces.append(("available", middle, finish))
            elif finish > begin:
                pieces.append((state, begin, finish))
    return dict(result)


def timelines(session: Session, tenant_id: int, start: datetime, end: datetime,
              now: datetime | None = None) -> dict[int, list[Segment]]:
    """{user_id: state segments inside [start, min(end, now))} from the tenant's copied state changes.

    Changes of an agent id no user is known for (an extension never assigned through the desk) are left out.
    """
    start, stop = _aware(start), _aware(min(end, now or utcnow()))
    if stop <= start:
        return {}
    return {user_id: [Segment(state, _instant(a), _instant(b)) for state, a, b in pieces]
            for user_id, pieces in _pieces(session, tenant_id, start, stop).items()}


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
    #: the interval starts after "now": nothing could have been worked yet, so it has no adherence (not 0 %)
    future: bool = False

    @property
    def percent(self) -> float | None:
        if self.scheduled_minutes <= 0 or self.future:
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
    moment = _aware(now or utcnow())
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
                                        sum(w for _, w in agents.values()), agents, future=cursor >= moment))
        cursor = stop
    return result


@dataclass(frozen=True)
class MonthOvertime:
    user_id: int
    scheduled_hours: Decimal
    logged_in_hours: Decimal
    outside_shift_hours: Decimal
    standard_hours: Decimal
    above_standard_hours: Decimal


def month_overtime(session: Session, tenant_id: int, zone: ZoneInfo, year: int, month: int,
                   standards: dict[int, Decimal] | None = None, now: datetime | None = None) -> list[MonthOvertime]:
    """Per agent over the local month: scheduled and logged-in hours, time logged in outside shifts, the standard
    month the agent is held to and the scheduled hours above it. `standards` (user id -> hours) defaults to the
    overtime roll-up's (each agent's vendor contract, else 166.64 h), the one the settlement bills from."""
    start, end = month_range(zone, year, month)
    held = overtime.standards(session, parse_month(f"{year:04d}-{month:02d}", zone)) if standards is None \
        else standards
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for (user_id, _seat), hours in scheduled_hours(session, tenant_id, start, end).items():
        planned[user_id] += hours
    stop = min(end, now or utcnow())
    lines = _pieces(session, tenant_id, start, stop) if stop > start else {}
    # each agent's shifts as sorted (start, end) microseconds: the walk compares integers, not datetimes
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for user_id, starts_at, ends_at in session.execute(select(Shift.user_id, Shift.starts_at, Shift.ends_at).where(
            Shift.tenant_id == tenant_id, Shift.starts_at < end, Shift.ends_at > start)):
        spans[user_id].append((_micros(starts_at), _micros(ends_at)))
    result = []
    for user_id in sorted(set(planned) | set(lines)):
        own = sorted(spans.get(user_id, []))
        logged = outside = 0.0
        for state, a, b in lines.get(user_id, []):
            if state == "offline":
                continue
            seconds = (b - a) / 1_000_000
            logged += seconds
            # seconds of [a, b) inside the shifts, as _inside walks them (same floats, same order)
            index = bisect_left(own, (b,))
            inside = 0.0
            while index > 0:
                index -= 1
                span_start, span_end = own[index]
                if span_end <= a:
                    break
                inside += max(0.0, (min(b, span_end) - max(a, span_start)) / 1_000_000)
            outside += max(0.0, seconds - inside)
        scheduled = planned.get(user_id, Decimal(0))
        standard = overtime.standard_of(held, user_id)
        result.append(MonthOvertime(user_id, scheduled, _hours(logged), _hours(outside), standard,
                                    max(Decimal(0), scheduled - standard)))
    return result
