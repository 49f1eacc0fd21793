"""The site manager's dashboard (seed 000 业务现场管理): today's calls beside today's business, one screen.

Calls: the wallboard's own figures (`wallboard.tenant_figures`, coloured by the supervisor's thresholds).
Business, for the tenant's local day: tickets created (from the interval rows), waiting for dispatch, overdue
now (an open ticket past its first-response or resolution due time), urges today, resolved today. Each business
figure is coloured the wallboard's way (green / amber / red, more is worse) with the levels below, which a
tenant may override in its settings (`dashboard_thresholds: {"overdue": {"amber": 1, "red": 10}, ...}`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ScalarSelect, Select, func, or_, select
from sqlalchemy.orm import Session

from ..db import Database
from ..models import ManualDispatch, ReportInterval, ReportTicketInterval, Tenant, Ticket, TicketUrge
from ..wallboard import thresholds as th
from ..wallboard.figures import figures_in
from ..wallboard.live import AcdReader
from ..wallboard.thresholds import AMBER, GREEN, NONE, RED, Levels
from ..wallboard.today import day_bounds, tenant_zone
from . import classify as cl
from .figures import call_figures

BUSINESS = ("created", "pending_dispatch", "overdue", "urged", "resolved")
#: Levels of the figures where more is worse; created and resolved are volumes, not alarms (no colour).
DEFAULT_LEVELS: dict[str, Levels] = {"pending_dispatch": Levels(1, 5), "overdue": Levels(1, 10),
                                     "urged": Levels(1, 5)}


def _levels(settings: Mapping[str, Any] | None) -> dict[str, Levels]:
    found = dict(DEFAULT_LEVELS)
    custom = (settings or {}).get("dashboard_thresholds") or {}
    for name, pair in custom.items() if isinstance(custom, dict) else ():
        if name in found and isinstance(pair, dict):
            amber, red = pair.get("amber"), pair.get("red")
            if all(v is None or (isinstance(v, int | float) and v >= 0) for v in (amber, red)):
                found[name] = Levels(amber, red)
    return found


def colour(value: float | None, levels: Levels | None) -> str:
    """The wallboard's colours for a figure where more is worse."""
    if value is None or levels is None:
        return NONE
    if levels.red is not None and value >= levels.red:
        return RED
    if levels.amber is not None and value >= levels.amber:
        return AMBER
    return GREEN


def business_figures(db: Database, tenant_id: int, now: datetime) -> dict[str, Any]:
    """Today's ticket figures of one tenant and their colours."""
    with db.tenant(tenant_id) as session:
        return business_in(session, tenant_id, now)


def business_in(session: Session, tenant_id: int, now: datetime) -> dict[str, Any]:
    """business_figures in the caller's tenant-scoped session."""
    tenant = session.get(Tenant, tenant_id)
    settings = tenant.settings if tenant else None
    _day, start, end = day_bounds(now, tenant_zone(settings))
    return _business(session.execute(select(*_business_counts(tenant_id, now, start, end))).one(), settings)


def _business_counts(tenant_id: int, now: datetime, start: datetime, end: datetime) -> list[ScalarSelect[Any]]:
    """The five business counts as scalar subqueries (one round trip however they are combined), each answered
    by an index of migration 0025 or older: the day's ticket rows, pending dispatches, open tickets past a due time
    (partial indexes over open tickets only), urges by (tenant, at), resolved by (tenant, resolved_at)."""
    open_ticket = Ticket.resolved_at.is_(None)
    return [
        select(func.coalesce(func.sum(ReportTicketInterval.created), 0)).where(
            ReportTicketInterval.tenant_id == tenant_id, ReportTicketInterval.interval_start >= start,
            ReportTicketInterval.interval_start < end).scalar_subquery(),
        select(func.count()).select_from(ManualDispatch).join(Ticket, Ticket.id == ManualDispatch.ticket_id).where(
            ManualDispatch.tenant_id == tenant_id, ManualDispatch.done_at.is_(None),
            Ticket.handler_entry_id.is_(None), open_ticket).scalar_subquery(),  # as the 待派单 list counts
        # overdue = past its resolution due + (else) unanswered past its response due: two disjoint counts, each
        # an index-only scan of one partial index (an OR of both read every open ticket's row: 28 ms at 11,000)
        select(func.count()).select_from(Ticket).where(
            Ticket.tenant_id == tenant_id, open_ticket, Ticket.resolution_due < now).scalar_subquery()
        + select(func.count()).select_from(Ticket).where(
            Ticket.tenant_id == tenant_id, open_ticket, Ticket.first_responded_at.is_(None),
            Ticket.first_response_due < now,
            or_(Ticket.resolution_due.is_(None), Ticket.resolution_due >= now)).scalar_subquery(),
        select(func.count()).select_from(TicketUrge).where(
            TicketUrge.tenant_id == tenant_id, TicketUrge.at >= start, TicketUrge.at < end).scalar_subquery(),
        select(func.count()).select_from(Ticket).where(
            Ticket.tenant_id == tenant_id, Ticket.resolved_at >= start,
            Ticket.resolved_at < end).scalar_subquery()]


