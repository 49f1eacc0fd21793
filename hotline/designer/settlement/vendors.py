"""Vendors (partners and the self-operated site), their agents and contracts.

GET /settlement/ lists the vendors (a form adds one); GET /settlement/vendors/<id> shows one with its agents and
contracts; POST to the same paths saves. GET/POST /settlement/vendors/<id>/contracts/<cid|new> edits a
contract's terms as a form (contract_form.py), with a JSON import and export
(`?format=json`). A bad field is shown again (400) with every problem as a path and reason.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from ...platform.models import Membership, Queue, User, Vendor, VendorAgent, VendorContract
from ...platform.schedules.service import SCHEDULED_ROLES
from ...platform.settlement import records, terms
from ...platform.settlement.statements import vendor
from ...platform.settlement.terms import Problem
from ..i18n import current_locale, translate
from ..request_input import form_json
from . import contract_form
from .common import EDIT, READ, tenant_session, worded


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "index", index, methods=["GET"])
    bp.add_url_rule("/vendors", "create", create, methods=["POST"])
    bp.add_url_rule("/vendors/<int:vendor_id>", "vendor", detail, methods=["GET"])
    bp.add_url_rule("/vendors/<int:vendor_id>", "update", update, methods=["POST"])
    bp.add_url_rule("/vendors/<int:vendor_id>/agents", "agents", agents, methods=["POST"])
    bp.add_url_rule("/vendors/<int:vendor_id>/contracts/<which>", "contract", contract, methods=["GET"])
    bp.add_url_rule("/vendors/<int:vendor_id>/contracts/<which>", "contract_save", contract_save, methods=["POST"])


def _said(text: str) -> str:
    return translate(text, current_locale())


def _index_page(session: Any, problems: list[str] | None = None, form: dict[str, Any] | None = None) -> str:
    counts = dict(session.execute(select(VendorAgent.vendor_id, func.count()).where(VendorAgent.left_on.is_(None))
                                  .group_by(VendorAgent.vendor_id)).all())
    queues = _queues(session)
    labels = dict(queues)  # users read the queue's label, never its code
    rows = [{"id": v.id, "name": v.name, "title": v.title, "self_operated": v.self_operated, "active": v.active,
             "queues": ", ".join(labels.get(q, q) for q in v.queues or []), "agents": counts.get(v.id, 0)}
            for v in session.scalars(select(Vendor).order_by(Vendor.self_operated.desc(), Vendor.title))]
    return render_template("settlement/index.html", rows=rows, problems=problems or [], form=form or {},
                           queues=queues)


def _queues(session: Any) -> list[tuple[str, str]]:
    return [(n, label or n) for n, label in session.execute(select(Queue.name, Queue.label).order_by(Queue.name))]


def index() -> ResponseReturnValue:
    with tenant_session(READ) as (session, _who):
        return _index_page(session)


def create() -> ResponseReturnValue:
    form = request.form
    try:
        with tenant_session(EDIT) as (session, who):
            row = records.save_vendor(session, form.get("name", "").strip(), form.get("title", ""),
                                      form.get("self_operated") == "1", form.getlist("queues"), who.username)
            vendor_id = row.id
    except records.InvalidSettlementInput as exc:
        with tenant_session(EDIT) as (session, _who):
            return _index_page(session, worded(exc.problems), form.to_dict()), 400
    flash(_said("Vendor saved."))
    return redirect(url_for("settlement.vendor", vendor_id=vendor_id))


def _detail_page(session: Any, vendor_id: int, problems: list[str] | None = None) -> str:
    row = vendor(session, vendor_id)
    people = session.execute(select(VendorAgent, User.display_name, User.username)
                             .join(User, User.id == VendorAgent.user_id)
                             .where(VendorAgent.vendor_id == vendor_id)
                             .order_by(VendorAgent.left_on.is_not(None), User.display_name)).all()
    agents = [{"user_id": a.user_id, "name": display or username, "joined_on": a.joined_on.isoformat(),
               "left_on": a.left_on.isoformat() if a.left_on else ""} for a, display, username in people]
    choices = [(uid, display or username) for uid, display, username in session.execute(
        select(User.id, User.display_name, User.username).join(Membership, Membership.user_id == User.id)
        .where(Membership.role.in_(SCHEDULED_ROLES)).distinct().order_by(User.display_name))]
    contracts = list(session.scalars(select(VendorContract).where(VendorContract.vendor_id == vendor_id)
                                     .order_by(VendorContract.valid_from.desc())))
    return render_template("settlement/vendor.html", vendor=row, agents=agents, choices=choices,
                           contracts=contracts, queues=_queues(session), problems=problems or [])


def detail(vendor_id: int) -> ResponseReturnValue:
    with tenant_session(READ) as (session, _who):
        return _detail_page(session, vendor_id)


def update(vendor_id: int) -> ResponseReturnValue:
    form = request.form
    try:
        with tenant_session(EDIT) as (session, who):
            records.save_vendor(session, "", form.get("title", ""), form.get("self_operated") == "1",
                                form.getlist("queues"), who.username, vendor_id=vendor_id,
                                active=form.get("active") == "1")
    except records.InvalidSettlementInput as exc:
        with tenant_session(EDIT) as (session, _who):
            return _detail_page(session, vendor_id, worded(exc.problems)), 400
    flash(_said("Vendor saved."))
    return redirect(url_for("settlement.vendor", vendor_id=vendor_id))


def agents(vendor_id: int) -> ResponseReturnValue:
    form = request.form
    try:
        user_id = int(form.get("user_id", ""))
    except ValueError:
        user_id = 0
    try:
        with tenant_session(EDIT) as (session, who):
            records.assign_agent(session, vendor_id, user_id, form.get("joined_on", ""), form.get("left_on", ""),
                                 who.username)
    except records.InvalidSettlementInput as exc:
        with tenant_session(EDIT) as (session, _who):
            return _detail_page(session, vendor_id, worded(exc.problems)), 400
    flash(_said("Agent saved."))
    return redirect(url_for("settlement.vendor", vendor_id=vendor_id))


def _contract_row(session: Any, vendor_id: int, which: str) -> VendorContract | None:
    if which == "new":
        return None
    if not which.isdigit():
        raise NotFound()
    row = session.get(VendorContract, int(which))
    if row is None or row.vendor_id != vendor_id:
        raise NotFound()
    return row


def _contract_page(session: Any, vendor_id: int, which: str, values: dict[str, str], body: Any,
                   problems: list[str]) -> str:
    return render_template("settlement/contract.html", vendor=vendor(session, vendor_id), which=which, values=values,
                           fields=contract_form.fields_of(body), seat_types=terms.BILLED_TYPES,
                           errors=contract_form.errors_by_path(problems), problems=worded(problems))


def contract(vendor_id: int, which: str) -> ResponseReturnValue:
    with tenant_session(READ) as (session, _who):
        row = _contract_row(session, vendor_id, which)
        body = row.terms if row else terms.EXAMPLE
        if request.args.get("format") == "json":  # the export: the terms as the JSON import reads them
            response = jsonify(body)
            response.headers["Content-Disposition"] = f"attachment; filename=contract-{which}.json"
            return response
        values = {"title": row.title if row else "", "valid_from": row.valid_from.strftime("%Y-%m") if row else "",
                  "valid_to": row.valid_to.strftime("%Y-%m") if row and row.valid_to else "",
                  "terms": json.dumps(body, ensure_ascii=False, indent=2)}
        return _contract_page(session, vendor_id, which, values, body, [])


def contract_save(vendor_id: int, which: str) -> ResponseReturnValue:
    """Saves from the form's fields, or from the JSON import (a post with `terms` and no `source=form`)."""
    form = request.form
    values = {k: form.get(k, "") for k in ("title", "valid_from", "valid_to", "terms")}
    problems: list[str] = []
    body: Any = None
    if form.get("source") == "form":
        body, found = contract_form.terms_from(form)
        problems += found
        try:  # terms the form does not draw are kept from the page's JSON (and named if unknown), not dropped
            shown = form_json(values["terms"]) if values["terms"].strip() else {}
        except ValueError:
            shown = {}
        if isinstance(shown, dict):
            body.update({key: value for key, value in shown.items() if key not in contract_form.FORM_KEYS})
        values["terms"] = json.dumps(body, ensure_ascii=False, indent=2)
    else:
        try:
            body = form_json(values["terms"])
        except ValueError as exc:
            problems.append(Problem("/terms", "not JSON ({reason})", reason=str(exc)))
    if not problems:
        try:
            with tenant_session(EDIT) as (session, who):
                current = _contract_row(session, vendor_id, which)
                records.save_contract(session, vendor_id, values["title"], values["valid_from"], values["valid_to"],
                                      body, who.username, contract_id=current.id if current else None)
        except records.InvalidSettlementInput as exc:
            problems = list(exc.problems)
        else:
            flash(_said("Contract saved."))
            return redirect(url_for("settlement.vendor", vendor_id=vendor_id))
    with tenant_session(EDIT) as (session, _who):  # shown again with what was typed: nothing is lost
        return _contract_page(session, vendor_id, which, values, body, problems), 400
