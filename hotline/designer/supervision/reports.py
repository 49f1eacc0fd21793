"""Reports pages (报表): call and ticket figures per period and dimension, a chart, drill-down, exports.

Page: GET /supervision/reports?kind=calls|tickets&from=YYYY-MM-DD&to=…&group=15min|30min|60min|day|week|month|total
&by=<dimension>&queue=&did=&agent=&form=. JSON: GET /supervision/api/reports (same arguments); exports:
GET /supervision/reports/export?format=csv|xlsx (same arguments); the calls behind a figure:
GET /supervision/reports/calls?start=<ISO local>&group=…&figure=…&queue=&did=&agent=.

Supervisors (site managers) and tenant admins only. The chart is drawn by the Vite entry `src/reports/main.ts`
from the page's `<script type="application/json">` block (no inline script: the CSP forbids it).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.exceptions import BadRequest, NotFound

from ...platform.models import CallRecord, DialAttempt, SavedReport, Tenant
from ...platform.reports import classify as cl
from ...platform.reports import export, intervals, retention, saved
from ...platform.reports.figures import CALL_FIGURES, TICKET_FIGURES
from ...platform.reports.outbound import (
    OUTBOUND_DIMENSIONS,
    OUTBOUND_FIGURES,
    campaign_labels,
    disposition_labels,
    outbound_report,
)
from ...platform.reports.periods import GROUPS, Period, PeriodError, parse
from ...platform.reports.service import (
    CALL_DIMENSIONS,
    TICKET_DIMENSIONS,
    Report,
    call_labels,
    call_report,
    hot_topics,
    ticket_report,
)
from ...platform.wallboard.today import tenant_zone
from ..i18n import current_locale, translate
from ..studio import assets
from .common import SUPERVISE, tenant_session

KINDS = ("calls", "tickets", "outbound")
CALL_LIST_LIMIT = 500
REPORTS_ENTRY = "src/reports/main.ts"
DIMENSIONS = {"calls": CALL_DIMENSIONS, "tickets": TICKET_DIMENSIONS, "outbound": OUTBOUND_DIMENSIONS}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports", "reports", reports_page, methods=["GET"])
    bp.add_url_rule("/api/reports", "api_reports", reports_api, methods=["GET"])
    bp.add_url_rule("/reports/export", "reports_export", reports_export, methods=["GET"])
    bp.add_url_rule("/reports/calls", "report_calls", report_calls, methods=["GET"])
    bp.add_url_rule("/reports/attempts", "report_attempts", report_attempts, methods=["GET"])
    bp.add_url_rule("/reports/saved", "report_save", report_save, methods=["POST"])
    bp.add_url_rule("/reports/saved/<int:report_id>/delete", "report_delete", report_delete, methods=["POST"])


def _arg(name: str, limit: int = 64) -> str:
    value = request.args.get(name, "").strip()
    if len(value) > limit:
        raise BadRequest(f"{name}: at most {limit} characters")
    return value


def arguments(args: Any = None) -> dict[str, Any]:
    """The report's arguments (validated; a bad one is a 400 naming it and why)."""
    args = args if args is not None else request.args
    kind = args.get("kind", "calls")
    if kind not in KINDS:
        raise BadRequest(f"kind: {kind[:20]!r} is not one of {', '.join(KINDS)}")
    by = args.get("by", "")
    dimensions = DIMENSIONS[kind]
    if by not in dimensions:
        raise BadRequest(f"by: {by[:20]!r} is not one of {', '.join(d for d in dimensions if d)}")
    agent = args.get("agent", "").strip()
    if agent and (not agent.isdigit() or len(agent) > 9):
        raise BadRequest(f"agent: {agent[:20]!r} is not a user id")
    campaign = str(args.get("campaign", "")).strip()
    if campaign and (not campaign.isdigit() or len(campaign) > 9):
        raise BadRequest(f"campaign: {campaign[:20]!r} is not a campaign id")
    out = {"kind": kind, "by": by, "from": args.get("from", "")[:10], "to": args.get("to", "")[:10],
           "group": args.get("group", "day"), "agent": agent, "campaign": campaign}
    for name in ("queue", "did", "form"):
        value = str(args.get(name, "")).strip()
        if len(value) > 64:
            raise BadRequest(f"{name}: at most 64 characters")
        out[name] = value
    return out


