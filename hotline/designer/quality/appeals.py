"""A score's page, the agent's appeal and QA's resolution of it.

GET /quality/evaluations/<id> (the reviewer's items and remarks — each remark's time seeks the player — and the
appeal and resolve forms), POST /quality/evaluations/<id>/appeal (the agent: the items disputed, a proposed score
each, a reason), GET /quality/appeals (open appeals), POST /quality/evaluations/<id>/resolve (QA: a note, and the
score amended in fields or standing). A refused appeal or resolution comes back as the score's page with the
problems in the reader's words — items by their labels — and everything typed kept (422, task 15a item 3).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import Evaluation
from ...platform.services import quality, recordings
from ...platform.services.ticket_lists import tenant_zone
from ..i18n import current_locale, translate
from ..request_input import form_json
from .common import LISTEN, OWN, SCORE, store, tenant_session
from .evaluations import evaluation_row
from .problems import worded
from .recordings import may_listen
from .views import local, names


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/evaluations/<int:evaluation_id>", "evaluation", evaluation_page, methods=["GET"])
    bp.add_url_rule("/evaluations/<int:evaluation_id>/appeal", "appeal", appeal_form, methods=["POST"])
    bp.add_url_rule("/appeals", "appeals", appeals, methods=["GET"])
    bp.add_url_rule("/evaluations/<int:evaluation_id>/resolve", "resolve", resolve_form, methods=["POST"])


def evaluation_page(evaluation_id: int) -> ResponseReturnValue:
    return _evaluation_view(evaluation_id)


def _evaluation_view(evaluation_id: int, typed: dict[str, Any] | None = None,
                     problems: list[str] | None = None) -> ResponseReturnValue:
    """The score's page; after a refused appeal or resolution, with what was typed (`typed`: "form" appeal or
    resolve, "items" ticked, "answers" proposed, "text" reason or note, "amend") and the problems, status 422."""
    with tenant_session(OWN) as (session, who):
        zone = tenant_zone(session)
        ev = quality.evaluation(session, evaluation_id)
        if not who.may(LISTEN) and ev.agent_id != who.user_id:
            abort(404, f"evaluation {evaluation_id} not found")
        agents = names(session, [ev.agent_id])
        call = recordings.call_record(session, ev.call_uuid)
        state = "none" if not call.recording else (
            "ok" if store().exists(call.recording) else "missing")
        shown = worded(problems, ev.sheet, current_locale()) if problems else []
        return render_template("quality/evaluation.html", ev=ev, row=evaluation_row(ev, zone, agents),
                               items_of=quality.items, may_score=who.may(SCORE), own=ev.agent_id == who.user_id,
                               item_labels={item["key"]: item["label"] for item in quality.items(ev.sheet)},
                               listen=state == "ok" and may_listen(who, call), state=state,
                               seconds=call.recording_seconds, typed=typed or {}, problems=shown,
                               appealed_at=local(ev.appealed_at, zone), resolved_at=local(ev.resolved_at, zone)
                               ), 422 if problems else 200


def _item_answers(sheet: dict[str, Any], chosen: set[str] | None) -> dict[str, Any]:
    """Per-item fields of a form (`p-<key>` points, `f-<key>` fatal item failed) as answers; only the `chosen`
    items when given (an appeal's ticked items). A points field that is not a number is kept as typed, so that the
    check names it."""
    answers: dict[str, Any] = {}
    for item in quality.items(sheet):
        key = item["key"]
        if chosen is not None and key not in chosen:
            continue
        if item.get("fatal"):
            answers[key] = {"failed": request.form.get(f"f-{key}") == "1"}
        else:
            text = request.form.get(f"p-{key}", "").strip()
            try:
                answers[key] = {"points": float(text) if "." in text else int(text)}
            except ValueError:
                answers[key] = {"points": text}
    return answers


def appeal_form(evaluation_id: int) -> ResponseReturnValue:
    reason = request.form.get("reason", "")
    chosen = set(request.form.getlist("item"))
    typed: dict[str, Any] = {"form": "appeal", "items": chosen, "text": reason}
    try:
        with tenant_session(OWN) as (session, who):
            ev = quality.evaluation(session, evaluation_id)
            typed["answers"] = _item_answers(ev.sheet, None)  # every field as typed, ticked or not
            proposed = {key: typed["answers"][key] for key in typed["answers"] if key in chosen} if chosen else None
            quality.appeal(session, who.user_id, who.username, evaluation_id, reason, datetime.now(UTC), proposed)
    except quality.InvalidQuality as exc:
        return _evaluation_view(evaluation_id, typed, exc.problems)
    flash(translate("Appeal sent.", current_locale()))
    return redirect(url_for("quality.evaluation", evaluation_id=evaluation_id))


def appeals() -> ResponseReturnValue:
    with tenant_session(SCORE) as (session, _who):
        zone = tenant_zone(session)
        evs = session.scalars(select(Evaluation).where(Evaluation.appeal_status == "open")
                              .order_by(Evaluation.appealed_at).limit(500)).all()
        agents = names(session, (e.agent_id for e in evs))
        rows = [{**evaluation_row(e, zone, agents), "reason": e.appeal_reason} for e in evs]
        return render_template("quality/appeals.html", rows=rows)


def resolve_form(evaluation_id: int) -> ResponseReturnValue:
    note = request.form.get("note", "")
    amend = request.form.get("amend") == "1"
    typed: dict[str, Any] = {"form": "resolve", "text": note, "amend": amend}
    raw = request.form.get("answers", "").strip()
    answers = None
    try:
        if raw:  # the amended answers as JSON, as the form took them before its fields
            try:
                answers = form_json(raw)
            except ValueError as exc:
                raise quality.InvalidQuality("resolution", [quality.Problem("/answers", "not JSON (%(why)s)",
                                                                            why=str(exc))]) from None
        with tenant_session(SCORE) as (session, who):
            typed["answers"] = _item_answers(quality.evaluation(session, evaluation_id).sheet, None)
            if answers is None and amend:
                answers = typed["answers"]
            quality.resolve(session, who.username, evaluation_id, note, datetime.now(UTC), answers)
    except quality.InvalidQuality as exc:
        return _evaluation_view(evaluation_id, typed, exc.problems)
    flash(translate("Appeal resolved.", current_locale()))
    return redirect(url_for("quality.evaluation", evaluation_id=evaluation_id))
