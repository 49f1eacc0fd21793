"""Reports pages (报表): call and ticket figures per period and dimension, a chart, drill-down, exports.

Page: GET /supervision/reports?kind=calls|tickets&from=YYYY-MM-DD&to=…&group=15min|30min|60min|day|week|month|total
&by=<dimension>&queue=&did=&agent=&form=. JSON: GET /supervision/api/reports (same arguments); exports:
GET /supervision/reports/export?format=csv|xlsx (same arguments). The records behind a figure are listed by
report_records.py (the pages each row's 明细 links to); saving a report's definition is report_saved.py.

Supervisors (site managers) and tenant admins only. The chart is drawn by the Vite entry `src/reports/main.ts`
from the page's `<script type="application/json">` block (no inline script: the CSP forbids it).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from sqlalchemy import select

from ...platform.models import DID, DirectoryEntry, Document, SavedReport, Tenant
from ...platform.reports import credit, export, retention
from ...platform.reports.figures import CALL_FIGURES, TICKET_FIGURES
from ...platform.reports.outbound import (
    OUTBOUND_DIMENSIONS,
    OUTBOUND_FIGURES,
    outbound_report,
)
from ...platform.reports.periods import GROUPS, Period, PeriodError, Quoted, parse, quoted
from ...platform.reports.service import (
    CALL_DIMENSIONS,
    ENTRY_KEY,
    EXTENSION_KEY,
    TICKET_DIMENSIONS,
    Report,
    call_labels,
    call_report,
    hot_topics,
    ticket_report,
)
from ...platform.wallboard.today import tenant_zone
from ..i18n import current_locale, translate
from ..request_input import InputRefused
from ..studio import assets
from .common import SUPERVISE, tenant_session

KINDS = ("calls", "tickets", "outbound")
REPORTS_ENTRY = "src/reports/main.ts"
DIMENSIONS = {"calls": CALL_DIMENSIONS, "tickets": TICKET_DIMENSIONS, "outbound": OUTBOUND_DIMENSIONS}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports", "reports", reports_page, methods=["GET"])
    bp.add_url_rule("/api/reports", "api_reports", reports_api, methods=["GET"])
    bp.add_url_rule("/reports/export", "reports_export", reports_export, methods=["GET"])


def _arg(name: str, limit: int = 64) -> str:
    value = request.args.get(name, "").strip()
    if len(value) > limit:
        refuse(name, TOO_MANY_CHARACTERS, most=str(limit))
    return value


def refuse(field: str, template: str, **values: str) -> NoReturn:
    """Refuses one argument of a report, drill-down or funnel request: a 400 in the reader's language that names
    the parameter as the page labels it and says why (QA 14: these were English on a Chinese page)."""
    refuse_all([(field, template, values)])


def refuse_all(problems: list[tuple[str, str, dict[str, str]]]) -> NoReturn:
    """Refuses every bad argument at once (QA 14: only the first was named), each in the reader's language."""
    messages = problem_messages(problems, current_locale())
    sep = "；" if current_locale() != "en" else "; "
    raise InputRefused(sep.join(m["message"] for m in messages), problems[0][0])


class ReportInputError(Exception):
    """Bad report arguments: every problem as (field, English template, values), translated where shown."""

    def __init__(self, problems: list[tuple[str, str, dict[str, str]]]) -> None:
        super().__init__("; ".join(f"{f}: {t % v}" for f, t, v in problems))
        self.problems = problems


