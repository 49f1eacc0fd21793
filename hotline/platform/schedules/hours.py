"""Scheduled hours per agent and seat type over a period: what the outsourcing settlement turns into seats.

A shift counts its length minus its breaks. Only the part of a shift inside the period counts, and its breaks
count in proportion to that part: a break has no time of its own on a shift (the planner types "60 minutes", not
when), so an overnight shift of 8 h with 1 h of break that crosses midnight at the end of a month gives the month
2 h x 7/8 = 1.75 h and the next month 5.25 h, and the two always add up to the shift's 7 h.

Sums are exact (fractions of seconds) and rounded once, per agent and seat type, to 0.0001 h (a third of a
second), half up, so a month of shifts loses nothing to rounding before the settlement rounds money to the cent.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Shift

#: Hours are given to this many places (0.0001 h = 0.36 s).
HOURS_QUANTUM = Decimal("0.0001")


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"{name} must carry a time zone (got the naive {value.isoformat()})")
    return value.astimezone(UTC)


def hours_in(starts_at: datetime, ends_at: datetime, break_minutes: int, start: datetime, end: datetime) -> Fraction:
    """Exact paid hours of one shift inside [start, end): the clipped length less its share of the breaks."""
    starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    start, end = _aware(start, "start"), _aware(end, "end")
    length = Fraction(int((ends_at - starts_at).total_seconds()))
    if length <= 0:
        return Fraction(0)
    inside = Fraction(int((min(ends_at, end) - max(starts_at, start)).total_seconds()))
    if inside <= 0:
        return Fraction(0)
    paid = length - min(Fraction(break_minutes * 60), length)
    return inside * paid / length / 3600


def to_hours(value: Fraction) -> Decimal:
    """An exact number of hours as a Decimal to HOURS_QUANTUM, half up."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(HOURS_QUANTUM, rounding=ROUND_HALF_UP)


#: Users per IN (...) list: well under SQLite's and PostgreSQL's bound parameter limits.
USERS_PER_QUERY = 500


def scheduled_hours(session: Session, tenant_id: int, start: datetime, end: datetime,
                    user_ids: Collection[int] | None = None) -> dict[tuple[int, str], Decimal]:
    """{(user_id, seat_type): scheduled hours} of the tenant's shifts, clipped to [start, end) (both aware).

    `user_ids` limits the sum to those agents (the settlement needs one vendor's, not the tenant's); None means
    every agent. Agents and seat types without a scheduled minute in the period are absent, not zero.

    Why it is shaped this way (it was 97% of a statement's time): the database selects only the five columns and
    only the overlapping shifts of the agents asked for; a shift wholly inside the period adds its paid seconds as
    an integer, and only the few clipped at the period's edges need a Fraction, so the sum stays exact.
    """
    start, end = _aware(start, "start"), _aware(end, "end")
    if end <= start:
        raise ValueError(f"the period must end after it starts ({start.isoformat()} .. {end.isoformat()})")
    query = (select(Shift.user_id, Shift.seat_type, Shift.starts_at, Shift.ends_at, Shift.break_minutes)
             .where(Shift.tenant_id == tenant_id, Shift.starts_at < end, Shift.ends_at > start))
    if user_ids is None:
        rows = list(session.execute(query))
    else:
        wanted = sorted(set(user_ids))
        rows = []
        for offset in range(0, len(wanted), USERS_PER_QUERY):
            rows.extend(session.execute(query.where(Shift.user_id.in_(wanted[offset:offset + USERS_PER_QUERY]))))
    whole: dict[tuple[int, str], int] = {}  # paid seconds of shifts wholly inside the period
    clipped: dict[tuple[int, str], Fraction] = {}  # exact hours of those cut by its start or end
    for user_id, seat_type, starts_at, ends_at, break_minutes in rows:
        starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
        key = (user_id, seat_type)
        if starts_at >= start and ends_at <= end:
            length = int((ends_at - starts_at).total_seconds())
            if length > 0 and length > break_minutes * 60:
                whole[key] = whole.get(key, 0) + length - break_minutes * 60
            continue
        hours = hours_in(starts_at, ends_at, break_minutes, start, end)
        if hours > 0:
            clipped[key] = clipped.get(key, Fraction(0)) + hours
    exact = {key: Fraction(seconds, 3600) for key, seconds in whole.items()}
    for key, hours in clipped.items():
        exact[key] = exact.get(key, Fraction(0)) + hours
    return {key: to_hours(value) for key, value in sorted(exact.items())}


def month_range(zone: ZoneInfo, year: int, month: int) -> tuple[datetime, datetime]:
    """The UTC instants of the local month's first midnight and the next month's: the period of a monthly figure."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return (datetime.combine(first, time.min, tzinfo=zone).astimezone(UTC),
            datetime.combine(following, time.min, tzinfo=zone).astimezone(UTC))


def day_range(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """The UTC instants of the local day's midnight and the next (23 or 25 h apart on a zone's DST days)."""
    return (datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC),
            datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC))
