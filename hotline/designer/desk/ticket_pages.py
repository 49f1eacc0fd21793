"""Tickets from the desk: create from a published form, edit, move along the form's transitions.

Every write names the revision the agent started from; a stale one is refused (409) and the page comes
back with what the agent typed next to the current values, never silently overwriting a colleague. An
invalid submission (422) shows each field's reason and keeps the input. Another tenant's ticket number is
404, as if it did not exist.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform.models import Customer, Membership, Ticket, User
from ...platform.services import customers as customer_service
from ...platform.services import response, self_service, ticket_desk, tickets, urging
from ...platform.services.documents import DocumentService
from ...platform.services.errors import Conflict, InvalidDocument
from ...platform.ticket_form_fields import options
from ...platform.ticket_forms import TicketForm, data_changes, field_specs, form_class
from ...platform.words import priority_label, yes_no
from ..auth import Principal, database
from ..campaigns.messages import result_words
from ..form_base import LocalizedTicketForm
from ..i18n import current_locale, translate
from ..redis_access import job_queues
from . import history_text
from .common import local_time, require_desk, tenant_id, tenant_session, timezone_of
from .form_render import field_values, render_fields
from .pop import call_info

#: Fields prefilled from the caller's customer record when a form has them (the property template's owner_name,
#: 业主姓名, was left empty: issue 11 QA, item 5). By name only: a title like 收件人姓名 is someone else.
NAME_FIELDS = ("customer_name", "sender_name", "owner_name", "contact_name", "caller_name", "name", "contact")
PHONE_FIELDS = ("phone", "caller", "contact_phone")


def _form_for(who: Principal, name: str, version: int, body: dict[str, Any]) -> type[TicketForm]:
    """The cached class of a published form version (keyed by database too: tests run several in a process)."""
    return form_class(body, (database().url, tenant_id(who), name, version), base=LocalizedTicketForm)


def _apply_findings(form: TicketForm, exc: InvalidDocument) -> None:
    """Service findings ("/field", "/status") onto the form's fields, the rest form-wide."""
    for finding in exc.findings:
        name = finding.pointer.lstrip("/").split("/")[0]
        if name in form.field_names:
            form[name].errors = [*form[name].errors, finding.message]
        else:
            form.form_errors_json = [*form.form_errors_json, finding.message]


def prefill(session: Session, body: dict[str, Any], customer: Customer | None, phone: str,
            call: dict[str, Any] | None) -> dict[str, Any]:
    """Initial values: the customer's name, number and address, and IVR variables named like a field."""
    names = {spec.name for spec in field_specs(body)}
    data: dict[str, Any] = {}
    variables = (call or {}).get("variables") or {}
    for name, value in variables.items():
        if name in names and value not in (None, ""):
            data[name] = value
    number = phone or (customer.phones[0].phone if customer is not None and customer.phones else "")
    for name in PHONE_FIELDS:
        if name in names and number:
            data.setdefault(name, number)
    if customer is not None:
        for name in NAME_FIELDS:
            if name in names:
                data.setdefault(name, customer.name)
        if "address" in names and customer.address:
            data.setdefault("address", customer.address)
    return data


def _customer(session: Session, raw: str | None) -> Customer | None:
    if not raw:
        return None
    if not raw.isdigit():
        abort(404)
    return customer_service.get(session, int(raw))  # NotFound (another tenant's) → 404


#: The longest note a response or a status move keeps; the page's inputs carry it as maxlength with a counter
#: (desk/counter.py) so the agent sees the limit instead of the note being cut.
NOTE_LIMITS = {"response": 500, "transition": 1000}


