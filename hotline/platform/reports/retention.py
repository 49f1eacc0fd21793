"""How long a tenant's report figures are kept, and what a report over a longer range is told.

Setting `report_retention_days` (tenant settings, 31-3660 days; 731 — two years and a day, so last year's same
month is always comparable — when unset): interval rows of local days older than that are deleted by
`hotline reports purge` (cron it daily). A report whose range starts before the first kept day still lists every
bucket (zeros there, as for any empty period) and says, in words, from which day figures are kept and why; the raw
call records and tickets are not touched by this setting (`hotline reports rebuild` brings purged rows back from
them while they exist).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..models import ReportInterval, ReportIvrEdge, ReportIvrNode, ReportTicketInterval
from ..wallboard.today import tenant_zone

DEFAULT_DAYS = 731
MIN_DAYS, MAX_DAYS = 31, 3660
SETTING = "report_retention_days"


def retention_days(settings: Mapping[str, Any] | None) -> int:
    """The tenant's retention in days (the default when unset or out of bounds)."""
    value = (settings or {}).get(SETTING)
    if isinstance(value, int) and not isinstance(value, bool) and MIN_DAYS <= value <= MAX_DAYS:
        return value
    return DEFAULT_DAYS


def setting_problem(value: Any) -> str | None:
    """Why a value cannot be the setting (None when it can)."""
    if not isinstance(value, int) or isinstance(value, bool) or not MIN_DAYS <= value <= MAX_DAYS:
        return f"must be a whole number of days from {MIN_DAYS} to {MAX_DAYS}"
    return None


@dataclass(frozen=True, slots=True)
class Kept:
    """What a report range keeps: figures from `first_day` (local) on, `days` being the tenant's retention."""

    days: int
    first_day: date
    range_first: date

    def as_json(self) -> dict[str, Any]:
        return {"days": self.days, "kept_from": self.first_day.isoformat(), "from": self.range_first.isoformat()}


def first_kept_day(settings: Mapping[str, Any] | None, today: date) -> date:
    return today - timedelta(days=retention_days(settings))


def over_retention(settings: Mapping[str, Any] | None, first: date, today: date) -> Kept | None:
    """A Kept notice when the range starting on `first` reaches before the first kept day, else None."""
    kept_from = first_kept_day(settings, today)
    return Kept(retention_days(settings), kept_from, first) if first < kept_from else None


def purge(session: Session, tenant_id: int, settings: Mapping[str, Any] | None, now: datetime) -> int:
    """Deletes the tenant's interval rows of local days before the first kept day; returns the rows deleted."""
    zone = tenant_zone(settings)
    today = now.astimezone(zone).date()
    cutoff = datetime.combine(first_kept_day(settings, today), time.min, tzinfo=zone).astimezone(UTC)
    deleted = 0
    for model in (ReportInterval, ReportIvrNode, ReportIvrEdge, ReportTicketInterval):
        result = session.execute(delete(model).where(model.tenant_id == tenant_id, model.interval_start < cutoff)
                                 .execution_options(synchronize_session=False))
        deleted += result.rowcount or 0
    return deleted
