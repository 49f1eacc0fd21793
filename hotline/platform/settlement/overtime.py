"""The month's overtime roll-up: per agent, the scheduled hours of the whole tenant-local month, the standard month
they are held against, and the hours above it (加班工时); the settlement bills overtime seats from it.

Why a roll-up per agent and month rather than per statement: overtime is a property of the agent's month, not of
one vendor's share of it. An agent who moved from one vendor to another mid-month, 100 h with each, worked 33.36 h
above the standard 166.64, though neither part alone is above it; billed per vendor part, that overtime vanished.
So the month is rolled up per agent first, and each vendor is billed the agent's overtime in proportion to the
hours the agent worked for it (`attributed`); an agent wholly with one vendor is billed exactly its hours above
the standard, as before.

The standard is the one of the contract in force for the vendor the agent ends the month with (the seed's
166.64 when the agent is with no vendor, or the contract names none). `refresh` recomputes a month as a whole
and stores it in `agent_month_overtime` (rows updated in place, added, or removed when an agent no longer has
hours), so running it twice changes nothing; signing a statement refreshes the month first and bills from the
stored rows, and the statement computed now uses the same computation without storing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import AgentMonthOvertime, VendorAgent, utcnow
from .inputs import HoursSource, Month, contract_for, scheduled_hours
from .terms import decimal

#: The seed's standard month (seed 001: 标准工时 166.64 小时/月).
STANDARD_MONTH_HOURS = Decimal("166.64")
HOURS_QUANTUM = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Rolled:
    """One agent's month: scheduled hours, the standard they are held against, and the hours above it."""

    scheduled: Decimal
    standard: Decimal
    overtime: Decimal


def standards(session: Session, month: Month) -> dict[int, Decimal]:
    """Each agent with a vendor in the month -> the standard hours of the contract in force for the vendor the
    agent ends the month with (the latest to join)."""
    last_vendor: dict[int, int] = {}
    for user_id, vendor_id in session.execute(select(VendorAgent.user_id, VendorAgent.vendor_id).where(
            VendorAgent.joined_on < month.after,
            or_(VendorAgent.left_on.is_(None), VendorAgent.left_on >= month.first))
            .order_by(VendorAgent.joined_on, VendorAgent.id)):
        last_vendor[user_id] = vendor_id
    by_vendor: dict[int, Decimal] = {}
    for vendor_id in set(last_vendor.values()):
        contract = contract_for(session, vendor_id, month)
        found = decimal((contract.terms or {}).get("standard_hours")) if contract is not None else None
        by_vendor[vendor_id] = found if found is not None and found > 0 else STANDARD_MONTH_HOURS
    return {user_id: by_vendor[vendor_id] for user_id, vendor_id in last_vendor.items()}


def standard_of(held: dict[int, Decimal], user_id: int) -> Decimal:
    """The standard month an agent is held against, from `standards`: the contract's, else the seed's 166.64.
    The attendance page's month table uses it too, so the page and the bill never disagree (task 15c item 3)."""
    return held.get(user_id, STANDARD_MONTH_HOURS)


def compute(session: Session, tenant_id: int, month: Month, user_ids: list[int] | None = None,
            hours_source: HoursSource | None = None) -> dict[int, Rolled]:
    """The month rolled up per agent (those of `user_ids`, else every agent with scheduled hours), not stored."""
    if hours_source is not None and user_ids is not None:
        hours = hours_source(session, tenant_id, month.start, month.end, user_ids)
    else:
        from ..schedules.hours import scheduled_hours as every_agent  # all agents of the tenant

        hours = (scheduled_hours(session, tenant_id, month.start, month.end, user_ids) if user_ids is not None
                 else every_agent(session, tenant_id, month.start, month.end))
    totals: dict[int, Decimal] = {}
    for (user_id, _seat_type), value in hours.items():
        if user_ids is None or user_id in user_ids:
            totals[user_id] = totals.get(user_id, Decimal(0)) + Decimal(value)
    held = standards(session, month)
    return {user_id: Rolled(total, standard_of(held, user_id), max(Decimal(0), total - standard_of(held, user_id)))
            for user_id, total in sorted(totals.items()) if total > 0}


def refresh(session: Session, tenant_id: int, month: Month) -> dict[int, Rolled]:
    """Recomputes the tenant's month and stores it (idempotent: the same data gives the same rows); returns it."""
    rolled = compute(session, tenant_id, month)
    kept = {row.user_id: row for row in session.scalars(
        select(AgentMonthOvertime).where(AgentMonthOvertime.month == month.text))}
    now = utcnow()
    for user_id, found in rolled.items():
        row = kept.pop(user_id, None)
        if row is None:
            try:  # two sign-offs of the month at once: the second finds the first's row and updates it
                with session.begin_nested():
                    session.add(AgentMonthOvertime(user_id=user_id, month=month.text, scheduled_hours=found.scheduled,
                                                   standard_hours=found.standard, overtime_hours=found.overtime,
                                                   computed_at=now))
                continue
            except IntegrityError:
                row = session.scalars(select(AgentMonthOvertime).where(AgentMonthOvertime.user_id == user_id,
                                                                       AgentMonthOvertime.month == month.text)).one()
        if (row.scheduled_hours, row.standard_hours, row.overtime_hours) != (
                found.scheduled, found.standard, found.overtime):
            row.scheduled_hours, row.standard_hours, row.overtime_hours = (found.scheduled, found.standard,
                                                                           found.overtime)
            row.computed_at = now
    for row in kept.values():  # no scheduled hours any more
        session.delete(row)
    session.flush()
    return rolled


def stored(session: Session, month: Month) -> dict[int, Rolled]:
    """The month as last rolled up (the session's tenant's rows)."""
    return {row.user_id: Rolled(row.scheduled_hours, row.standard_hours, row.overtime_hours)
            for row in session.scalars(select(AgentMonthOvertime).where(AgentMonthOvertime.month == month.text))}


def attributed(rolled: Rolled | None, vendor_hours: Decimal) -> Decimal:
    """The agent's overtime billed to a vendor the agent worked `vendor_hours` of the month for: the overtime in
    proportion to those hours (all of it for an agent wholly with the vendor), to 0.0001 h, half up."""
    if rolled is None or rolled.overtime <= 0 or rolled.scheduled <= 0 or vendor_hours <= 0:
        return Decimal(0)
    if vendor_hours >= rolled.scheduled:
        return rolled.overtime
    return min(vendor_hours, (rolled.overtime * vendor_hours / rolled.scheduled).quantize(
        HOURS_QUANTUM, rounding=ROUND_HALF_UP))
