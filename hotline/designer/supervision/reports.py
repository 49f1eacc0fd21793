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

from ...platform.models import CallRecord, DialAttempt, SavedReport, Tenant, Ticket
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
    form_labels,
    hot_topics,
    ticket_report,
)
from ...platform.services.errors import InvalidDocument
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
    bp.add_url_rule("/reports/tickets", "report_tickets", report_tickets, methods=["GET"])
    bp.add_url_rule("/reports/attempts", "report_attempts", report_attempts, methods=["GET"])
    bp.add_url_rule("/reports/saved", "report_save", report_save, methods=["POST"])
    bp.add_url_rule("/reports/saved/<int:report_id>/delete", "report_delete", report_delete, methods=["POST"])


def _arg(name: str, limit: int = 64) -> str:
    value = request.args.get(name, "").strip()
    if len(value) > limit:
        raise BadRequest(f"{name}: at most {limit} characters")
    return value


class ReportInputError(Exception):
    """Bad report arguments: every problem as (field, English template, values), translated where shown."""

    def __init__(self, problems: list[tuple[str, str, dict[str, str]]]) -> None:
        super().__init__("; ".join(f"{f}: {t % v}" for f, t, v in problems))
        self.problems = problems


NOT_ONE_OF = "%(value)s is not one of %(choices)s"
NOT_AN_ID = "%(value)s is not a number (an id)"
TOO_MANY_CHARACTERS = "at most %(most)s characters"


def arguments(args: Any = None) -> dict[str, Any]:
    """The report's arguments, validated: every bad one is named with why (ReportInputError), all at once."""
    args = args if args is not None else request.args
    problems: list[tuple[str, str, dict[str, str]]] = []
    kind = str(args.get("kind", "calls"))
    if kind not in KINDS:
        problems.append(("kind", NOT_ONE_OF, {"value": repr(kind[:20]), "choices": ", ".join(KINDS)}))
        kind = "calls"
    by = str(args.get("by", ""))
    dimensions = DIMENSIONS[kind]
    if by not in dimensions:
        problems.append(("by", NOT_ONE_OF, {"value": repr(by[:20]),
                                            "choices": ", ".join(d for d in dimensions if d)}))
    agent = str(args.get("agent", "")).strip()
    if agent and (not agent.isdigit() or len(agent) > 9):
        problems.append(("agent", NOT_AN_ID, {"value": repr(agent[:20])}))
    campaign = str(args.get("campaign", "")).strip()
    if campaign and (not campaign.isdigit() or len(campaign) > 9):
        problems.append(("campaign", NOT_AN_ID, {"value": repr(campaign[:20])}))
    out = {"kind": kind, "by": by, "from": str(args.get("from", ""))[:10], "to": str(args.get("to", ""))[:10],
           "group": str(args.get("group", "day"))[:20], "agent": agent, "campaign": campaign}
    for name in ("queue", "did", "form"):
        value = str(args.get(name, "")).strip()
        if len(value) > 64:
            problems.append((name, TOO_MANY_CHARACTERS, {"most": "64"}))
        out[name] = value[:64]
    if problems:
        raise ReportInputError(problems)
    return out


def field_label(field: str, locale: str) -> str:
    """How a report argument is named to the reader (the form's own label)."""
    words = {"from": "field.from", "to": "field.to", "group": "Group by period", "by": "Break down by",
             "kind": "Report", "name": "Name", "schedule": "E-mail it", "recipients": "Recipients"}
    return translate(words.get(field, f"dimension.{field}"), locale)