def build(session: Any, tenant_id: int, params: dict[str, Any], locale: str) -> tuple[Period, Report, list[str]]:
    """The report a set of arguments asks for (also used by the scheduled e-mail)."""
    tenant = session.get(Tenant, tenant_id)
    zone = tenant_zone(tenant.settings if tenant else None)
    today = datetime.now(UTC).astimezone(zone).date()
    period = parse(params.get("from", ""), params.get("to", ""), params.get("group", "day"), zone, today)
    if params.get("kind", "calls") == "calls":
        report = call_report(session, tenant_id, period, params.get("by", ""), params)
        return period, report, list(CALL_FIGURES)
    if params.get("kind") == "outbound":
        report = outbound_report(session, tenant_id, period, params.get("by", ""), params,
                                 translate=lambda text: translate(text, locale))
        return period, report, list(OUTBOUND_FIGURES)
    report = ticket_report(session, tenant_id, period, params.get("by", ""), params,
                           translate=lambda text: translate(text, locale))
    return period, report, list(TICKET_FIGURES)


def _compute() -> tuple[dict[str, Any], Period, Report, list[str], dict[str, Any]]:
    params = arguments()
    locale = current_locale()
    with tenant_session(SUPERVISE) as (session, who):
        tenant_id = who.tenant.tenant_id
        try:
            period, report, columns = build(session, tenant_id, params, locale)
        except PeriodError as exc:
            raise BadRequest(str(exc)) from None
        extra: dict[str, Any] = {}
        tenant = session.get(Tenant, tenant_id)
        kept = retention.over_retention(tenant.settings if tenant else None, period.first,
                                        datetime.now(UTC).astimezone(period.zone).date())
        extra["retention"] = kept.as_json() if kept else None
        if params["kind"] == "tickets":
            complaints = ticket_report(session, tenant_id, Period(period.first, period.last, "total", period.zone),
                                       "category", {"complaints": True},
                                       translate=lambda text: translate(text, locale))
            extra["complaints"] = [{"label": r["label"], "complaints": r["complaints"]}
                                   for r in complaints.rows if r["complaints"]]
            extra["topics"] = hot_topics(session, tenant_id, period)
        elif params["kind"] == "calls":
            queues = call_labels(session, tenant_id, "queue")
            extra["queues"] = sorted(queues.items(), key=lambda kv: kv[1])
        extra["saved"] = [{"id": r.id, "name": r.name, "schedule": r.schedule, "recipients": r.recipients,
                           "query": {k: v for k, v in (r.params or {}).items() if v}}
                          for r in session.scalars(select(SavedReport).order_by(SavedReport.name))]
    return params, period, report, columns, extra


def _drill(params: dict[str, Any], row: dict[str, Any], period: Period) -> str:
    """Where a row's figures come from: the call list of its bucket, or the ticket list of its days."""
    start = datetime.fromisoformat(row["period_start"])
    end = bucket_end(start, period)
    if params["kind"] == "calls":
        query = {"start": start.isoformat(), "end": end.isoformat()}
        key = row["key"]
        if params["by"] in ("queue", "did") and key:
            query[params["by"]] = key
        if params["by"] == "agent" and key:
            query["agent"] = str(key)
        for name in ("queue", "did", "agent"):
            if params.get(name):
                query[name] = params[name]
        from urllib.parse import urlencode

        return "/supervision/reports/calls?" + urlencode(query)
    from urllib.parse import urlencode

    if params["kind"] == "outbound":
        query = {"start": start.isoformat(), "end": end.isoformat()}
        key = row["key"]
        if params["by"] == "campaign" and key:
            query["campaign"] = str(key)
        elif params["by"] == "disposition" and key:
            query["campaign"], query["disposition"] = str(key[0]), key[1] or "-"
        if params.get("campaign"):
            query["campaign"] = params["campaign"]
        return "/supervision/reports/attempts?" + urlencode(query)

    query = {"created_from": start.date().isoformat(),
             "created_to": (end - timedelta(seconds=1)).date().isoformat()}
    key = row["key"]
    if params["by"] == "form" and key:
        query["form"] = key
    elif params["by"] in ("category", "status") and key:
        query["form"] = key[0]
        if params["by"] == "status":
            query["status"] = key[1]
    elif params["by"] == "handler" and key:
        query["assignee"] = str(key)
    if params.get("form"):
        query["form"] = params["form"]
    return "/records/tickets?" + urlencode(query)


