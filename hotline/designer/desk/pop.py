"""Screen pop: the caller's record by calling number, and "add customer" for an unknown caller.

`/desk/pop?phone=…&call=…` is the page (the workspace loads it with `partial=1` into its pop panel when a
call is bridged); `/desk/api/pop` answers the same as JSON. The call's IVR path and variables come from the
runtime's live context while the call lasts, from the call record afterwards — and only for a call of the
current tenant.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ...platform.services import customers as customer_service
from ...platform.services import ticket_desk
from ...platform.services.errors import Duplicate, InvalidDocument
from ...runtime.flow.entered import entered
from ..auth import Principal
from ..form_base import LocalizedPlainForm
from ..i18n import current_locale
from .acd_bridge import desk_acd
from .common import local_time, require_desk, tenant_id, tenant_session, timezone_of

#: The most characters of the add-customer form's phones (one number a line): room for a few dozen numbers.
MAX_PHONES_TEXT = 500


class CustomerForm(LocalizedPlainForm):
    """The "add customer" form of an unknown caller (CSRF is checked app-wide by Flask-WTF)."""

    name = StringField("Name", validators=[DataRequired(), Length(max=customer_service.MAX_NAME)])
    # bounded like the other fields (it was the one unbounded input of the form): a few numbers, one a line
    phones = TextAreaField("Phones (one per line)", validators=[DataRequired(), Length(max=MAX_PHONES_TEXT)])
    address = TextAreaField("Address", validators=[Length(max=1000)])
    vip = BooleanField("VIP")
    monthly_settlement = BooleanField("Monthly settlement")
    note = TextAreaField("Note", validators=[Length(max=2000)])
    call = HiddenField()


def call_entered(session: Session, record: Any) -> list[dict[str, Any]]:
    """What the caller entered during a finished call, labelled by its IVR (runtime/flow/entered.py): the
    variables' defaults and values from earlier tickets are nothing this call produced (QA of issue 11, item 4)."""
    body = ticket_desk.ivr_body(session, record.ivr_document, record.ivr_version)
    return entered(body, (record.trace or {}).get("steps", []))


def call_info(session: Session, who: Principal, call_uuid: str | None) -> dict[str, Any] | None:
    """The call's caller, IVR path and variables: live context (this tenant's only), else the call record."""
    if not call_uuid:
        return None
    context = desk_acd().call_context(call_uuid)
    found: dict[str, Any] | None = None
    if context is not None and context.get("tenant_id") == tenant_id(who):
        found = {"uuid": call_uuid, "live": True, **context}
    else:
        record = ticket_desk.call_by_uuid(session, call_uuid)
        if record is not None:
            found = {"live": False, **ticket_desk.call_summary(record),
                     "entered": call_entered(session, record)}
    if found is not None:  # node labels, not node ids (issue 11 QA, item 3)
        found["path"] = ticket_desk.path_labels(session, found.get("ivr"), found.get("ivr_version"),
                                                found.get("path") or [])
    return found


def pop_data(session: Session, who: Principal, phone: str, call_uuid: str | None,
             customer_id: int | None = None) -> dict[str, Any]:
    pop = ticket_desk.screen_pop(session, phone, current_locale())
    if customer_id is not None:  # the agent chose one of several matches
        pop["customers"] = [c for c in pop["customers"] if c["id"] == customer_id] or pop["customers"]
    pop["call"] = call_info(session, who, call_uuid)
    pop["call_tickets"] = ticket_desk.tickets_of_call(session, call_uuid, current_locale()) if call_uuid else []
    pop["forms"] = ticket_desk.published_forms(session)
    zone = timezone_of(session, tenant_id(who))
    for row in [*pop["history"], *pop["call_tickets"], *(t for c in pop["customers"] for t in c["history"])]:
        row["created_local"] = local_time(datetime.fromisoformat(row["created_at"]), zone)[:16]
    return pop


def _render(pop: dict[str, Any], form: CustomerForm | None, status: int = 200) -> ResponseReturnValue:
    partial = request.values.get("partial") == "1"
    template = "desk/pop_panel.html" if partial else "desk/pop.html"
    return render_template(template, pop=pop, customer_form=form), status


def _int_arg(name: str) -> int | None:
    raw = request.values.get(name, "")
    return int(raw) if raw.isdigit() else None


def register(bp: Blueprint) -> None:
    @bp.get("/pop")
    def pop() -> ResponseReturnValue:
        who = require_desk()
        phone = request.args.get("phone", "")
        call_uuid = request.args.get("call") or None
        with tenant_session(who) as session:
            data = pop_data(session, who, phone, call_uuid, _int_arg("customer"))
            if not phone and data["call"] and data["call"].get("caller"):
                data = pop_data(session, who, data["call"]["caller"], call_uuid, _int_arg("customer"))
        form = None
        if not data["customers"]:
            form = CustomerForm(data={"phones": data["number"] or phone, "call": call_uuid or ""})
        return _render(data, form)

    @bp.get("/api/pop")
    def pop_json() -> ResponseReturnValue:
        who = require_desk()
        with tenant_session(who) as session:
            data = pop_data(session, who, request.args.get("phone", ""), request.args.get("call") or None,
                            _int_arg("customer"))
        return jsonify(data)

    @bp.post("/customers")
    def add_customer() -> ResponseReturnValue:
        who = require_desk()
        form = CustomerForm(request.form)
        phones = [line.strip() for line in (form.phones.data or "").splitlines() if line.strip()]
        call_uuid = form.call.data or None
        if form.validate():
            try:
                with tenant_session(who) as session:
                    flags = ["monthly_settlement"] if form.monthly_settlement.data else []
                    customer = customer_service.create(
                        session, form.name.data or "", phones, address=form.address.data or "",
                        vip=bool(form.vip.data), flags=flags, note=form.note.data or "", actor=who.username)
                    customer_id = customer.id
                return redirect(url_for("desk.pop", phone=phones[0], call=call_uuid, customer=customer_id,
                                        partial=request.form.get("partial") or None))
            except InvalidDocument as exc:
                for finding in exc.findings:
                    target = form.name if finding.pointer.startswith("/name") else form.phones
                    target.errors = [*target.errors, finding.message]
            except Duplicate as exc:
                form.phones.errors = [*form.phones.errors, str(exc)]
        with tenant_session(who) as session:
            data = pop_data(session, who, phones[0] if phones else "", call_uuid)
        data["customers"] = []  # the form stays open with what was typed
        return _render(data, form, 422)