def _ticket_page(session: Session, who: Principal, ticket: Ticket, form: TicketForm | None = None,
                 message: str | None = None, current: dict[str, Any] | None = None,
                 status: int = 200) -> ResponseReturnValue:
    body = tickets.form_of(session, ticket)
    zone = timezone_of(session, tenant_id(who))
    if form is None:
        form = _form_for(who, ticket.form_name, ticket.form_version, body)(data=ticket.data or {}, timezone=zone)
    statuses = {s["name"]: s for s in body["statuses"]}
    transitions = [{"to": t["to"], "label": t.get("label") or statuses.get(t["to"], {}).get("label", t["to"]),
                    "color": statuses.get(t["to"], {}).get("color", "#757575")}
                   for t in body.get("transitions", []) if t["from"] == ticket.status]
    bodies = ticket_desk.FormBodies(session)
    titles = {spec.name: str(spec.schema.get("title", spec.name)) for spec in field_specs(body)}
    history = history_rows(tickets.history(session, ticket.number), titles, statuses, zone,
                           names=_people(session), rule_labels=_rule_labels(session), choices=choice_labels(body))
    responses = [{"name": name, "label": label} for name, label in response.actions(body).items()]
    customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    calls = ticket_desk.calls_of(session, ticket)
    return render_template(
        "desk/ticket.html", ticket=ticket, form_title=body.get("title", ticket.form_name),
        status=bodies.status(ticket), transitions=transitions, fields_html=render_fields(form),
        history=history, customer=customer, calls=calls, message=message,
        current=field_values(body, current, current_locale()) if current is not None else None, sla=_sla(ticket, zone),
        created_at=local_time(ticket.created_at, zone), responses=responses,
        created_by=_created_by(ticket.created_by, session), urged_message=URGED, note_limits=NOTE_LIMITS,
    ), status


def _shown(value: Any, zone: str, statuses: dict[str, Any] | None = None) -> str:
    if value is None or value == "":
        return "—"
    if statuses is not None and value in statuses:
        return str(statuses[value]["label"])
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return local_time(datetime.fromisoformat(value), zone)
        except ValueError:
            return value
    if isinstance(value, bool):  # a yes/no field changed in the history: 是/否, never True/False
        return yes_no(value, current_locale())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


#: The note a dispatch rule leaves on a move: "dispatch rule <name>" and, after a colon, why.
RULE_NOTE = re.compile(r"^dispatch rule ([A-Za-z0-9_]+)(?::\s*(.*))?$", re.S)
#: Ticket attributes that appear in history entries besides the form's fields (keys of desk/strings.py).
HISTORY_FIELDS = {"status": "Status", "first_responded_at": "First responded", "resolved_at": "Resolved",
                  "note": "Note", "assignee_id": "Assignee", "group": "Group", "phone": "Phone",
                  "priority": "Priority"}


def _created_by(actor: str | None, session: Session) -> str:
    """The ticket's creator in words: a person's name, or "IVR 自助" for an IVR call's ticket."""
    shown, system = history_text.actor_label(actor, _people(session))
    return translate(shown, current_locale()) if system else shown


#: History actions whose changes are the ticket's fields as [old, new] (the others: history_text.summary).
FIELD_ACTIONS = frozenset({"create", "update", "transition", "assign", "callback_due"})


def _people(session: Session) -> dict[str, str]:
    """username → display name of the tenant's people (history says 张丽, not agent007)."""
    rows = session.execute(select(User.username, User.display_name).join(Membership, Membership.user_id == User.id)
                           .distinct()).all()
    return {username: display or username for username, display in rows}


def _rule_labels(session: Session) -> dict[str, str]:
    """Dispatch rule name → its label, over the tenant's published dispatch documents."""
    from ...platform.dispatch.engine import published_rules

    return {str(r.body.get("name")): str(r.body.get("label") or r.body.get("name"))
            for r in published_rules(session) if r.body.get("name")}


def choice_labels(body: dict[str, Any]) -> dict[str, dict[Any, str]]:
    """Choice fields of a form (one value or several) → {code: label}: a history line shows 月结, not monthly."""
    found = {}
    for spec in field_specs(body):
        choices = dict(options(spec.schema) or options(spec.schema.get("items") or {}))
        if choices:
            found[spec.name] = choices
    return found


def _field_value(value: Any, zone: str, statuses: dict[str, Any] | None, choices: dict[Any, str] | None,
                 name: str = "") -> str:
    if name == "priority" and value is not None:  # 紧急（9）, not 9 (words.priority_label)
        return priority_label(value, current_locale())
    if choices and isinstance(value, list):
        return "、".join(str(choices.get(v, v)) for v in value) or "—"
    if choices and isinstance(value, str | int | bool) and value in choices:
        return choices[value]
    return _shown(value, zone, statuses)


def rule_note(note: str, rule_labels: dict[str, str], tr: Any) -> str:
    """A note a rule wrote ("dispatch rule pickup_assign_courier: 地址…") with the rule's label, in words."""
    match = RULE_NOTE.match(note)
    if match is None or match.group(1) not in rule_labels:
        return note
    words = tr("Dispatch rule “%(rule)s”") % {"rule": rule_labels[match.group(1)]}
    return f"{words}：{match.group(2)}" if match.group(2) else words


