"""Every QA score of a period with where it came from, as Excel or CSV (task 15a item 5).

GET /quality/report/scores?start=YYYY-MM-DD&end=YYYY-MM-DD&format=xlsx|csv (QA, supervisors, tenant admins): one row
per score, newest last — when (in the tenant's zone, named in the heading), the call, the agent, the team (the
queue's label), the score sheet and the version of it scored with, the reviewer, the source (random sample, filter,
opened directly, calibration, or appeal re-score when an appeal amended it; blank for scores from before sources
were kept), the total, a fatal item, the appeal and who re-scored it. Labels everywhere, never stored codes; every
cell a text cell through spreadsheet_cells (no formulas). At most MAX_ROWS rows.

The source and the sheet version are read from each score's `evaluation.create` audit entry (quality.score_call
writes them there) and the sheet copy the score keeps — the audit log is the record of who scored what, from where.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from ...platform.models import AuditEntry, CallRecord, Evaluation
from ...platform.services.spreadsheet_cells import csv_bytes, xlsx_bytes
from ...platform.services.ticket_lists import tenant_zone
from ...platform.words import yes_no
from ..i18n import current_locale, translate
from .common import LISTEN, queue_labels, tenant_session
from .reports import period
from .views import local, names

MAX_ROWS = 50_000
#: Call uuids per query of the audit entries (well under every database's bound-parameter limit).
CHUNK = 500
COLUMNS = ("Call", "Agent", "Team", "Score sheet", "Sheet version", "Reviewer", "Source", "Total score", "Fatal",
           "Appeal", "Re-scored by")
#: How a score came to be, by label (stored codes: quality.SOURCES, "calibration", and an amended appeal).
SOURCE_LABELS = {"sample": "source.sample", "filter": "source.filter", "direct": "source.direct",
                 "calibration": "source.calibration", "appeal": "source.appeal"}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/report/scores", "score_export", score_export, methods=["GET"])


def _origins(session: Any, call_uuids: list[str]) -> dict[int, dict[str, Any]]:
    """evaluation id → the detail of its `evaluation.create` audit entry (source, sheet_version)."""
    found: dict[int, dict[str, Any]] = {}
    for n in range(0, len(call_uuids), CHUNK):
        query = select(AuditEntry.detail).where(AuditEntry.action == "evaluation.create",
                                                AuditEntry.object_id.in_(call_uuids[n:n + CHUNK]))
        for detail in session.scalars(query):
            if isinstance(detail, dict) and isinstance(detail.get("evaluation"), int):
                found[detail["evaluation"]] = detail
    return found


def rows(session: Any, start: datetime, end: datetime, zone: Any, locale: str) -> list[list[Any]]:
    """The heading and one row per score created in [start, end), oldest first."""
    query = (select(Evaluation, CallRecord.queue).join(CallRecord, CallRecord.uuid == Evaluation.call_uuid)
             .where(Evaluation.created_at >= start, Evaluation.created_at < end)
             .order_by(Evaluation.created_at, Evaluation.id).limit(MAX_ROWS))
    found = session.execute(query).all()
    evaluations = [ev for ev, _queue in found]
    people = names(session, [*(e.agent_id for e in evaluations), *(e.reviewer_id for e in evaluations)])
    queues = queue_labels(session)
    origins = _origins(session, sorted({e.call_uuid for e in evaluations}))
    heading = [f"{translate('Scored at', locale)} ({zone.key})", *(translate(c, locale) for c in COLUMNS)]
    out: list[list[Any]] = [heading]
    for ev, queue in found:
        origin = origins.get(ev.id, {})
        source = "appeal" if ev.appeal_status == "amended" else (
            "calibration" if ev.calibration_id is not None else origin.get("source"))
        version = ev.sheet.get("version", origin.get("sheet_version"))
        out.append([local(ev.created_at, zone), ev.call_uuid, people.get(ev.agent_id, ""),
                    queues.get(queue or "", queue or ""), ev.sheet.get("title", ev.sheet_name),
                    version if isinstance(version, int) and version > 0 else "",
                    people.get(ev.reviewer_id, ev.reviewer),
                    translate(SOURCE_LABELS[source], locale) if source in SOURCE_LABELS else "",
                    f"{ev.total:g}", yes_no(ev.fatal, locale),
                    translate(f"appeal.{ev.appeal_status}", locale),
                    (ev.resolved_by or "") if ev.appeal_status == "amended" else ""])
    return out


def score_export() -> ResponseReturnValue:
    fmt = request.args.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise BadRequest("format: xlsx or csv")
    locale = current_locale()
    with tenant_session(LISTEN) as (session, _who):
        zone = tenant_zone(session)
        start, end, since, until = period(zone)
        table = rows(session, since, until, zone, locale)
    name = f"qa-scores-{start.isoformat()}-{end.isoformat()}"
    if fmt == "xlsx":
        return Response(xlsx_bytes(table, translate("QA scores", locale)[:31]),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    return Response(csv_bytes(table), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
