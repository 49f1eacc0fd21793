"""Today's traffic per queue from the call records, in one SQL aggregate query.

"Today" is the tenant's local calendar day (its `timezone` setting, else its business calendar's, else UTC),
turned into a half-open UTC interval on `started_at`, so the (tenant_id, started_at) index answers it.

What counts, per queue (the record's `queue`: the last queue the call was in), among the calls that entered a
queue and started today. The runtime writes a record when the call ends, with the queue's outcome in the
trace (`trace.events`, `{"type": "queue", "status": "answered" | "abandoned" | "timeout", ...}`); `answered_at`
is used when a writer sets it:

* offered: every such call (calls still in progress are in the live figures, not here);
* answered: `answered_at` is set, or the trace has the queue status "answered" (the caller may hang up
  first: the flow outcome is then `caller_hangup`, and the call still counts as answered);
* abandoned, abandon rate and ASA: the reports' (QA 14 #1), from the same day's report rows as the service
  level: abandoned = queue abandons with the short ones apart (`abandoned_short`); abandon rate =
  `reports/figures.abandon_rate` (queue abandons ÷ (offered − short abandons)); ASA = `reports/figures.asa` (the
  answered calls' wait from queue entry to the agent's answer, the ring time included). The wallboard had counted
  the short abandons and stopped the wait when an agent was claimed, so it disagreed with the dashboard;
* service level: the reports' one definition (`reports/figures.service_level`: answered within the queue's target
  ÷ (offered − short abandons), the wait counted to the agent's answer, ringing included), from the day's report
  rows (`report_interval`, kept up in the same transaction as each call record), so the wallboard, the site
  dashboard and 报表 show the same figure for the same calls (QA 14: the wallboard divided by every offered call
  and stopped the wait at the claim); `answered_in_target` is the rows' count too;
* handle time, over the answered calls whose talk is known (`talk_seconds`, else `answered_at` and `ended_at`
  set), as the reports define it: talk `talk_seconds`, else `ended_at - answered_at` (never below 0), plus
  wrap-up: a per-call `wrap_up_seconds` column when call records have one, else the queue's `wrap_up_seconds`
  (the runtime's default when the queue names none), else nothing.
  Optional columns are looked up with getattr, since other migrations add them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Select, and_, bindparam, case, cast, extract, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..acd import defaults as acd_defaults
from ..models import CallRecord, Queue, ReportInterval
from ..models.base import UTCDateTime
from ..reports.figures import abandon_rate, asa, service_level
from ..tenant_zone import zone_of

log = logging.getLogger(__name__)

DEFAULT_TARGET_SECONDS = 20


def tenant_zone(settings: Mapping[str, Any] | None) -> ZoneInfo:
    """The tenant's time zone; UTC (with a warning) when the setting names no known zone."""
    return zone_of(settings)  # the one zone every page uses (platform/tenant_zone.py)


def day_bounds(now: datetime, zone: ZoneInfo) -> tuple[date, datetime, datetime]:
    """The local date of `now` and its [start, end) in UTC; a DST day is 23 or 25 hours long."""
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time.min, tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    return today, start.astimezone(UTC), end.astimezone(UTC)


@dataclass(slots=True)
class QueueTotals:
    """Sums over today's finished calls of one queue (or of the whole tenant); ratios derive from them."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    answered_in_target: int = 0
    talk_seconds: float = 0.0
    wrap_up_seconds: float = 0.0
    #: answered calls whose talk time is known (the handle time's denominator)
    timed: int = 0
    target_seconds: int | None = DEFAULT_TARGET_SECONDS
    #: the report rows' offered and short abandons: the service level's and abandon rate's base, as the reports
    #: count them; `abandoned` is the rows' queue abandons (short ones apart), `wait_sum`/`wait_count` the ASA's
    report_offered: int = 0
    abandoned_short: int = 0
    wait_sum: float = 0.0
    wait_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, other: QueueTotals) -> None:
        self.offered += other.offered
        self.answered += other.answered
        self.abandoned += other.abandoned
        self.answered_in_target += other.answered_in_target
        self.wait_sum += other.wait_sum
        self.wait_count += other.wait_count
        self.talk_seconds += other.talk_seconds
        self.wrap_up_seconds += other.wrap_up_seconds
        self.timed += other.timed
        self.report_offered += other.report_offered
        self.abandoned_short += other.abandoned_short

    @property
    def service_level(self) -> float | None:
        """The reports' service level (reports/figures.service_level); None before the first call."""
        return service_level(self.answered_in_target, self.report_offered, self.abandoned_short)

    @property
    def abandon_rate(self) -> float | None:
        """The reports' abandon rate (reports/figures.abandon_rate); None before the first call."""
        return abandon_rate(self.abandoned, self.report_offered, self.abandoned_short)

    @property
    def asa(self) -> float | None:
        """The reports' average speed of answer, ring time included (reports/figures.asa)."""
        return asa(self.wait_sum, self.wait_count)

    @property
    def aht(self) -> float | None:
        """Average handle time: talk plus wrap-up, per answered call."""
        return round((self.talk_seconds + self.wrap_up_seconds) / self.timed, 1) if self.timed else None

    @property
    def average_talk(self) -> float | None:
        return round(self.talk_seconds / self.timed, 1) if self.timed else None


def _epoch(column: Any, dialect: str) -> ColumnElement[float]:
    """Seconds since 1970 of a timestamp column, on PostgreSQL and SQLite (stored as UTC text there)."""
    if dialect == "postgresql":
        return extract("epoch", column)
    return (func.julianday(column) - 2440587.5) * 86400.0