def _business(row: Sequence[Any], settings: Mapping[str, Any] | None) -> dict[str, Any]:
    created, pending, overdue, urged, resolved = row
    values = {"created": int(created or 0), "pending_dispatch": int(pending or 0), "overdue": int(overdue or 0),
              "urged": int(urged or 0), "resolved": int(resolved or 0)}
    levels = _levels(settings)
    return {"values": values, "colours": {k: colour(v, levels.get(k)) for k, v in values.items()}}


def site_dashboard(db: Database, tenant_id: int, reader: AcdReader | None, *,
                   now: datetime | None = None) -> dict[str, Any]:
    """Calls (the wallboard's totals and colours) and business, side by side, read in one tenant session."""
    now = now or datetime.now(UTC)
    with db.tenant(tenant_id) as session:
        # read first and held: the identity map keeps an object only while it is referenced, so figures_in's own
        # get of the tenant is answered from it (held after figures_in instead, the tenant was read twice)
        tenant = session.get(Tenant, tenant_id)
        calls = figures_in(session, tenant_id, reader, now=now)
        settings = tenant.settings if tenant else None
        _day, start, end = day_bounds(now, tenant_zone(settings))
        # the day's report sums and the business counts in one statement: one round trip instead of two
        report = _report_sums(tenant_id, start, end).subquery()
        row = session.execute(select(*report.c, *_business_counts(tenant_id, now, start, end))).one()
        calls["totals"].update(_report_figures(row[:len(report.c)]))
        levels = th.load(session).for_queue(None)  # recoloured: the wallboard's thresholds, the report's values
        calls["totals"]["colours"] = {**calls["totals"]["colours"], **{
            metric: th.colour(metric, calls["totals"].get(metric), levels[metric]) for metric in th.METRICS}}
        business = _business(row[len(report.c):], settings)
    return {"day": calls["day"], "tenant": calls["tenant"], "calls": calls["totals"],
            "live": calls["live"], "business": business,
            "generated_at": now.astimezone(UTC).isoformat()}


#: The call figures the dashboard takes from the day's report (reports/figures.call_figures over the interval
#: rows), so the two never disagree: service level and abandon rate over offered − short abandons, abandons in the
#: queue with short abandons apart, ASA from queue entry to the agent's answer, AHT talk + wrap-up.
REPORT_CALLS = ("offered", "answered", "abandoned_queue", "abandoned_short", "answered_in_target", "service_level",
                "abandon_rate", "asa", "aht")


def report_calls(session: Session, tenant_id: int, now: datetime) -> dict[str, Any]:
    """Today's call figures by the reports' one definition (the same function and rows as /supervision/reports for
    the day); `abandoned` is the queue abandons without the short ones, and `definitions` says so ("report")."""
    tenant = session.get(Tenant, tenant_id)
    _day, start, end = day_bounds(now, tenant_zone(tenant.settings if tenant else None))
    return _report_figures(session.execute(_report_sums(tenant_id, start, end)).one())


_REPORT_COLUMNS = (*cl.CALL_COUNTS, *cl.CALL_SUMS, *cl.CALL_MAXES)


def _report_sums(tenant_id: int, start: datetime, end: datetime) -> Select[Any]:
    """The day's interval rows added up (maxima for the maximum columns), one row."""
    return select(*(func.coalesce(func.max(getattr(ReportInterval, c)), 0).label(c) if c in cl.CALL_MAXES
                    else func.coalesce(func.sum(getattr(ReportInterval, c)), 0).label(c) for c in _REPORT_COLUMNS)
                  ).where(ReportInterval.tenant_id == tenant_id, ReportInterval.interval_start >= start,
                          ReportInterval.interval_start < end)


def _report_figures(row: Sequence[Any]) -> dict[str, Any]:
    figures = call_figures(dict(zip(_REPORT_COLUMNS, (float(v) for v in row), strict=True)))
    out = {name: figures[name] for name in REPORT_CALLS}
    out["abandoned"] = out.pop("abandoned_queue")
    out["definitions"] = "report"
    return out


def report_aht(session: Session, tenant_id: int, now: datetime) -> float | None:
    """Today's average handle time by the reports' one definition (classify.call_counts: the switch's talk
    time, which includes hold, plus the queue's wrap-up), so the dashboard and the 报表 agree for the same calls
    (the wallboard's own figure counts answer-to-hang-up, which also holds the after-call survey)."""
    tenant = session.get(Tenant, tenant_id)
    _day, start, end = day_bounds(now, tenant_zone(tenant.settings if tenant else None))
    total, count = session.execute(select(func.sum(ReportInterval.handle_sum), func.sum(ReportInterval.handle_count))
                                   .where(ReportInterval.tenant_id == tenant_id, ReportInterval.interval_start >= start,
                                          ReportInterval.interval_start < end)).one()
    return round(float(total) / int(count), 1) if count else None
