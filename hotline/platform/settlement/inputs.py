"""A vendor's month, gathered from the tenant's data: the contract in force, the agents who worked for the vendor,
their scheduled hours (schedules/hours.py, built by the schedules area), the QA score from the evaluations that
exist, and the business and overall scores, achieved targets and penalties entered for the month.

Where each input comes from (docs/settlement.md): the quality score is computed (the mean total of the month's
QA evaluations of the vendor's agents, calibration scores left out, an amended appeal with its amended total);
the business and overall scores are computed from the vendor's assessment figures and the contract's weights
(settlement/scores.py), unless a value entered for the month on the statement page overrides them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import Evaluation, User, Vendor, VendorAgent, VendorContract, VendorMonth
from .formula import Inputs, Missing, MissingInputs
from .terms import SEAT_TYPES, decimal

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

#: (session, tenant id, start, end, user ids) -> {(user id, seat type): hours}; schedules.hours.scheduled_hours.
#: The user ids are the agents whose hours are wanted; a source may return others too (they are ignored).
HoursSource = Callable[[Session, int, datetime, datetime, list[int]], dict[tuple[int, str], Decimal]]


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month in the tenant's zone, with the UTC instants it starts and ends at."""

    text: str
    first: date
    after: date  # the first day of the next month
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=self.zone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.after, time.min, tzinfo=self.zone).astimezone(UTC)


def parse_month(text: str, zone: ZoneInfo) -> Month:
    """"YYYY-MM" -> Month; anything else is a ValueError saying what a month looks like."""
    found = MONTH.match(text.strip())
    if found is None:
        raise ValueError(f"month: {text[:20]!r} is not a month (YYYY-MM)")
    year, month = int(found.group(1)), int(found.group(2))
    after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Month(f"{year:04d}-{month:02d}", date(year, month, 1), after, zone)


def scheduled_hours(session: Session, tenant_id: int, start: datetime, end: datetime,
                    user_ids: list[int]) -> dict[tuple[int, str], Decimal]:
    """The schedules area's hours of those agents (imported when used, so this module loads without that area)."""
    from ..schedules.hours import scheduled_hours as hours

    return hours(session, tenant_id, start, end, user_ids)


def agents_of(session: Session, vendor_id: int, month: Month) -> list[int]:
    """Users who worked for the vendor on at least one day of the month."""
    return list(session.scalars(select(VendorAgent.user_id).where(
        VendorAgent.vendor_id == vendor_id, VendorAgent.joined_on < month.after,
        or_(VendorAgent.left_on.is_(None), VendorAgent.left_on >= month.first)).order_by(VendorAgent.user_id)))


def windows_of(session: Session, vendor_id: int, month: Month) -> dict[int, tuple[datetime, datetime]]:
    """Each of the vendor's agents in the month -> the UTC instants of the part of the month they worked for the
    vendor (from the day they joined, through `left_on`, their last day with it), so an agent who moved from one
    vendor to another mid-month is billed to each for its own days only."""
    found = {}
    for user_id, joined, left in session.execute(select(VendorAgent.user_id, VendorAgent.joined_on,
                                                        VendorAgent.left_on).where(
            VendorAgent.vendor_id == vendor_id, VendorAgent.joined_on < month.after,
            or_(VendorAgent.left_on.is_(None), VendorAgent.left_on >= month.first))):
        first = max(joined, month.first)
        after = month.after if left is None else min(left + timedelta(days=1), month.after)
        found[user_id] = (datetime.combine(first, time.min, tzinfo=month.zone).astimezone(UTC),
                          datetime.combine(after, time.min, tzinfo=month.zone).astimezone(UTC))
    return found


def contract_for(session: Session, vendor_id: int, month: Month) -> VendorContract | None:
    """The contract in force on the month's first day (the latest to start, when two overlap)."""
    return session.scalars(select(VendorContract).where(
        VendorContract.vendor_id == vendor_id, VendorContract.valid_from <= month.first,
        or_(VendorContract.valid_to.is_(None), VendorContract.valid_to >= month.first))
        .order_by(VendorContract.valid_from.desc(), VendorContract.id.desc()).limit(1)).first()