def problem_messages(problems: list[tuple[str, str, dict[str, str]]], locale: str) -> list[dict[str, str]]:
    """Each problem as {"field", "message"} in the reader's language ("开始日期：…")."""
    sep = "：" if locale != "en" else ": "
    return [{"field": field, "message": field_label(field, locale) + sep + translate(template, locale) % values}
            for field, template, values in problems]


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
    """The report the request asks for; bad arguments raise ReportInputError (all of them named)."""
    locale = current_locale()
    with tenant_session(SUPERVISE) as (session, who):
        params = arguments()
        tenant_id = who.tenant.tenant_id
        try:
            period, report, columns = build(session, tenant_id, params, locale)
        except PeriodError as exc:
            raise ReportInputError(exc.problems) from None
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
        extra["saved"] = _saved_list(session)
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
        query[params["by"]] = key[1] or "-"  # "-": tickets without a category
    elif params["by"] == "handler" and key:
        query["handler"] = str(key)
    if params.get("form"):
        query["form"] = params["form"]
    return "/supervision/reports/tickets?" + urlencode(query)


def report_tickets() -> ResponseReturnValue:
    """The tickets behind a ticket figure: one bucket's tickets of a form, category ("-" for none), status or
    handler (the newest CALL_LIST_LIMIT), so each row's 明细 opens its own tickets, not the whole form's."""
    try:
        first = date.fromisoformat(_arg("created_from", 10))
        last = date.fromisoformat(_arg("created_to", 10))
    except ValueError:
        raise BadRequest("created_from/created_to: give days as YYYY-MM-DD") from None
    if last < first or (last - first).days > 1200:
        raise BadRequest("created_from/created_to: a range of at most 1200 days")
    form, category, status, handler = _arg("form"), _arg("category"), _arg("status"), _arg("handler", 9)
    if handler and not handler.isdigit():
        raise BadRequest(f"handler: {handler!r} is not a user id")
    with tenant_session(SUPERVISE) as (session, who):
        tenant_id = who.tenant.tenant_id
        tenant = session.get(Tenant, tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        query = select(Ticket).where(Ticket.tenant_id == tenant_id, Ticket.created_at >= start,
                                     Ticket.created_at < end)
        if form:
            query = query.where(Ticket.form_name == form)
        if status:
            query = query.where(Ticket.status == status)
        if handler:
            query = query.where(Ticket.assignee_id == (int(handler) or None))
        forms = form_labels(session, tenant_id)
        agents = call_labels(session, tenant_id, "agent")
        rows = []
        for ticket in session.scalars(query.order_by(Ticket.created_at.desc()).limit(CALL_LIST_LIMIT * 4)):
            field = forms.category_fields.get(ticket.form_name)
            value = str((ticket.data or {}).get(field) or "") if field else ""
            if category and value != ("" if category == "-" else category):
                continue
            rows.append({"number": ticket.number, "created": ticket.created_at.astimezone(zone).strftime(
                "%Y-%m-%d %H:%M:%S"), "form": forms.titles.get(ticket.form_name, ticket.form_name),
                "category": forms.categories.get((ticket.form_name, value), value),
                "status": forms.statuses.get((ticket.form_name, ticket.status), ticket.status),
                "handler": agents.get(ticket.assignee_id or 0, "")})
            if len(rows) >= CALL_LIST_LIMIT:
                break
    return render_template("supervision/report_tickets.html", rows=rows, first=first, last=last,
                           limit=CALL_LIST_LIMIT)


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


def _saved_list(session: Any) -> list[dict[str, Any]]:
    return [{"id": r.id, "name": r.name, "schedule": r.schedule, "recipients": r.recipients,
             "query": {k: v for k, v in (r.params or {}).items() if v}}
            for r in session.scalars(select(SavedReport).order_by(SavedReport.name))]


def form_with_errors(problems: list[tuple[str, str, dict[str, str]]], typed: Any,
                     saving: dict[str, str] | None = None) -> ResponseReturnValue:
    """The report form again, with every problem listed in the reader's language and what was typed kept
    (no figures: a bad range has none); `saving` keeps the save form's name, schedule and recipients."""
    locale = current_locale()
    kind = typed.get("kind", "calls") if typed.get("kind", "calls") in KINDS else "calls"
    by = typed.get("by", "") if typed.get("by", "") in DIMENSIONS[kind] else ""
    params = {"kind": kind, "by": by, **{k: str(typed.get(k, ""))[:64] for k in (
        "queue", "did", "agent", "form", "campaign")}}
    shown = {"from": str(typed.get("from", ""))[:20], "to": str(typed.get("to", ""))[:20],
             "group": str(typed.get("group", "day"))[:20]}
    with tenant_session(SUPERVISE) as (session, who):
        tenant = session.get(Tenant, who.tenant.tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        today = datetime.now(UTC).astimezone(zone).date()
        extra: dict[str, Any] = {"saved": _saved_list(session), "complaints": [], "topics": [],
                                 "queues": sorted(call_labels(session, who.tenant.tenant_id, "queue").items(),
                                                  key=lambda kv: kv[1]) if kind == "calls" else []}
    period = Period(today - timedelta(days=6), today,
                    shown["group"] if shown["group"] in GROUPS else "day", zone)
    html = render_template("supervision/reports.html", params=params, period=period, rows=[], totals={},
                           columns=[], extra=extra, groups=GROUPS, dimensions=DIMENSIONS[kind],
                           chart=_json_script({"kind": kind, "periods": [], "series": {"labels": [], "lines": []}}),
                           assets=None, retention_notice=None, query={}, typed=shown,
                           errors=problem_messages(problems, locale), saving=saving or {})
    return html, 400


def reports_page() -> ResponseReturnValue:
    try:
        params, period, report, columns, extra = _compute()
    except ReportInputError as exc:
        return form_with_errors(exc.problems, request.args)
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


def _json_errors(problems: list[tuple[str, str, dict[str, str]]]) -> ResponseReturnValue:
    errors = problem_messages(problems, current_locale())
    return jsonify({"error": "; ".join(e["message"] for e in errors), "errors": errors}), 400


def reports_api() -> ResponseReturnValue:
    try:
        params, period, report, columns, extra = _compute()
    except ReportInputError as exc:
        return _json_errors(exc.problems)
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
    try:
        params, period, report, columns, _extra = _compute()
    except ReportInputError as exc:
        return _json_errors(exc.problems)
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
    """Saves the report on screen (its arguments) under a name, optionally e-mailed on a schedule. A bad
    definition shows the form again with every problem in the reader's language and what was typed kept."""
    form = request.form
    typed = {"name": form.get("name", "")[:200], "schedule": form.get("schedule", "")[:20],
             "recipients": form.get("recipients", "")[:2000]}
    found: list[tuple[str, str, dict[str, str]]] = []
    try:
        params = arguments(form)
    except ReportInputError as exc:
        found, params = list(exc.problems), {k: form.get(k, "") for k in saved.PARAMS}
    try:
        with tenant_session(SUPERVISE) as (session, who):
            if found:  # the definition's own checks too, so every problem is listed at once
                found += [p for p in saved.problems(typed["name"], params, typed["schedule"], typed["recipients"])
                          if p[0] not in {f for f, _t, _v in found}]
                raise ReportInputError(found)
            row = saved.save(session, who.tenant.tenant_id, typed["name"], params, typed["schedule"],
                             typed["recipients"], who.username)
            name = row.name
    except ReportInputError as exc:
        return form_with_errors(exc.problems, form, typed)
    except InvalidDocument as exc:
        return form_with_errors(getattr(exc, "problems", []), form, typed)
    flash(translate("Report saved: %(name)s", current_locale()) % {"name": name}, "success")
    return redirect(url_for("supervision.reports", **{k: v for k, v in params.items() if v}))


def report_delete(report_id: int) -> ResponseReturnValue:
    with tenant_session(SUPERVISE) as (session, _who):
        row = session.get(SavedReport, report_id)  # the tenant session: another tenant's id is None
        if row is None:
            raise NotFound()
        session.delete(row)
    return redirect(url_for("supervision.reports"))