def bucket_end(start: datetime, period: Period) -> datetime:
    if period.group.endswith("min"):
        return start + timedelta(minutes=int(period.group.removesuffix("min")))
    if period.group == "day":
        nxt: date = start.date() + timedelta(days=1)
    elif period.group == "week":
        nxt = start.date() + timedelta(days=7)
    elif period.group == "month":
        nxt = (start.date().replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        nxt = period.last + timedelta(days=1)
    return datetime.combine(min(nxt, period.last + timedelta(days=1)), datetime.min.time(), tzinfo=period.zone)


def _json_script(data: Any) -> Markup:
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def reports_page() -> ResponseReturnValue:
    params, period, report, columns, extra = _compute()
    locale = current_locale()
    rows = [{**row, "drill": _drill(params, row, period)} for row in report.rows]
    chart = {"kind": params["kind"], "periods": [r["period"] for r in report.rows if not report.dimension],
             "series": _series(report, params["kind"], locale)}
    return render_template("supervision/reports.html", params=params, period=period, rows=rows,
                           totals=report.totals, columns=columns, extra=extra, groups=GROUPS,
                           dimensions=DIMENSIONS[params["kind"]],
                           chart=_json_script(chart), assets=assets.entry_assets(entry_name=REPORTS_ENTRY),
                           retention_notice=retention_notice(extra["retention"], locale),
                           query=request.args.to_dict())


def _series(report: Report, kind: str, locale: str) -> dict[str, Any]:
    """Chart data: per period, the main figures (summed over dimension values)."""
    wanted = {"calls": ("offered", "answered", "abandoned_ivr", "abandoned_queue"),
              "tickets": ("created", "responded_in_time", "completed_in_time", "urges"),
              "outbound": ("attempts", "connects", "abandoned", "skipped")}[kind]
    periods: dict[str, dict[str, float]] = {}
    for row in report.rows:
        into = periods.setdefault(row["period"], dict.fromkeys(wanted, 0))
        for name in wanted:
            into[name] += row[name] or 0
    return {"labels": list(periods), "lines": [
        {"name": translate(f"figure.{name}", locale), "data": [v[name] for v in periods.values()]}
        for name in wanted]}


def reports_api() -> ResponseReturnValue:
    params, period, report, columns, extra = _compute()
    return jsonify({"kind": params["kind"], "from": period.first.isoformat(), "to": period.last.isoformat(),
                    "group": period.group, "by": report.dimension, "timezone": period.zone.key,
                    "columns": columns, "rows": [{**r, "key": r["key"] if not isinstance(r["key"], tuple)
                                                  else list(r["key"])} for r in report.rows],
                    "totals": report.totals, **{k: v for k, v in extra.items() if k != "queues"},
                    "retention_notice": retention_notice(extra["retention"], current_locale())})


def retention_notice(kept: dict[str, Any] | None, locale: str) -> str | None:
    """What a range reaching before the retention period is told (None when it does not)."""
    if not kept:
        return None
    return translate(RETENTION_NOTICE, locale) % {"days": kept["days"], "kept_from": kept["kept_from"]}


RETENTION_NOTICE = ("Report figures are kept for %(days)s days (this tenant's retention setting): figures before "
                    "%(kept_from)s are no longer kept, so the periods before that day show zeros.")


def reports_export() -> ResponseReturnValue:
    fmt = request.args.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise BadRequest(f"format: {fmt[:10]!r} is not csv or xlsx")
    params, period, report, columns, _extra = _compute()
    locale = current_locale()
    rows = export.table(report, columns, lambda text: translate(text, locale))
    name = f"report-{params['kind']}-{period.first.isoformat()}-{period.last.isoformat()}"
    if fmt == "csv":
        return Response(export.to_csv(rows), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(export.to_xlsx(rows, translate("Report", locale)),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


RECORD_FIELDS = ("queue", "outcome", "wait_seconds", "answered_at", "ended_at", "talk_seconds", "trace")
FIGURE_FILTERS = ("offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short",
                  "answered_in_target", "transfers", "callbacks", "self_service")


def report_calls() -> ResponseReturnValue:
    """The calls behind a figure: one bucket's calls (the newest CALL_LIST_LIMIT), filtered by what counted."""
    try:
        start = datetime.fromisoformat(_arg("start", 40))
        end = datetime.fromisoformat(_arg("end", 40))
    except ValueError:
        raise BadRequest("start/end: give ISO 8601 times with their UTC offset") from None
    if start.tzinfo is None or end.tzinfo is None or not start < end or end - start > timedelta(days=62):
        raise BadRequest("start/end: an aware range of at most 62 days")
    figure = _arg("figure", 32)
    if figure and figure not in FIGURE_FILTERS:
        raise BadRequest(f"figure: {figure!r} is not one of {', '.join(FIGURE_FILTERS)}")
    agent = _arg("agent", 9)
    if agent and not agent.isdigit():
        raise BadRequest(f"agent: {agent!r} is not a user id")
    with tenant_session(SUPERVISE) as (session, who):
        tenant_id = who.tenant.tenant_id
        tenant = session.get(Tenant, tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        query = select(CallRecord).where(CallRecord.tenant_id == tenant_id, CallRecord.started_at >= start,
                                         CallRecord.started_at < end, CallRecord.test_call.is_(False),
                                         CallRecord.direction == "inbound")
        if _arg("queue"):
            query = query.where(CallRecord.queue == _arg("queue"))
        if _arg("did", 32):
            query = query.where(CallRecord.did == _arg("did", 32))
        if agent:
            query = query.where(CallRecord.agent_id == int(agent))
        facts = intervals.queue_facts(session, tenant_id)
        short = intervals.short_abandon_seconds(tenant.settings if tenant else None)
        queues = call_labels(session, tenant_id, "queue")
        agents = call_labels(session, tenant_id, "agent")
        rows = []
        for record in session.scalars(query.order_by(CallRecord.started_at.desc()).limit(CALL_LIST_LIMIT * 4)):
            values = {name: getattr(record, name) for name in RECORD_FIELDS}
            counts = cl.call_counts(values, facts, short_abandon_seconds=short)
            if figure and not counts.get(figure):
                continue
            rows.append({"started": record.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                         "caller": record.caller, "did": record.did,
                         "queue": queues.get(record.queue or "", record.queue or ""),
                         "agent": agents.get(record.agent_id or 0, ""), "wait": record.wait_seconds,
                         "outcome": next((f for f in FIGURE_FILTERS if counts.get(f) and f not in (
                             "offered", "answered_in_target", "callbacks")), "calls")})
            if len(rows) >= CALL_LIST_LIMIT:
                break
    return render_template("supervision/report_calls.html", rows=rows, figure=figure,
                           start=start.astimezone(zone), end=end.astimezone(zone), limit=CALL_LIST_LIMIT)


def report_attempts() -> ResponseReturnValue:
    """The dial attempts behind an outbound figure: one bucket's attempts of a campaign (the newest
    CALL_LIST_LIMIT), optionally of one disposition ("-" for none), with labels."""
    try:
        start = datetime.fromisoformat(_arg("start", 40))
        end = datetime.fromisoformat(_arg("end", 40))
    except ValueError:
        raise BadRequest("start/end: give ISO 8601 times with their UTC offset") from None
    if start.tzinfo is None or end.tzinfo is None or not start < end or end - start > timedelta(days=400):
        raise BadRequest("start/end: an aware range of at most 400 days")
    campaign = _arg("campaign", 9)
    if campaign and not campaign.isdigit():
        raise BadRequest(f"campaign: {campaign!r} is not a campaign id")
    disposition = _arg("disposition", 64)
    locale = current_locale()
    with tenant_session(SUPERVISE) as (session, who):
        tenant_id = who.tenant.tenant_id
        tenant = session.get(Tenant, tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        query = select(DialAttempt).where(DialAttempt.tenant_id == tenant_id, DialAttempt.campaign_id.is_not(None),
                                          DialAttempt.at >= start, DialAttempt.at < end)
        if campaign:
            query = query.where(DialAttempt.campaign_id == int(campaign))
        if disposition == "-":
            query = query.where(DialAttempt.disposition.is_(None), DialAttempt.outcome != "skipped")
        elif disposition:
            query = query.where(DialAttempt.disposition == disposition, DialAttempt.outcome != "skipped")
        attempts = list(session.scalars(query.order_by(DialAttempt.at.desc()).limit(CALL_LIST_LIMIT)))
        names = campaign_labels(session, tenant_id, lambda text: translate(text, locale))
        codes = disposition_labels(session, {a.campaign_id for a in attempts if a.campaign_id is not None})
        rows = [{"at": a.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), "campaign": names.get(a.campaign_id, ""),
                 "phone": a.phone_e164, "outcome": a.outcome, "abandoned": a.abandoned,
                 "disposition": "" if not a.disposition or a.outcome == "skipped"
                 else codes.get((a.campaign_id, a.disposition), a.disposition),
                 "agent": a.agent or ""} for a in attempts]
    return render_template("supervision/report_attempts.html", rows=rows, start=start.astimezone(zone),
                           end=end.astimezone(zone), limit=CALL_LIST_LIMIT)


def report_save() -> ResponseReturnValue:
    """Saves the report on screen (its arguments) under a name, optionally e-mailed on a schedule."""
    form = request.form
    params = arguments(form)
    with tenant_session(SUPERVISE) as (session, who):
        row = saved.save(session, who.tenant.tenant_id, form.get("name", "")[:200], params,
                         form.get("schedule", "")[:20], form.get("recipients", "")[:2000], who.username)
        name = row.name
    flash(translate("Report saved: %(name)s", current_locale()) % {"name": name}, "success")
    return redirect(url_for("supervision.reports", **{k: v for k, v in params.items() if v}))


def report_delete(report_id: int) -> ResponseReturnValue:
    with tenant_session(SUPERVISE) as (session, _who):
        row = session.get(SavedReport, report_id)  # the tenant session: another tenant's id is None
        if row is None:
            raise NotFound()
        session.delete(row)
    return redirect(url_for("supervision.reports"))
