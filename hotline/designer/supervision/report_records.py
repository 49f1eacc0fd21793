"""The records behind a report figure (数据明细): the calls, tickets or dial attempts of one bucket and dimension
value, each page the newest CALL_LIST_LIMIT, with labels, never stored codes.

GET /supervision/reports/calls?start=<ISO>&end=<ISO>&figure=…&queue=&did=&agent=;
GET /supervision/reports/tickets?created_from=YYYY-MM-DD&created_to=…&form=&category=&status=&handler=&figure=;
GET /supervision/reports/attempts?start=<ISO>&end=<ISO>&campaign=&disposition=.
Split from reports.py (the report page): these pages read raw records, the report page only interval rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import and_, or_, select, true

from ...platform.models import CallRecord, DialAttempt, Tenant, Ticket
from ...platform.outbound.skips import SKIP_REASONS
from ...platform.reports import classify as cl
from ...platform.reports import credit, export, intervals
from ...platform.reports.outbound import agent_labels, campaign_labels, disposition_labels, disposition_word
from ...platform.reports.periods import BEFORE, NOT_A_DATE, quoted
from ...platform.reports.service import (
    ENTRY_KEY,
    call_labels,
    entry_labels,
    extension_label,
    form_labels,
    member_extensions,
)
from ...platform.wallboard.today import tenant_zone
from ..campaigns.messages import say
from ..i18n import current_locale, translate
from .common import SUPERVISE, tenant_session
from .reports import (
    NOT_A_HANDLER,
    NOT_A_TIME,
    NOT_AFTER_START,
    NOT_AN_ID,
    NOT_ONE_OF,
    RANGE_TOO_LONG,
    _arg,
    refuse,
    refuse_all,
    unknown_filters,
)

T = TypeVar("T")
CALL_LIST_LIMIT = 500


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/calls", "report_calls", report_calls, methods=["GET"])
    bp.add_url_rule("/reports/tickets", "report_tickets", report_tickets, methods=["GET"])
    bp.add_url_rule("/reports/attempts", "report_attempts", report_attempts, methods=["GET"])


#: started_at: the answer's wait runs from the queue step's offset in the call (classify.answer_wait)
RECORD_FIELDS = ("queue", "outcome", "wait_seconds", "started_at", "answered_at", "ended_at", "talk_seconds",
                 "trace")
FIGURE_FILTERS = ("offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short", "timed_out",
                  "answered_in_target", "transfers", "callbacks", "self_service")
#: What happened to a call, in the order it is decided: the first figure it counts in names its outcome
#: (outcome.* labels, platform/reports/labels.py); a call in none of them is "other" (e.g. cut while it waited).
OUTCOME_FIGURES = ("answered", "abandoned_queue", "abandoned_short", "timed_out", "abandoned_ivr", "transfers",
                   "self_service")


def call_outcome(counts: dict[str, float]) -> str:
    """The key of a call's outcome label (outcome.answered …), from the figures it counts in."""
    return "outcome." + next((f for f in OUTCOME_FIGURES if counts.get(f)), "other")


def _pair(names: tuple[str, str], most: int, parse: Callable[[str], T], bad: str) -> tuple[T, T]:
    """The two ends of a drill-down's range, each read by `parse` (at most `most` characters); every one that does
    not parse is refused in one answer naming it, with the `bad` message and the value quoted whole (QA 14: only
    the first was named) — one rule for times and days."""
    found: list[T] = []
    problems: list[tuple[str, str, dict[str, str]]] = []
    for name in names:
        raw = request.args.get(name, "").strip()
        try:
            if len(raw) > most:
                raise ValueError(raw)
            found.append(parse(raw))
        except ValueError:
            problems.append((name, bad, {"value": quoted(raw)}))
    if problems:
        refuse_all(problems)
    return found[0], found[1]


def _aware_time(raw: str) -> datetime:
    """An ISO 8601 time with its offset; one without is as unreadable as garbage (whose zone would it be?)."""
    at = datetime.fromisoformat(raw)
    if at.tzinfo is None:
        raise ValueError(raw)
    return at