NOT_ONE_OF = "%(value)s is not one of %(choices)s"
NOT_AN_ID = "%(value)s is not a number (an id)"
TOO_MANY_CHARACTERS = "at most %(most)s characters"
NOT_A_TIME = "%(value)s is not a time with its UTC offset (ISO 8601, e.g. 2026-03-09T10:00:00+08:00)"
NOT_AFTER_START = "%(end)s is not after the start %(start)s"
RANGE_TOO_LONG = "a range of at most %(most)s days"
NOT_A_HANDLER = "%(value)s is not a user id or entry:<directory entry id>"
NOT_A_VERSION = "%(value)s is not a version number"
NAME_OF_IVR = "give the IVR's name (1-64 characters)"
UNKNOWN_QUEUE = "%(value)s is not a queue of this tenant"
UNKNOWN_AGENT = "%(value)s is not an agent of this tenant"
UNKNOWN_DID = "%(value)s is not a number (DID) of this tenant"
UNKNOWN_FORM = "%(value)s is not a form of this tenant"
UNKNOWN_HANDLER = "%(value)s is not a user or directory entry of this tenant"
CUT_NOTE = " (cut: %(length)s characters in all)"


def unknown_filters(session: Any, tenant_id: int, params: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """A queue, agent, DID, form or handler filter that names none of this tenant's (a typo, a deleted one, another
    tenant's) is refused: a report or drill-down of it would show zeros as if it had had no calls or tickets
    (QA 14). The one check the report, its exports, saved reports and the drill-downs share."""
    found: list[tuple[str, str, dict[str, str]]] = []
    queue = params.get("queue")
    if queue and params.get("kind", "calls") == "calls" and queue not in call_labels(session, tenant_id, "queue"):
        found.append(("queue", UNKNOWN_QUEUE, {"value": quoted(queue)}))
    # The agent and DID filters likewise (QA 14 item 6): another tenant's user or number, or none, was zeros.
    agent = str(params.get("agent") or "")
    if agent.isdigit() and int(agent) not in call_labels(session, tenant_id, "agent"):
        found.append(("agent", UNKNOWN_AGENT, {"value": quoted(agent)}))
    did = str(params.get("did") or "")
    if did and session.scalar(select(DID.id).where(DID.tenant_id == tenant_id, DID.number == did)) is None:
        found.append(("did", UNKNOWN_DID, {"value": quoted(did)}))
    form = str(params.get("form") or "")
    if form and params.get("kind", "calls") == "tickets" and session.scalar(select(Document.id).where(
            Document.tenant_id == tenant_id, Document.kind == "form", Document.name == form)) is None:
        found.append(("form", UNKNOWN_FORM, {"value": quoted(form)}))
    handler = str(params.get("handler") or "")
    entry = handler[len(ENTRY_KEY):] if handler.startswith(ENTRY_KEY) else ""
    # 0 is （未分配）, nobody's tickets: no id to look up
    unknown_entry = entry.isdigit() and session.scalar(select(DirectoryEntry.id).where(
        DirectoryEntry.tenant_id == tenant_id, DirectoryEntry.id == int(entry))) is None
    unknown_user = handler.isdigit() and int(handler) and int(handler) not in call_labels(session, tenant_id, "agent")
    if unknown_entry or unknown_user:
        found.append(("handler", UNKNOWN_HANDLER, {"value": quoted(handler)}))
    return found


def arguments(args: Any = None) -> dict[str, Any]:
    """The report's arguments, validated: every bad one is named with why (ReportInputError), all at once."""
    args = args if args is not None else request.args
    problems: list[tuple[str, str, dict[str, str]]] = []
    kind = str(args.get("kind", "calls"))
    if kind not in KINDS:
        problems.append(("kind", NOT_ONE_OF, {"value": quoted(kind), "choices": ", ".join(KINDS)}))
        kind = "calls"
    by = str(args.get("by", ""))
    dimensions = DIMENSIONS[kind]
    if by not in dimensions:
        problems.append(("by", NOT_ONE_OF, {"value": quoted(by),
                                            "choices": ", ".join(d for d in dimensions if d)}))
    agent = str(args.get("agent", "")).strip()
    if agent and (not agent.isdigit() or len(agent) > 9):
        problems.append(("agent", NOT_AN_ID, {"value": quoted(agent)}))
    campaign = str(args.get("campaign", "")).strip()
    if campaign and (not campaign.isdigit() or len(campaign) > 9):
        problems.append(("campaign", NOT_AN_ID, {"value": quoted(campaign)}))
    out = {"kind": kind, "by": by, "from": str(args.get("from", ""))[:2000], "to": str(args.get("to", ""))[:2000],
           "group": str(args.get("group", "day"))[:2000], "agent": agent, "campaign": campaign}
    try:  # the range and grouping too, so every bad argument is named at once (QA 14); the zone is the page's
        parse(out["from"], out["to"], out["group"], ZoneInfo("UTC"), datetime.now(UTC).date())
    except PeriodError as exc:
        problems.extend(exc.problems)
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
             "kind": "Report", "name": "Name", "schedule": "E-mail it", "recipients": "Recipients",
             "start": "field.start", "end": "field.end", "figure": "field.figure", "extension": "field.extension",
             "created_from": "field.created_from", "created_to": "field.created_to", "version": "field.version",
             "compare": "field.compare", "ivr": "field.ivr", "format": "field.format"}
    return translate(words.get(field, f"dimension.{field}"), locale)