def history_rows(entries: list[Any], titles: dict[str, str], statuses: dict[str, Any],
                 zone: str, *, names: dict[str, str] | None = None,
                 rule_labels: dict[str, str] | None = None,
                 choices: dict[str, dict[Any, str]] | None = None) -> list[dict[str, Any]]:
    """History for the page: who, when (tenant time), what, and each change as (label, old, new) in words
    (labels, never codes: history_text.py; choice values by their option labels, a rule's note by the rule's
    label: QA of issue 11, item 4)."""
    locale = current_locale()
    choices = choices or {}

    def tr(text: str) -> str:
        return translate(text, locale)

    rows = []
    for entry in entries:
        changes: list[tuple[str, str | None, str]] = []
        actor, system = history_text.actor_label(entry.actor, names or {})
        base = {"at": entry.at.isoformat(), "at_local": local_time(entry.at, zone), "actor": tr(actor) if system
                else actor, "action": entry.action, "action_label": tr(history_text.action_label(entry.action))}
        if entry.action not in FIELD_ACTIONS:
            recorded = dict(entry.changes or {})
            if isinstance(recorded.get("result"), str) and recorded["result"]:  # a call task's result: the
                recorded["result"] = result_words(recorded["result"], locale)  # the system's reason worded (13c #3)
            changes = [(tr(label), old, new) for label, old, new in history_text.summary(
                recorded, lambda v: _shown(v, zone), rule_labels or {}, tr)]
            rows.append({**base, "changes": changes})
            continue
        for name, change in sorted((entry.changes or {}).items()):
            label = titles.get(name) or HISTORY_FIELDS.get(name, name)
            names_status = statuses if name == "status" else None
            options_of = choices.get(name)
            if name == "note" and isinstance(change, str):
                changes.append((label, None, rule_note(change, rule_labels or {}, tr)))
            elif isinstance(change, list) and len(change) == 2:
                changes.append((label, _field_value(change[0], zone, names_status, options_of, name),
                                _field_value(change[1], zone, names_status, options_of, name)))
            else:
                changes.append((label, None, _field_value(change, zone, names_status, options_of)))
        rows.append({**base, "changes": [(tr(label), old, new) for label, old, new in changes]})
    return rows


def _sla(ticket: Ticket, zone: str) -> list[dict[str, Any]]:
    rows = []
    for label, due, met in (("First response due", ticket.first_response_due, ticket.first_responded_at),
                            ("Resolution due", ticket.resolution_due, ticket.resolved_at)):
        if due is not None:
            rows.append({"label": label, "due": due.isoformat(), "due_local": local_time(due, zone),
                         "met": local_time(met, zone) if met else None, "met_in_time": met is not None and met <= due})
    return rows


