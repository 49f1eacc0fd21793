"""QA scores per agent or per team (the call's queue) over a period, as a page and as CSV.

GET /quality/report?start=YYYY-MM-DD&end=YYYY-MM-DD&by=agent|team[&format=csv]. Calibration scores are not
an agent's score and are left out; an amended appeal counts with its amended total. Average = mean of totals;
fatal = evaluations with a fatal item failed. CSV cells go through spreadsheet_cells (no formulas).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from ...platform.models import CallRecord, Evaluation
from ...platform.services.spreadsheet_cells import csv_bytes
from ...platform.services.ticket_lists import tenant_zone
from ..i18n import current_locale, translate
from .common import LISTEN, queue_labels, tenant_session
from .views import day_arg, names

MAX_DAYS = 366


def period(zone: ZoneInfo) -> tuple[date, date, datetime, datetime]:
    """The `start`..`end` days a QA report covers (default: this month so far, in the tenant's zone) and the UTC
    instants they begin and end at; one rule for the report page and the score export, so both count the same
    scores. A reversed or over-long period is a 400 naming `end`."""
    today = datetime.now(UTC).astimezone(zone).date()
    start, end = day_arg("start", today.replace(day=1)), day_arg("end", today)
    if end < start or (end - start).days > MAX_DAYS:
        raise BadRequest(f"end: from the start day up to {MAX_DAYS} days later")
    return (start, end, datetime.combine(start, time(), zone).astimezone(UTC),
            datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/report", "report", report, methods=["GET"])


def scores(session: Any, start: datetime, end: datetime, by: str) -> list[dict[str, Any]]:
    """[{"group", "count", "average", "min", "max", "fatal"}] sorted by group label."""
    query = (select(Evaluation, CallRecord.queue).join(CallRecord, CallRecord.uuid == Evaluation.call_uuid)
             .where(Evaluation.calibration_id.is_(None), Evaluation.created_at >= start, Evaluation.created_at < end))
    groups: dict[Any, list[Evaluation]] = defaultdict(list)
    for ev, queue in session.execute(query):
        groups[ev.agent_id if by == "agent" else (queue or "")].append(ev)
    labels = names(session, groups) if by == "agent" else queue_labels(session)
    rows = []
    for key, evs in groups.items():
        totals = [e.total for e in evs]
        rows.append({"group": labels.get(key, "—") if by == "agent" else (labels.get(key, key) or "—"),
                     "count": len(evs),
                     "average": round(sum(totals) / len(totals), 2), "min": min(totals), "max": max(totals),
                     "fatal": sum(1 for e in evs if e.fatal)})
    return sorted(rows, key=lambda r: r["group"])


def report() -> ResponseReturnValue:
    by = request.args.get("by", "agent")
    if by not in ("agent", "team"):
        raise BadRequest("by: agent or team")
    with tenant_session(LISTEN) as (session, _who):
        start, end, since, until = period(tenant_zone(session))
        rows = scores(session, since, until, by)
    if request.args.get("format") == "csv":
        locale = current_locale()
        head = [translate(t, locale) for t in ("Agent" if by == "agent" else "Team", "Evaluations", "Average score",
                                               "Lowest", "Highest", "Fatal errors")]
        body = csv_bytes([head, *([r["group"], r["count"], r["average"], r["min"], r["max"], r["fatal"]]
                                  for r in rows)])
        return Response(body, mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename=qa-{by}-{start.isoformat()}-{end.isoformat()}.csv"})
    return render_template("quality/report.html", rows=rows, by=by, start=start.isoformat(), end=end.isoformat())