def problem_messages(problems: list[tuple[str, str, dict[str, str]]], locale: str) -> list[dict[str, str]]:
    """Each problem as {"field", "message"} in the reader's language ("开始日期：…")."""
    sep = "：" if locale != "en" else ": "
    return [{"field": field, "message": field_label(field, locale) + sep + translate(template, locale) % {
        key: _said_value(value, locale) for key, value in values.items()}} for field, template, values in problems]


def _said_value(value: Any, locale: str) -> Any:
    """A quoted value as the reader sees it: a cut one says it was cut and how long it was."""
    if isinstance(value, Quoted) and value.length:
        return value + translate(CUT_NOTE, locale) % {"length": str(value.length)}
    return value


def build(session: Any, tenant_id: int, params: dict[str, Any], locale: str) -> tuple[Period, Report, list[str]]:
    """The report a set of arguments asks for (also used by the scheduled e-mail)."""
    tenant = session.get(Tenant, tenant_id)
    zone = tenant_zone(tenant.settings if tenant else None)
    today = datetime.now(UTC).astimezone(zone).date()
    period = parse(params.get("from", ""), params.get("to", ""), params.get("group", "day"), zone, today)
    if params.get("kind", "calls") == "calls":
        report = call_report(session, tenant_id, period, params.get("by", ""), params,
                             translate=lambda text: translate(text, locale))
        return period, report, list(CALL_FIGURES)
    if params.get("kind") == "outbound":
        report = outbound_report(session, tenant_id, period, params.get("by", ""), params,
                                 translate=lambda text: translate(text, locale))
        return period, report, list(OUTBOUND_FIGURES)
    report = ticket_report(session, tenant_id, period, params.get("by", ""), params,
                           translate=lambda text: translate(text, locale))
    return period, report, list(TICKET_FIGURES)


def _compute(args: Any = None) -> tuple[dict[str, Any], Period, Report, list[str], dict[str, Any]]:
    """The report the request (or `args`, a posted form) asks for; bad arguments raise ReportInputError (all of
    them named)."""
    locale = current_locale()
    with tenant_session(SUPERVISE) as (session, who):
        params = arguments(args)
        tenant_id = who.tenant.tenant_id
        unknown = unknown_filters(session, tenant_id, params)
        if unknown:
            raise ReportInputError(unknown)
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
                                       "category", {"complaints": True, "form": params.get("form", "")},
                                       translate=lambda text: translate(text, locale))
            extra["complaints"] = [{"label": r["label"], "complaints": r["complaints"]}
                                   for r in complaints.rows if r["complaints"]]
            extra["topics"] = hot_topics(session, tenant_id, period, form=params.get("form") or "")
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
        if params["by"] == "agent" and isinstance(key, str) and key.startswith(EXTENSION_KEY):
            query["extension"] = key[len(EXTENSION_KEY):]
        elif params["by"] == "agent" and key:
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
    elif params["by"] == "handler":
        query["handler"] = str(key or 0)  # 0: （未分配）, nobody's tickets (QA 14 item 2)
    elif params["by"] == "source" and key:
        query["source"] = str(key)
    if params.get("form"):
        query["form"] = params["form"]
    return "/supervision/reports/tickets?" + urlencode(query)


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


