"""Creating, changing and deleting shifts, with the rules every path (page, import, drawing from the Erlang plan)
shares: the agent has a role in the tenant, the shift ends after it starts and lasts at most MAX_SHIFT_HOURS, the
break is shorter than the shift, the seat type is known, and an agent's shifts never overlap.

A refusal is a `ShiftRefused` carrying an English sentence with %(name)s fields (`key`) and the values (`params`),
so pages and import reports word it in the reader's language (designer/schedules/strings.py translates the keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import SEAT_TYPES, Membership, Role, Shift, User, utcnow
from ..services.errors import NotFound, ServiceError

MAX_SHIFT_HOURS = 16
MAX_BREAK_MINUTES = 240
MAX_NOTE = 200
#: Roles whose holders can be put on a shift.
SCHEDULED_ROLES = (Role.AGENT, Role.SUPERVISOR)
UNKNOWN_SEAT_TYPE = "Unknown seat type %(value)s; use 实习座席, 座席 or 班组长 (trainee, agent, team_lead)"


class ShiftRefused(ServiceError):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key % params if params else key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class ShiftInput:
    user_id: int
    seat_type: str
    starts_at: datetime
    ends_at: datetime
    break_minutes: int = 0
    note: str = ""


def schedulable_agents(session: Session, tenant_id: int) -> list[User]:
    """Users holding an agent or supervisor role in the tenant, by name: who may be put on a shift."""
    return list(session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.tenant_id == tenant_id, Membership.role.in_(SCHEDULED_ROLES)).distinct().order_by(User.username)))


def preselect(session: Session, tenant_id: int, agents: list[User],
              slots: list[tuple[datetime, datetime]]) -> list[int | None]:
    """An agent for each proposed (start, end) slot, or None: each agent at most once, and only one whose existing
    shifts leave the slot free, so the draw page never proposes a pick the save would refuse as an overlap."""
    if not slots or not agents:
        return [None] * len(slots)
    first, last = min(start for start, _ in slots), max(end for _, end in slots)
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for user_id, starts, ends in session.execute(select(Shift.user_id, Shift.starts_at, Shift.ends_at).where(
            Shift.tenant_id == tenant_id, Shift.user_id.in_([a.id for a in agents]), Shift.starts_at < last,
            Shift.ends_at > first)):
        busy.setdefault(user_id, []).append((starts, ends))
    free = [a.id for a in agents]
    picks: list[int | None] = []
    for start, end in slots:
        pick = next((user_id for user_id in free if not any(s < end and e > start for s, e in busy.get(user_id, ()))),
                    None)
        if pick is not None:
            free.remove(pick)
        picks.append(pick)
    return picks


def _name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.display_name or user.username if user else str(user_id)


def check(session: Session, tenant_id: int, data: ShiftInput, zone: ZoneInfo, shift_id: int | None = None) -> None:
    """Raises ShiftRefused for the first rule `data` breaks (the order the planner fixes them in)."""
    if data.seat_type not in SEAT_TYPES:
        raise ShiftRefused(UNKNOWN_SEAT_TYPE, value=data.seat_type[:40])
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("shift times must be aware")
    if data.ends_at <= data.starts_at:
        raise ShiftRefused("The shift must end after it starts")
    length = data.ends_at - data.starts_at
    if length > timedelta(hours=MAX_SHIFT_HOURS):
        raise ShiftRefused("A shift may last at most %(hours)s hours", hours=MAX_SHIFT_HOURS)
    if not 0 <= data.break_minutes <= MAX_BREAK_MINUTES or timedelta(minutes=data.break_minutes) >= length:
        raise ShiftRefused("The break must be from 0 to %(max)s minutes and shorter than the shift",
                           max=MAX_BREAK_MINUTES)
    if len(data.note) > MAX_NOTE:
        raise ShiftRefused("The note may hold at most %(max)s characters", max=MAX_NOTE)
    # One planner at a time per agent: the agent's row is locked (PostgreSQL; SQLite has one writer anyway) until
    # this transaction ends, so two overlapping shifts saved at the same instant cannot both pass the check below.
    session.execute(select(User.id).where(User.id == data.user_id).with_for_update())
    member = session.scalar(select(Membership.id).where(Membership.tenant_id == tenant_id,
                                                        Membership.user_id == data.user_id,
                                                        Membership.role.in_(SCHEDULED_ROLES)).limit(1))
    if member is None:  # by number only: the user may be another tenant's, whose name is none of this one's business
        raise ShiftRefused("User #%(id)s is not an agent of this tenant", id=data.user_id)
    clash = session.scalar(select(Shift).where(
        Shift.tenant_id == tenant_id, Shift.user_id == data.user_id, Shift.starts_at < data.ends_at,
        Shift.ends_at > data.starts_at, Shift.id != (shift_id or 0)).order_by(Shift.starts_at).limit(1))
    if clash is not None:
        raise ShiftRefused("Overlaps %(user)s's shift %(start)s–%(end)s", user=_name(session, data.user_id),
                           start=clash.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                           end=clash.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"))


def create(session: Session, tenant_id: int, data: ShiftInput, zone: ZoneInfo, actor: str) -> Shift:
    check(session, tenant_id, data, zone)
    shift = Shift(tenant_id=tenant_id, user_id=data.user_id, seat_type=data.seat_type, starts_at=data.starts_at,
                  ends_at=data.ends_at, break_minutes=data.break_minutes, note=data.note, updated_by=actor[:64],
                  updated_at=utcnow())
    session.add(shift)
    session.flush()
    return shift


def get(session: Session, tenant_id: int, shift_id: int) -> Shift:
    shift = session.scalar(select(Shift).where(Shift.tenant_id == tenant_id, Shift.id == shift_id))
    if shift is None:
        raise NotFound(f"shift {shift_id} not found")
    return shift


def update(session: Session, tenant_id: int, shift_id: int, data: ShiftInput, zone: ZoneInfo, actor: str) -> Shift:
    shift = get(session, tenant_id, shift_id)
    check(session, tenant_id, data, zone, shift_id=shift.id)
    shift.user_id, shift.seat_type = data.user_id, data.seat_type
    shift.starts_at, shift.ends_at, shift.break_minutes, shift.note = (data.starts_at, data.ends_at,
                                                                        data.break_minutes, data.note)
    shift.updated_by, shift.updated_at = actor[:64], utcnow()
    return shift


def delete(session: Session, tenant_id: int, shift_id: int) -> None:
    session.delete(get(session, tenant_id, shift_id))


def in_range(session: Session, tenant_id: int, start: datetime, end: datetime) -> list[Shift]:
    """Shifts starting in [start, end), by start: a week of the grid."""
    return list(session.scalars(select(Shift).where(Shift.tenant_id == tenant_id, Shift.starts_at >= start,
                                                    Shift.starts_at < end).order_by(Shift.starts_at, Shift.id)))