def register(bp: Blueprint) -> None:
    @bp.route("/tickets/new/<form_name>", methods=["GET", "POST"])
    def new_ticket(form_name: str) -> ResponseReturnValue:
        who = require_desk()
        values = request.values
        call_uuid = values.get("call") or None
        phone = values.get("phone", "")
        with tenant_session(who) as session:
            version = DocumentService(session, who.username).published("form", form_name)  # NotFound → 404
            customer = _customer(session, values.get("customer"))
            zone = timezone_of(session, tenant_id(who))
            cls = _form_for(who, form_name, version.number, version.body)
            status = 200
            if request.method == "POST":
                form = cls(request.form, timezone=zone)
                if form.validate_document():
                    open_one = _open_ticket_to_urge(session, version.body, form_name, form.to_data())
                    if open_one is not None:  # the caller's second 催件 for a waybill: an urge, not a ticket
                        urging.urge(session, open_one.number, actor=who.username, note="座席再次登记催件",
                                    queue=job_queues().notifications)
                        if call_uuid:
                            ticket_desk.link_call(session, open_one, call_uuid)
                        return redirect(url_for("desk.ticket_page", number=open_one.number, urged=1), 303)
                    try:
                        ticket = tickets.create(session, form_name, form.to_data(), who.username,
                                                customer_id=customer.id if customer else None)
                        if call_uuid:
                            ticket_desk.link_call(session, ticket, call_uuid)
                        number = ticket.number
                    except InvalidDocument as exc:  # published anew in between, say
                        _apply_findings(form, exc)
                    else:
                        return redirect(url_for("desk.ticket_page", number=number, created=1), 303)
                status = 422
            else:
                call = call_info(session, who, call_uuid)
                form = cls(data=prefill(session, version.body, customer, phone, call), timezone=zone)
            return render_template("desk/ticket_new.html", form_name=form_name,
                                   form_title=version.body.get("title", form_name), fields_html=render_fields(form),
                                   customer=customer, call_uuid=call_uuid, phone=phone,
                                   has_errors=status == 422), status

    @bp.get("/tickets/<number>")
    def ticket_page(number: str) -> ResponseReturnValue:
        who = require_desk()
        with tenant_session(who) as session:
            ticket = tickets.get(session, number)
            message = ("Ticket created" if request.args.get("created")
                       else "Saved" if request.args.get("saved")
                       else URGED if request.args.get("urged") else None)
            return _ticket_page(session, who, ticket, message=message)

    @bp.post("/tickets/<number>")
    def edit_ticket(number: str) -> ResponseReturnValue:
        who = require_desk()
        revision = _revision()
        with tenant_session(who) as session:
            ticket = tickets.get(session, number)
            body = tickets.form_of(session, ticket)
            form = _form_for(who, ticket.form_name, ticket.form_version, body)(
                request.form, timezone=timezone_of(session, tenant_id(who)))
            if not form.validate_document():
                return _ticket_page(session, who, ticket, form,
                                    "The form has errors; nothing was saved. Your input is kept below.", status=422)
            old = dict(ticket.data or {})
            try:
                tickets.update(session, number, data_changes(old, form.to_data(), form.field_names),
                               base_revision=revision, actor=who.username)
            except Conflict:
                return _conflict(session, who, number, form)
            except InvalidDocument as exc:
                _apply_findings(form, exc)
                return _ticket_page(session, who, ticket, form,
                                    "The form has errors; nothing was saved. Your input is kept below.", status=422)
        return redirect(url_for("desk.ticket_page", number=number, saved=1), 303)

    @bp.post("/tickets/<number>/transition")
    def transition(number: str) -> ResponseReturnValue:
        who = require_desk()
        revision = _revision()
        target = request.form.get("to", "")
        note = (request.form.get("note") or "").strip()[:NOTE_LIMITS["transition"]]
        with tenant_session(who) as session:
            ticket = tickets.get(session, number)
            try:
                tickets.transition(session, number, target, base_revision=revision, actor=who.username, note=note)
            except Conflict:
                return _conflict(session, who, number, None)
            except InvalidDocument as exc:
                return _ticket_page(session, who, ticket, message="; ".join(f.message for f in exc.findings),
                                    status=422)
        return redirect(url_for("desk.ticket_page", number=number), 303)

    @bp.post("/tickets/<number>/respond")
    def respond(number: str) -> ResponseReturnValue:
        """A response action of the form (接单, 已电话联系, 已上门): the response clock stops when a person acted."""
        who = require_desk()
        revision = _revision()
        action = request.form.get("action", "")
        note = (request.form.get("note") or "").strip()[:NOTE_LIMITS["response"]]
        with tenant_session(who) as session:
            ticket = tickets.get(session, number)
            try:
                tickets.record_response(session, number, action, base_revision=revision, actor=who.username,
                                        note=note)
            except Conflict:
                return _conflict(session, who, number, None)
            except InvalidDocument as exc:
                return _ticket_page(session, who, ticket, message="; ".join(f.message for f in exc.findings),
                                    status=422)
        return redirect(url_for("desk.ticket_page", number=number, saved=1), 303)


URGED = "This waybill already has an open ticket: it was urged instead of opening another."


def _open_ticket_to_urge(session: Session, body: dict[str, Any], form_name: str,
                         data: dict[str, Any]) -> Ticket | None:
    """The open ticket a new one of a form with `urge_open` would duplicate (same waybill), if any."""
    field = body.get("urge_open")
    if not field or not data.get(field):
        return None
    return self_service.open_ticket_by(session, form_name, field, str(data[field]))


def _revision() -> int:
    raw = request.form.get("revision", "")
    if not raw.isdigit():
        abort(400, "the form lost its revision; reload the ticket")
    return int(raw)


def _conflict(session: Session, who: Principal, number: str, form: TicketForm | None) -> ResponseReturnValue:
    """409: the agent's input stays (with the current revision, so saving again applies it on purpose)."""
    ticket = tickets.get(session, number)  # refreshed by the refused save: the current values
    return _ticket_page(session, who, ticket, form,
                        "Someone else changed this ticket meanwhile; nothing was saved. Your input is kept below, "
                        "next to the current values; save again to apply it.",
                        current=dict(ticket.data or {}), status=409)