#: Call figures that count calls, each listed exactly by the calls page's `figure` filter ("calls": no filter).
LINKED_CALL_FIGURES = ("calls", "offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short",
                       "timed_out", "answered_in_target", "transfers", "callbacks", "self_service")


#: Ticket figures that count tickets, each listed by the tickets page's `figure` filter; by handler, the tickets
#: credited to the row's person (the responder's responses, the completer's completions: platform/reports/credit.py).
LINKED_TICKET_FIGURES = credit.DRILL_FIGURES


def figure_links(params: dict[str, Any], row: dict[str, Any]) -> dict[str, str]:
    """Each non-zero count of a call or ticket row → the page of exactly the records behind it (the row's bucket and
    dimension value, filtered by what counted), so clicking a figure opens those records, not the whole row's.
    None where the calls page cannot select the row's calls exactly yet: a skill row (a skill spans queues) and
    the "—" row of a breakdown (no queue, DID or agent), whose row link lists the whole bucket."""
    if params["kind"] == "tickets":  # the drill-down selects every row's tickets, "—" and （未分配） too
        return {name: row["drill"] + f"&figure={name}" for name in LINKED_TICKET_FIGURES if row.get(name)}
    if params["kind"] != "calls" or params["by"] == "skill" or (params["by"] and not row.get("key")):
        return {}
    return {name: row["drill"] + ("" if name == "calls" else f"&figure={name}")
            for name in LINKED_CALL_FIGURES if row.get(name)}


def reports_page() -> ResponseReturnValue:
    try:
        return render_report()
    except ReportInputError as exc:
        return form_with_errors(exc.problems, request.args)


#: The arguments a report page's own links (exports) carry over.
LINK_ARGUMENTS = ("kind", "from", "to", "group", "by", "queue", "did", "agent", "form", "campaign", "lang")


def render_report(args: Any = None, errors: list[dict[str, str]] | None = None,
                  saving: dict[str, str] | None = None, status: int = 200) -> ResponseReturnValue:
    """The report page with its figures and chart for `args` (the query, or a refused save's form: QA 14 — the
    refusal showed no figures); `errors` and `saving` show a refused save's problems and what was typed."""
    params, period, report, columns, extra = _compute(args)
    locale = current_locale()
    rows = [{**row, "drill": _drill(params, row, period)} for row in report.rows]
    for row in rows:
        row["figure_links"] = figure_links(params, row)
    chart = {"kind": params["kind"], "periods": [r["period"] for r in report.rows if not report.dimension],
             "series": _series(report, params["kind"], locale)}
    return render_template("supervision/reports.html", params=params, period=period, rows=rows,
                           totals=report.totals, columns=columns, extra=extra, groups=GROUPS,
                           dimensions=DIMENSIONS[params["kind"]],
                           chart=_json_script(chart), assets=assets.entry_assets(entry_name=REPORTS_ENTRY),
                           retention_notice=retention_notice(extra["retention"], locale),
                           query={k: str(v) for k, v in (args if args is not None else request.args).items()
                                  if k in LINK_ARGUMENTS and v},
                           errors=errors or [], saving=saving or {}), status


def _series(report: Report, kind: str, locale: str) -> dict[str, Any]:
    """Chart data: per period, the main figures of the report's totals (合计), never the sum of its rows: by skill a
    call counts in each skill's row and once in the total (review leftover 2: the chart drew it twice)."""
    wanted = {"calls": ("offered", "answered", "abandoned_ivr", "abandoned_queue"),
              "tickets": ("created", "responded_in_time", "completed_in_time", "urges"),
              "outbound": ("attempts", "connects", "abandoned", "skipped")}[kind]
    return {"labels": [p["period"] for p in report.period_totals], "lines": [
        {"name": translate(f"figure.{name}", locale), "data": [p[name] or 0 for p in report.period_totals]}
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
        refuse("format", NOT_ONE_OF, value=repr(fmt[:10]), choices="csv, xlsx")
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