def wrap_up_source() -> str:
    """Where the wrap-up part of the handle time comes from: "records", "queue" or "none"."""
    if getattr(CallRecord, "wrap_up_seconds", None) is not None:
        return "records"
    if getattr(Queue, "wrap_up_seconds", None) is not None:
        return "queue"
    return "none"


def runtime_wrap_up_default() -> float:
    """The runtime's wrap-up for a queue that sets none (the ACD default both sides read, so they never differ)."""
    return float(acd_defaults.WRAP_UP_SECONDS)


def _queue_status(status: str, dialect: str) -> ColumnElement[bool]:
    """The call's trace has a queue event with this status (the runtime's record of what the queue did)."""
    if dialect == "postgresql":
        return literal_column(
            # COALESCE: a trace without events gives NULL, and NOT NULL would drop the call from both counts
            f"""COALESCE((call_record.trace -> 'events') @> '[{{"type": "queue", "status": "{status}"}}]'::jsonb, """
            "false)")
    return literal_column(
        "EXISTS (SELECT 1 FROM json_each(call_record.trace, '$.events') AS e "
        f"WHERE json_extract(e.value, '$.type') = 'queue' AND json_extract(e.value, '$.status') = '{status}')")


@lru_cache(maxsize=4)
def _totals_query(dialect: str) -> Select[Any]:
    """The GROUP BY statement, built once per dialect (building it costs more than running it on 1,000 rows);
    the day's bounds are bind parameters and the tenant criterion is added by the tenant session."""
    answered = or_(CallRecord.answered_at.is_not(None), _queue_status("answered", dialect))
    # Handle time as the reports define it (reports/classify.py): the recorded talk when the record has it, else
    # ended - answered, never below 0, plus the queue's wrap-up — so the wallboard and the day's report agree.
    timed = and_(answered, or_(CallRecord.talk_seconds.is_not(None),
                               and_(CallRecord.answered_at.is_not(None), CallRecord.ended_at.is_not(None))))
    sl_column = getattr(Queue, "service_level_seconds", None)
    target = func.coalesce(sl_column, DEFAULT_TARGET_SECONDS) if sl_column is not None \
        else literal(DEFAULT_TARGET_SECONDS)
    measured = func.coalesce(CallRecord.talk_seconds,
                             _epoch(CallRecord.ended_at, dialect) - _epoch(CallRecord.answered_at, dialect))
    talk = case((measured < 0, 0.0), else_=measured)
    source = wrap_up_source()
    if source == "records":
        wrap: ColumnElement[Any] = func.coalesce(CallRecord.wrap_up_seconds, 0)  # type: ignore[attr-defined]
    elif source == "queue":
        wrap = func.coalesce(Queue.wrap_up_seconds, bindparam("default_wrap_up"))  # type: ignore[attr-defined]
    else:
        wrap = literal(0)

    def total(condition: ColumnElement[bool], value: Any = 1) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    return (
        select(
            CallRecord.queue,
            func.max(target),
            func.count(),
            total(answered),
            total(timed),
            total(timed, talk),
            total(timed, cast(wrap, Float)),
        )
        .select_from(CallRecord)
        .outerjoin(Queue, and_(Queue.tenant_id == CallRecord.tenant_id, Queue.name == CallRecord.queue))
        .where(CallRecord.started_at >= bindparam("day_start", type_=UTCDateTime()),
               CallRecord.started_at < bindparam("day_end", type_=UTCDateTime()),
               CallRecord.queue.is_not(None),
               CallRecord.test_call.is_(False))  # test calls are not traffic
        .group_by(CallRecord.queue)
    )


def totals_by_queue(session: Session, start: datetime, end: datetime) -> dict[str, QueueTotals]:
    """Today's sums per queue for the session's tenant (tenant-scoped session), in one GROUP BY query."""
    query = _totals_query(session.get_bind().dialect.name)
    params: dict[str, Any] = {"day_start": start, "day_end": end}
    if wrap_up_source() == "queue":
        params["default_wrap_up"] = runtime_wrap_up_default()
    result = {}
    for name, target_s, offered, ans, timed, talk_s, wrap_s in session.execute(query, params):
        result[name] = QueueTotals(
            offered=int(offered), answered=int(ans), talk_seconds=max(0.0, float(talk_s)),
            wrap_up_seconds=float(wrap_s), timed=int(timed),
            target_seconds=int(target_s) if target_s is not None else DEFAULT_TARGET_SECONDS,
        )
    for name, offered, short, in_target, abandoned, wait_sum, wait_count in session.execute(
            _report_sums(start, end)):
        totals = result.setdefault(name, QueueTotals())
        totals.report_offered, totals.abandoned_short = int(offered or 0), int(short or 0)
        totals.answered_in_target, totals.abandoned = int(in_target or 0), int(abandoned or 0)
        totals.wait_sum, totals.wait_count = float(wait_sum or 0), int(wait_count or 0)
    return result


def _report_sums(start: datetime, end: datetime) -> Select[Any]:
    """The day's report rows per queue (offered, short abandons, answered within target, queue abandons, wait sum
    and count) for the service level, abandon rate and ASA.
    A local day starts on a 15-minute UTC boundary in every zone, so [start, end) holds whole interval rows; the
    tenant criterion is added by the tenant session."""
    r = ReportInterval
    return (select(r.queue, func.sum(r.offered), func.sum(r.abandoned_short), func.sum(r.answered_in_target),
                   func.sum(r.abandoned_queue), func.sum(r.wait_sum), func.sum(r.wait_count))
            .where(r.interval_start >= start, r.interval_start < end, r.queue != "").group_by(r.queue))
