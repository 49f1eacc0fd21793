"""The dispatch editor's "try the rules" and its live firing log (issue 16, item 5: test what will happen).

* `GET /api/dispatch/trial/tickets?q=` — recent tickets of the tenant (or those whose number contains q),
  each with its form's title and a summary by labels, to pick one from;
* `GET /api/dispatch/trial/calls` — recent calls, for the call-event rules;
* `POST /api/dispatch/trial` `{"draft", "event", "ticket" | "call"}` — the draft's rules run on that ticket
  or call by the real engine, in a dry run (platform/dispatch/dry_run.py): per rule, whether its
  condition held, which parts failed and on what values, and what its actions would do. The transaction is
  discarded: nothing is written, sent or changed;
* `GET /api/dispatch/firings?after=` — the latest firings of the tenant's published rules, newest first,
  worded as on the supervision firings page (supervision/firings.py), times in the tenant's zone.

Designers and tenant admins only (the roles that may change documents). Another tenant's ticket or call is
not found (404), like everything here.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from ...platform.dispatch import CALL_EVENTS, TICKET_EVENTS, customer_record
from ...platform.dispatch.dry_run import Labels, dry_run
from ...platform.dispatch.engine import published_rules
from ...platform.kinds.dispatch.lint import TRIAL_RULES
from ...platform.models import CallRecord, Customer, RuleFiring, Ticket
from ...platform.services import ticket_lists, tickets
from ...platform.services.errors import NotFound
from ..auth import WRITE_DOCUMENTS, database, require_tenant
from ..i18n import current_locale, extend, translate
from ..supervision import rule_words
from ..supervision.firings import record as firing_record
from ..supervision.firings import rule_labels
from .documents import _field

#: Bounds on what a designer sends: the draft's size, its rules, a ticket number, a search text.
MAX_BODY_BYTES = 512 * 1024
MAX_RULES = TRIAL_RULES
MAX_KEY = 64
#: How many tickets, calls and firings a list holds.
LIST_LIMIT = 20
FIRINGS_LIMIT = 50
#: Filled fields shown in a ticket's summary.
SUMMARY_FIELDS = 3

extend({"The draft has {count} rules; a dry run takes at most {limit}.": {
    "zh_CN": "草稿有 {count} 条规则，试运行最多 {limit} 条：请删减或合并规则后再试。"}})


class _Discard(Exception):
    """Raised at the end of a dry run so its transaction rolls back."""


def _tenant() -> tuple[int, str]:
    who = require_tenant(WRITE_DOCUMENTS)
    assert who.tenant is not None
    return who.tenant.tenant_id, who.username


def _summary(session: Any, ticket: Ticket) -> dict[str, Any]:
    """The ticket as a designer recognises it: number, form title, status and a few filled fields by label
    (choice fields first: they say what kind of case it is)."""
    form = tickets.form_of(session, ticket)
    labels = Labels(form)
    data = ticket.data or {}
    names = [n for n in labels.titles if data.get(n[len("ticket."):]) not in (None, "", [], {})]
    names.sort(key=lambda path: not labels.choices.get(path))
    shown = []
    for path in names[:SUMMARY_FIELDS]:
        value = labels.value(path, data[path[len("ticket."):]])
        text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
        shown.append({"label": labels.field(path), "value": text[:80]})
    return {"number": ticket.number, "form": ticket.form_name, "form_title": form.get("title") or ticket.form_name,
            "status": labels.value("ticket.status", ticket.status), "summary": shown}


def _search_text() -> str:
    text = (request.args.get("q") or "").strip()
    if len(text) > MAX_KEY:
        raise BadRequest(f"search text q is {len(text)} characters; at most {MAX_KEY}")
    return text


def _call_context(session: Any, call: CallRecord) -> dict[str, Any]:
    trace = call.trace or {}
    customer = session.get(Customer, call.customer_id) if call.customer_id is not None else None
    variables = trace.get("variables") if isinstance(trace.get("variables"), dict) else {}
    return {"call": {"uuid": call.uuid, "caller": call.caller, "did": call.did, "queue": call.queue,
                     "wait_seconds": call.wait_seconds, "direction": call.direction, "outcome": call.outcome},
            "customer": customer_record(customer, call.caller) if customer is not None else {},
            "var": variables}


def _trial_body() -> dict[str, Any]:
    size = request.content_length or 0
    if size > MAX_BODY_BYTES:
        raise RequestEntityTooLarge(f"the request is {size} bytes; a dry run takes at most {MAX_BODY_BYTES}")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


def _draft(body: dict[str, Any]) -> dict[str, Any]:
    draft = _field(body, "draft", dict)
    rules = draft.get("rules", [])
    if not isinstance(rules, list):
        raise BadRequest("draft.rules must be a list of rules")
    if len(rules) > MAX_RULES:
        raise BadRequest(translate("The draft has {count} rules; a dry run takes at most {limit}.",
                                   current_locale()).format(count=len(rules), limit=MAX_RULES))
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            raise BadRequest(f"draft.rules[{i}] (rule {i + 1}) must be an object")
        if "when" in rule and not isinstance(rule["when"], dict):
            raise BadRequest(f"draft.rules[{i}].when (rule {i + 1}) must be a condition object")
        forms = rule.get("forms", [])
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise BadRequest(f"draft.rules[{i}].forms (rule {i + 1}) must be a list of form names")
        if not isinstance(rule.get("actions", []), list):
            raise BadRequest(f"draft.rules[{i}].actions (rule {i + 1}) must be a list")
    return draft


def _key(body: dict[str, Any], name: str) -> str:
    value = _field(body, name, str).strip()
    if not value or len(value) > MAX_KEY:
        raise BadRequest(f"field {name!r} must be 1 to {MAX_KEY} characters")
    return value


def trial() -> ResponseReturnValue:
    tenant_id, username = _tenant()
    body = _trial_body()
    draft = _draft(body)
    event = _field(body, "event", str)
    if ("ticket" in body) == ("call" in body):
        raise BadRequest("give either 'ticket' (a ticket number) or 'call' (a call id), not both or neither")
    on_ticket = "ticket" in body
    allowed = TICKET_EVENTS if on_ticket else CALL_EVENTS
    if event not in allowed:
        raise BadRequest(f"event {event!r} is not a {'ticket' if on_ticket else 'call'} event; one of "
                         f"{', '.join(sorted(allowed))}")
    key = _key(body, "ticket" if on_ticket else "call")
    result: dict[str, Any] = {}
    try:
        with database().tenant(tenant_id) as session:
            if on_ticket:
                ticket = tickets.get(session, key)  # NotFound (404) for another tenant's number
                context: dict[str, Any] = {"ticket": ticket}
                if event == "ticket.status_changed":
                    context["event"] = {"to": ticket.status}
                result = {"event": event, "ticket": _summary(session, ticket)}
            else:
                call = session.scalar(select(CallRecord).where(CallRecord.uuid == key))
                if call is None:
                    raise NotFound(f"call {key} not found")
                context = _call_context(session, call)
                result = {"event": event, "call": {"uuid": call.uuid, "caller": call.caller}}
            result["rules"] = dry_run(session, draft, event, context, actor=f"dry-run:{username}")
            for rule in result["rules"]:  # the same words as the firing log (supervision/rule_words.py)
                for action in rule.get("actions", []):
                    action["title"] = rule_words.action_words(str(action["type"]))
                    action["status_words"] = rule_words.status_words(str(action["status"]))
            raise _Discard
    except _Discard:
        pass
    return jsonify(result)


def recent_tickets() -> ResponseReturnValue:
    tenant_id, _ = _tenant()
    text = _search_text()
    with database().tenant(tenant_id) as session:
        query = select(Ticket).order_by(Ticket.id.desc()).limit(LIST_LIMIT)
        if text:
            query = query.where(Ticket.number.contains(text, autoescape=True))
        return jsonify(tickets=[_summary(session, t) for t in session.scalars(query)])


def recent_calls() -> ResponseReturnValue:
    tenant_id, _ = _tenant()
    with database().tenant(tenant_id) as session:
        zone = ticket_lists.tenant_zone(session)
        rows = session.scalars(select(CallRecord).where(CallRecord.direction == "inbound")
                               .order_by(CallRecord.id.desc()).limit(LIST_LIMIT))
        return jsonify(zone=zone.key, calls=[
            {"uuid": c.uuid, "caller": c.caller, "did": c.did, "queue": c.queue, "wait_seconds": c.wait_seconds,
             "at": c.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")} for c in rows])


#: The largest id a 32-bit integer column holds.
ID_MAX = 2**31 - 1


def firings() -> ResponseReturnValue:
    tenant_id, _ = _tenant()
    after = request.args.get("after", "0")
    if not after.isdigit() or len(after) > 18:
        raise BadRequest(f"after must be a firing id (digits), not {after[:20]!r}")
    with database().tenant(tenant_id) as session:
        zone = ticket_lists.tenant_zone(session)
        labels = rule_labels(session)
        # A rule's number is its place in its published document, from 1, as the editor numbers it.
        numbers: dict[tuple[str, str], int] = {}
        places: dict[str, int] = {}
        for rule in published_rules(session):
            places[rule.document] = places.get(rule.document, 0) + 1
            numbers.setdefault((rule.document, str(rule.body.get("name"))), places[rule.document])
        # Ids are 32-bit integers on PostgreSQL: a larger "after" is past every firing (it answered 500, out of
        # range, to schemathesis's after=3000000000), so it is clamped to the largest id, which nothing is above.
        rows = session.scalars(select(RuleFiring).where(RuleFiring.id > min(int(after), ID_MAX))
                               .order_by(RuleFiring.id.desc()).limit(FIRINGS_LIMIT))
        found = [{**firing_record(r), "at_local": r.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                  "ticket": r.ticket_number, "call": r.call_uuid, "rule_label": labels.get(r.rule, r.rule),
                  "rule_number": numbers.get((r.document, r.rule)),
                  "event_label": rule_words.event_words(r.event),
                  "action_labels": [rule_words.action_words(str(a.get("type"))) for a in
                                    firing_record(r)["actions"]]}
                 for r in rows]
        return jsonify(zone=zone.key, firings=found)


def blueprint() -> Blueprint:
    bp = Blueprint("dispatch_trial", __name__)
    bp.add_url_rule("/dispatch/trial", "trial", trial, methods=["POST"])
    bp.add_url_rule("/dispatch/trial/tickets", "tickets", recent_tickets, methods=["GET"])
    bp.add_url_rule("/dispatch/trial/calls", "calls", recent_calls, methods=["GET"])
    bp.add_url_rule("/dispatch/firings", "firings", firings, methods=["GET"])
    return bp