def time_range(most_days: int) -> tuple[datetime, datetime]:
    """`start` and `end` of a drill-down: aware ISO 8601 times, start before end, at most `most_days` apart;
    a bad one is refused in the reader's language, naming it."""
    start, end = _pair(("start", "end"), 40, _aware_time, NOT_A_TIME)
    if not start < end:
        refuse("end", NOT_AFTER_START, end=end.isoformat(), start=start.isoformat())
    if end - start > timedelta(days=most_days):
        refuse("start", RANGE_TOO_LONG, most=str(most_days))
    return start, end


def report_calls() -> ResponseReturnValue:
    """The calls behind a figure: one bucket's calls (the newest CALL_LIST_LIMIT), filtered by what counted."""
    start, end = time_range(62)
    figure = _arg("figure", 32)
    if figure and figure not in FIGURE_FILTERS:
        refuse("figure", NOT_ONE_OF, value=repr(figure), choices=", ".join(FIGURE_FILTERS))
    agent = _arg("agent", 9)
    if agent and not agent.isdigit():
        refuse("agent", NOT_AN_ID, value=repr(agent))
    extension = _arg("extension", 32)  # a call answered on an extension no user holds
    with tenant_session(SUPERVISE) as (session, who):
        tenant_id = who.tenant.tenant_id
        tenant = session.get(Tenant, tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        query = select(CallRecord).where(CallRecord.tenant_id == tenant_id, CallRecord.started_at >= start,
                                         CallRecord.started_at < end, CallRecord.test_call.is_(False),
                                         CallRecord.direction == "inbound")
        unknown = unknown_filters(session, tenant_id, {"queue": _arg("queue"), "agent": agent})
        if unknown:
            refuse_all(unknown)
        if _arg("queue"):
            query = query.where(CallRecord.queue == _arg("queue"))
        if _arg("did", 32):
            query = query.where(CallRecord.did == _arg("did", 32))
        # an answered call is its bridged extension's holder's (service.member_extensions), also when its record
        # carries no user: the agent's calls are those recorded with the user or bridged to the user's extension
        holders = member_extensions(session, tenant_id)
        if agent:
            query = query.where(or_(CallRecord.agent_id == int(agent), CallRecord.agent_id.is_(None)))
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
            user = record.agent_id or holders.get(answered_on)
            if agent and user != int(agent):
                continue
            counts = cl.call_counts(values, facts, short_abandon_seconds=short)
            if figure and not counts.get(figure):
                continue
            rows.append({"started": record.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                         "caller": record.caller, "did": record.did,
                         "queue": queues.get(record.queue or "", record.queue or ""),
                         "agent": agents.get(user or 0, "") if user or not answered_on else extension_label(
                             answered_on, lambda text: translate(text, locale)), "wait": _wait(values, counts),
                         "outcome": translate(call_outcome(counts), locale)})
            if len(rows) >= CALL_LIST_LIMIT:
                break
    return render_template("supervision/report_calls.html", rows=rows, figure=figure,
                           start=start.astimezone(zone), end=end.astimezone(zone), limit=CALL_LIST_LIMIT)


def _wait(values: dict[str, Any], counts: dict[str, float]) -> float | None:
    """The wait the reports count (QA 14 #2): an answered call's from queue entry to the agent's answer, ringing
    included (classify.answer_wait), so the answered rows average to the report's ASA; else the recorded wait."""
    wait = cl.answer_wait(values) if counts.get("answered") else values.get("wait_seconds")
    return None if wait is None else round(float(wait), 1)


#: The sources a ticket drill-down may be narrowed to (classify.ticket_source).
SOURCES = ("ivr", "call", "desk")


def report_tickets() -> ResponseReturnValue:
    """The tickets behind a ticket figure: one bucket's tickets of a form, category ("-" for none), status or
    handler (the newest CALL_LIST_LIMIT), so each row's 明细 opens its own tickets, not the whole form's."""
    first, last = _pair(("created_from", "created_to"), 10, date.fromisoformat, NOT_A_DATE)
    if last < first:
        refuse("created_to", BEFORE, to=last.isoformat(), **{"from": first.isoformat()})
    if (last - first).days > 1200:
        refuse("created_from", RANGE_TOO_LONG, most="1200")
    form, category, status, handler = _arg("form"), _arg("category"), _arg("status"), _arg("handler", 20)
    entry = handler[len(ENTRY_KEY):] if handler.startswith(ENTRY_KEY) else ""  # a directory entry, not a user
    if handler and not (handler.isdigit() or entry.isdigit()):
        refuse("handler", NOT_A_HANDLER, value=repr(handler))
    source = _arg("source", 10)
    if source and source not in SOURCES:
        refuse("source", NOT_ONE_OF, value=repr(source), choices=", ".join(SOURCES))
    figure = _arg("figure", 32)
    if figure and figure not in credit.DRILL_FIGURES:
        refuse("figure", NOT_ONE_OF, value=repr(figure), choices=", ".join(credit.DRILL_FIGURES))
    with tenant_session(SUPERVISE) as (session, who):
        tenant_id = who.tenant.tenant_id
        tenant = session.get(Tenant, tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        unknown = unknown_filters(session, tenant_id, {"kind": "tickets", "form": form, "handler": handler})
        if unknown:
            refuse_all(unknown)
        start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        query = select(Ticket).where(Ticket.tenant_id == tenant_id, Ticket.created_at >= start,
                                     Ticket.created_at < end)
        if form:
            query = query.where(Ticket.form_name == form)
        if status:
            query = query.where(Ticket.status == status)
        if handler:
            dialect = session.get_bind().dialect.name
            query = query.where(_may_be_credited(tenant_id, handler, entry, figure, dialect))
        now = datetime.now(UTC)  # 超时未响应 is counted at read time, as the report does
        if figure:
            query = query.where(_counted_in(figure, now))
        if source:  # as classify.ticket_source sorts them
            ivr = or_(Ticket.created_by == "ivr", Ticket.created_by.startswith("ivr:"))
            query = query.where({"ivr": ivr, "call": ~ivr & Ticket.call_id.isnot(None),
                                 "desk": ~ivr & Ticket.call_id.is_(None)}[source])
        forms = form_labels(session, tenant_id)
        agents = call_labels(session, tenant_id, "agent")
        key = (f"{ENTRY_KEY}{entry}" if entry else int(handler)) if handler else None
        found = _listed(session, tenant_id, query, form_labels=forms, category=category, figure=figure, key=key,
                        now=now)
        entries = entry_labels(session, tenant_id, {int(k[len(ENTRY_KEY):]) for _t, k in found
                                                    if isinstance(k, str) and k.startswith(ENTRY_KEY)}
                               | {t.handler_entry_id for t, _k in found if t.handler_entry_id})

        def name(person: int | str) -> str:
            if isinstance(person, str):  # a directory entry
                return entries.get(int(person[len(ENTRY_KEY):]), "")
            return agents.get(person, "") if person else ""

        rows = []
        for ticket, person in found:
            field = forms.category_fields.get(ticket.form_name)
            value = str((ticket.data or {}).get(field) or "") if field else ""
            holder = credit.handler_key(ticket.assignee_id, ticket.handler_entry_id)
            rows.append({"number": ticket.number, "created": ticket.created_at.astimezone(zone).strftime(
                "%Y-%m-%d %H:%M:%S"), "form": forms.titles.get(ticket.form_name, ticket.form_name),
                "category": forms.categories.get((ticket.form_name, value), value),
                "status": forms.statuses.get((ticket.form_name, ticket.status), ticket.status),
                "credited": name(person), "holder": name(holder)})
    return render_template("supervision/report_tickets.html", rows=rows, first=first, last=last,
                           limit=CALL_LIST_LIMIT)


def _may_be_credited(tenant_id: int, handler: str, entry: str, figure: str, dialect: str) -> Any:
    """The SQL narrowing of a handler's drill-down to exactly the tickets credited to it for the figure (any figure
    when empty), as the report credits them (platform/reports/credit.py: responses the responder's, completions
    the completer's, the rest the holder's now). Review leftover 3: it was a superset filtered in Python after the
    query, so a page read 4× the cap to keep a few and the number listed depended on that loop."""
    key: int | str = f"{ENTRY_KEY}{entry}" if entry else int(handler)
    return credit.credited_to(tenant_id, key, figure, dialect)


def _counted_in(figure: str, now: datetime) -> Any:
    """The SQL narrowing of a drill-down to the tickets counted in `figure` (classify.ticket_counts; overdue as the
    report counts it at read time), so the newest tickets listed are those of the figure, whoever is credited."""
    t = Ticket
    return {
        "created": true(),
        "responded_in_time": and_(t.first_responded_at.isnot(None), or_(
            t.first_response_due.is_(None), t.first_responded_at <= t.first_response_due)),
        "responded_late": t.first_responded_at > t.first_response_due,
        "response_overdue": and_(t.first_responded_at.is_(None), t.first_response_due < now),
        "completed_in_time": and_(t.resolved_at.isnot(None), or_(t.resolution_due.is_(None),
                                                                 t.resolved_at <= t.resolution_due)),
        "completed_late": t.resolved_at > t.resolution_due,
    }[figure]


def _listed(session: Any, tenant_id: int, query: Any, *, form_labels: Any, category: str, figure: str, key: Any,
            now: datetime) -> list[tuple[Ticket, int | str]]:
    """The newest CALL_LIST_LIMIT tickets of `query` behind the figure for `key`, each with whom it is credited to.
    The query already keeps exactly the figure's tickets credited to `key` (_may_be_credited, _counted_in), so one
    read of the cap is the page. A category is a field of each form's own data, compared in Python: with one, the
    tickets are read newest first a page (4× the cap) at a time until the cap is reached or they run out."""
    cap = CALL_LIST_LIMIT
    newest = (Ticket.created_at.desc(), Ticket.id.desc())
    if not category:
        return _behind(session, tenant_id, list(session.scalars(query.order_by(*newest).limit(cap))), figure, key,
                       now)
    out: list[tuple[Ticket, int | str]] = []
    after: tuple[datetime, int] | None = None
    while len(out) < cap:
        page_query = query
        if after is not None:  # keyset: strictly older than the last ticket read, ties broken by id
            page_query = page_query.where(or_(Ticket.created_at < after[0],
                                              and_(Ticket.created_at == after[0], Ticket.id < after[1])))
        page = list(session.scalars(page_query.order_by(*newest).limit(cap * 4)))
        for ticket, person in _behind(session, tenant_id, page, figure, key, now):
            field = form_labels.category_fields.get(ticket.form_name)
            value = str((ticket.data or {}).get(field) or "") if field else ""
            if value != ("" if category == "-" else category):
                continue
            out.append((ticket, person))
            if len(out) >= cap:
                break
        if len(page) < cap * 4:
            break
        after = (page[-1].created_at, page[-1].id)
    return out


def _behind(session: Any, tenant_id: int, tickets: list[Ticket], figure: str, key: Any,
            now: datetime) -> list[tuple[Ticket, int | str]]:
    """The tickets behind a figure (any ticket figure when `figure` is empty) credited to the by-handler `key`
    (any when None), as the report counts them — responses the responder's, completions the completer's, the rest
    and overdue unanswered tickets their handler's now (credit.figure_keys) — each with the person credited: the
    figure's, else `key`, else its handler now. The query already kept only those (credit.credited_to), so nothing
    is dropped here; this names the person."""
    if not tickets:
        return []
    found = credit.credited(session, tenant_id, Ticket.id.in_([t.id for t in tickets]))
    kept = []
    for ticket in tickets:
        keys = credit.figure_keys({c.key: getattr(ticket, c.key) for c in Ticket.__table__.columns},
                                  found.get(ticket.id, credit.Credit()), now)
        wanted = [keys[figure]] if figure and figure in keys else [] if figure else list(keys.values())
        if wanted and (key is None or key in wanted):
            holder = credit.handler_key(ticket.assignee_id, ticket.handler_entry_id)
            kept.append((ticket, wanted[0] if figure else key if key is not None else holder))
    return kept


def _outcome_words(attempt: DialAttempt, locale: str) -> str:
    """An attempt's outcome by its label. Both skips are stored as `skipped`: an agent's (preview's 跳过, whose
    disposition is one of SKIP_REASONS) reads 座席跳过：<the reason>, a rule's (DNC, window, cap…) 按规则跳过 — the
    list said the latter for both (issue 13, 13c #2)."""
    if attempt.outcome == "skipped" and attempt.disposition in SKIP_REASONS:
        return say({"code": "reason.agent_skip_unnamed", "skip": attempt.disposition}, locale)
    return translate(f"outcome.{attempt.outcome}", locale)


def report_attempts() -> ResponseReturnValue:
    """The dial attempts behind an outbound figure: one bucket's attempts of a campaign (the newest
    CALL_LIST_LIMIT), optionally of one disposition ("-" for none), with labels; `format=csv|xlsx` exports them."""
    fmt = request.args.get("format", "")
    if fmt not in ("", "csv", "xlsx"):
        refuse("format", NOT_ONE_OF, value=repr(fmt[:10]), choices="csv, xlsx")
    start, end = time_range(400)
    campaign = _arg("campaign", 9)
    if campaign and not campaign.isdigit():
        refuse("campaign", NOT_AN_ID, value=repr(campaign))
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
        codes = disposition_labels(session, {a.campaign_id for a in attempts if a.campaign_id is not None},
                                   lambda text: translate(text, locale))
        agents = agent_labels(session, tenant_id, {a.agent for a in attempts if a.agent},
                              lambda text: translate(text, locale))
        rows = [{"at": a.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), "campaign": names.get(a.campaign_id, ""),
                 "phone": a.phone_e164, "outcome": _outcome_words(a, locale), "abandoned": a.abandoned,
                 "disposition": "" if not a.disposition or a.outcome == "skipped"
                 else disposition_word(codes, a.campaign_id, a.disposition, lambda text: translate(text, locale)),
                 "agent": agents.get(a.agent, "") if a.agent else ""} for a in attempts]
    if fmt:
        return _attempts_export(rows, fmt, zone.key, locale)
    query = {k: v for k, v in request.args.items() if k in ("start", "end", "campaign", "disposition", "lang")}
    return render_template("supervision/report_attempts.html", rows=rows, start=start.astimezone(zone),
                           end=end.astimezone(zone), limit=CALL_LIST_LIMIT, query=query)


#: The attempts list's columns: (row key, header label key); the page's header uses the same labels.
ATTEMPT_COLUMNS = (("at", "Time"), ("campaign", "dimension.campaign"), ("phone", "Phone"), ("outcome", "Outcome"),
                   ("abandoned", "figure.abandoned"), ("disposition", "dimension.disposition"),
                   ("agent", "dimension.agent"))


def _attempts_export(rows: list[dict[str, object]], fmt: str, zone: str, locale: str) -> ResponseReturnValue:
    """The attempts as the page shows them (labels, the agent's name; times in the tenant's zone, named in the
    header), as CSV or a workbook whose text cells are never formulas."""
    head = [translate(label, locale) + (f" ({zone})" if key == "at" else "") for key, label in ATTEMPT_COLUMNS]
    table = [head] + [[translate("yes" if r["abandoned"] else "no", locale) if key == "abandoned" else r[key]
                       for key, _label in ATTEMPT_COLUMNS] for r in rows]
    name = "report-attempts"
    if fmt == "csv":
        return Response(export.to_csv(table), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(export.to_xlsx(table, translate("Attempts behind the figure", locale)),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
