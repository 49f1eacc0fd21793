"""The records behind a report figure (数据明细): the calls, tickets or dial attempts of one bucket and dimension
value, each page the newest CALL_LIST_LIMIT, with labels, never stored codes.

GET /supervision/reports/calls?start=<ISO>&end=<ISO>&figure=…&queue=&did=&agent=;
GET /supervision/reports/tickets?created_from=YYYY-MM-DD&created_to=…&form=&category=&status=&handler=;
GET /supervision/reports/attempts?start=<ISO>&end=<ISO>&campaign=&disposition=.
Split from reports.py (the report page): these pages read raw records, the report page only interval rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from ...platform.models import CallRecord, DialAttempt, Tenant, Ticket
from ...platform.reports import classify as cl
from ...platform.reports import intervals
from ...platform.reports.outbound import campaign_labels, disposition_labels
from ...platform.reports.service import ENTRY_KEY, call_labels, entry_labels, extension_label, form_labels
from ...platform.wallboard.today import tenant_zone
from ..i18n import current_locale, translate
from .common import SUPERVISE, tenant_session
from .reports import _arg

CALL_LIST_LIMIT = 500


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/calls", "report_calls", report_calls, methods=["GET"])
    bp.add_url_rule("/reports/tickets", "report_tickets", report_tickets, methods=["GET"])
    bp.add_url_rule("/reports/attempts", "report_attempts", report_attempts, methods=["GET"])


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
    extension = _arg("extension", 32)  # a call answered on an extension no user holds
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
        if extension:
            query = query.where(CallRecord.agent_id.is_(None), CallRecord.answered_at.is_not(None))
        locale = current_locale()
        facts = intervals.queue_facts(session, tenant_id)
        short = intervals.short_abandon_seconds(tenant.settings if tenant else None)
        queues = call_labels(session, tenant_id, "queue")
        agents = call_labels(session, tenant_id, "agent")
        rows = []
        for record in session.scalars(query.order_by(CallRecord.started_at.desc()).limit(CALL_LIST_LIMIT * 4)):
            values = {name: getattr(record, name) for name in RECORD_FIELDS}
            answered_on = cl.answering_extension({**values, "agent_id": record.agent_id})
            if extension and answered_on != extension:
                continue
            counts = cl.call_counts(values, facts, short_abandon_seconds=short)
            if figure and not counts.get(figure):
                continue
            rows.append({"started": record.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                         "caller": record.caller, "did": record.did,
                         "queue": queues.get(record.queue or "", record.queue or ""),
                         "agent": agents.get(record.agent_id or 0, "") if not answered_on else extension_label(
                             answered_on, lambda text: translate(text, locale)), "wait": record.wait_seconds,
                         "outcome": next((f for f in FIGURE_FILTERS if counts.get(f) and f not in (
                             "offered", "answered_in_target", "callbacks")), "calls")})
            if len(rows) >= CALL_LIST_LIMIT:
                break
    return render_template("supervision/report_calls.html", rows=rows, figure=figure,
                           start=start.astimezone(zone), end=end.astimezone(zone), limit=CALL_LIST_LIMIT)


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
    form, category, status, handler = _arg("form"), _arg("category"), _arg("status"), _arg("handler", 20)
    entry = handler[len(ENTRY_KEY):] if handler.startswith(ENTRY_KEY) else ""  # a directory entry, not a user
    if handler and not (handler.isdigit() or entry.isdigit()):
        raise BadRequest(f"handler: {handler!r} is not a user id or {ENTRY_KEY}<directory entry id>")
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
        if entry:
            query = query.where(Ticket.assignee_id.is_(None), Ticket.handler_entry_id == int(entry))
        elif handler:
            query = query.where(Ticket.assignee_id == (int(handler) or None))
        forms = form_labels(session, tenant_id)
        agents = call_labels(session, tenant_id, "agent")
        tickets = list(session.scalars(query.order_by(Ticket.created_at.desc()).limit(CALL_LIST_LIMIT * 4)))
        entries = entry_labels(session, tenant_id, {t.handler_entry_id for t in tickets if t.handler_entry_id})
        rows = []
        for ticket in tickets:
            field = forms.category_fields.get(ticket.form_name)
            value = str((ticket.data or {}).get(field) or "") if field else ""
            if category and value != ("" if category == "-" else category):
                continue
            rows.append({"number": ticket.number, "created": ticket.created_at.astimezone(zone).strftime(
                "%Y-%m-%d %H:%M:%S"), "form": forms.titles.get(ticket.form_name, ticket.form_name),
                "category": forms.categories.get((ticket.form_name, value), value),
                "status": forms.statuses.get((ticket.form_name, ticket.status), ticket.status),
                "handler": agents.get(ticket.assignee_id or 0, "") if ticket.assignee_id
                else entries.get(ticket.handler_entry_id or 0, "")})
            if len(rows) >= CALL_LIST_LIMIT:
                break
    return render_template("supervision/report_tickets.html", rows=rows, first=first, last=last,
                           limit=CALL_LIST_LIMIT)


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