def quality_score(session: Session, windows: dict[int, tuple[datetime, datetime]]) -> Decimal | None:
    """Mean QA total of the agents' evaluations made while each was with the vendor (`windows_of`), to 2
    places; None when there are none. Calibration scores are not an agent's score and are left out."""
    if not windows:
        return None
    rows = session.execute(select(Evaluation.agent_id, Evaluation.total, Evaluation.created_at).where(
        Evaluation.agent_id.in_(list(windows)), Evaluation.calibration_id.is_(None),
        Evaluation.created_at >= min(w[0] for w in windows.values()),
        Evaluation.created_at < max(w[1] for w in windows.values())))
    totals = [Decimal(str(total)) for agent_id, total, at in rows
              if windows[agent_id][0] <= at < windows[agent_id][1]]
    if not totals:
        return None
    return (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def names(session: Session, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {uid: display or username for uid, display, username in session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(user_ids)))}


def gather(session: Session, tenant_id: int, vendor: Vendor, month: Month,
           hours_source: HoursSource | None = None,
           rolled: dict[int, Any] | None = None) -> tuple[Inputs, dict[str, Any]]:
    """The month's inputs and a JSON record of them (what a signed statement keeps); MissingInputs when there
    is no contract (nothing else can be checked without one). `rolled`: the month's overtime roll-up as stored
    (a sign-off); without it, the roll-up is computed for the vendor's agents (settlement/overtime.py)."""
    contract = contract_for(session, vendor.id, month)
    if contract is None:
        raise MissingInputs([Missing("No contract of this vendor is in force in {month}", {"month": month.text})])
    windows = windows_of(session, vendor.id, month)
    source = hours_source or scheduled_hours
    # one read per distinct window (the whole month for most agents), of the agents with that window only: the
    # tenant's other vendors' shifts are neither read nor summed
    agents_by_window: dict[tuple[datetime, datetime], list[int]] = {}
    for user_id, window in sorted(windows.items()):
        agents_by_window.setdefault(window, []).append(user_id)
    by_window = {window: source(session, tenant_id, *window, user_ids)
                 for window, user_ids in agents_by_window.items()}
    hours: dict[int, dict[str, Decimal]] = {}
    for user_id, window in sorted(windows.items()):
        for seat_type in SEAT_TYPES:
            value = by_window[window].get((user_id, seat_type))
            if value:
                hours.setdefault(user_id, {})[seat_type] = Decimal(value)
    from . import overtime as roll_up  # it imports this module

    if rolled is None:
        rolled = roll_up.compute(session, tenant_id, month, sorted(hours), hours_source)
    billed = {uid: roll_up.attributed(rolled.get(uid), sum(hours[uid].values(), Decimal(0))) for uid in sorted(hours)}
    entry = session.scalars(select(VendorMonth).where(VendorMonth.vendor_id == vendor.id,
                                                      VendorMonth.month == month.text)).first()
    achieved = {code: found for code, value in ((entry.achieved or {}) if entry else {}).items()
                if (found := decimal(value)) is not None}
    penalties = {code: int(count) for code, count in ((entry.penalties or {}) if entry else {}).items() if count}
    from .scores import derive  # scores.py reads the assessment figures, which import this module

    scores, sources = derive(session, tenant_id, vendor, month, contract.terms, quality_score(session, windows),
                             entry)
    inputs = Inputs(month=month.text, terms=contract.terms, hours=hours, scores=scores, achieved=achieved,
                    penalties=penalties, overtime=billed)
    label = names(session, sorted(hours))
    record = {
        "vendor": {"id": vendor.id, "name": vendor.name, "title": vendor.title,
                   "self_operated": vendor.self_operated},
        "contract": {"id": contract.id, "title": contract.title, "valid_from": contract.valid_from.isoformat(),
                     "valid_to": contract.valid_to.isoformat() if contract.valid_to else None,
                     "terms": contract.terms},
        "hours": [{"user_id": uid, "name": label.get(uid, str(uid)),
                   **{t: str(v) for t, v in sorted(hours[uid].items())},
                   **({"overtime": str(billed[uid])} if billed[uid] else {})}
                  for uid in sorted(hours)],
        "scores": {k: None if v is None else str(v) for k, v in scores.items()},
        "score_sources": sources,
        "achieved": {k: str(v) for k, v in achieved.items()},
        "penalties": penalties,
        "note": entry.note if entry else "",
    }
    return inputs, record
