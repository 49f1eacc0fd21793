"""Picking calls, scoring them, appeals and calibration.

Pages: GET /quality/ (sample per agent per week with a seed, or filters), GET /quality/calls/<uuid> (player,
score form, the call's scores), POST /quality/calls/<uuid>/score, GET /quality/evaluations/<id>,
GET /quality/mine (an agent's scores) and POST /quality/evaluations/<id>/appeal, GET /quality/appeals and
POST /quality/evaluations/<id>/resolve, POST /quality/calibrations and GET /quality/calibrations/<id>.
JSON: POST /quality/api/calls/<uuid>/evaluations {"sheet", "answers", "remarks", "calibration"?}.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import Evaluation, ScoreSheet
from ...platform.services import qa_sampling, quality, recordings
from ...platform.services.errors import ServiceError
from ...platform.services.ticket_lists import tenant_zone
from ..i18n import current_locale, translate
from ..request_input import form_json
from .common import LISTEN, OWN, SCORE, int_arg, queue_labels, store, tenant_session
from .recordings import may_listen
from .views import day_arg, float_arg, local, names


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "index", index, methods=["GET"])
    bp.add_url_rule("/calls/<uuid>", "call", call_page, methods=["GET"])
    bp.add_url_rule("/calls/<uuid>/score", "score", score_form, methods=["POST"])
    bp.add_url_rule("/api/calls/<uuid>/evaluations", "api_score", score_api, methods=["POST"])
    bp.add_url_rule("/evaluations/<int:evaluation_id>", "evaluation", evaluation_page, methods=["GET"])
    bp.add_url_rule("/mine", "mine", mine, methods=["GET"])
    bp.add_url_rule("/evaluations/<int:evaluation_id>/appeal", "appeal", appeal_form, methods=["POST"])
    bp.add_url_rule("/appeals", "appeals", appeals, methods=["GET"])
    bp.add_url_rule("/evaluations/<int:evaluation_id>/resolve", "resolve", resolve_form, methods=["POST"])
    bp.add_url_rule("/calibrations", "calibrate", calibration_form, methods=["POST"])
    bp.add_url_rule("/calibrations/<int:calibration_id>", "calibration", calibration_page, methods=["GET"])


def _call_rows(session: Any, calls: list[Any], zone: Any) -> list[dict[str, Any]]:
    agents = names(session, (c.agent_id for c in calls))
    queues = queue_labels(session)
    return [{"uuid": c.uuid, "started": local(c.started_at, zone), "agent": agents.get(c.agent_id, ""),
             "queue": queues.get(c.queue or "", c.queue or ""), "talk": round(c.talk_seconds or 0),
             "survey": qa_sampling.survey_score(c),
             "seconds": c.recording_seconds} for c in calls]


def index() -> ResponseReturnValue:
    with tenant_session(LISTEN) as (session, _who):
        zone = tenant_zone(session)
        today = datetime.now(UTC).astimezone(zone).date()
        mode = request.args.get("mode", "sample")
        week = day_arg("week", today - timedelta(days=7))
        seed = request.args.get("seed", "qa")[:64]
        per_agent = int_arg("per_agent", 3, 1, qa_sampling.MAX_PER_AGENT)
        start, end = day_arg("start", today - timedelta(days=7)), day_arg("end", today)
        min_talk = float_arg("min_talk", 0, 86400)
        max_survey = float_arg("max_survey", 0, 10)
        complaints = request.args.get("complaints") == "1"
        recordings_store = store()

        def playable(ref: str) -> bool:  # a missing file is not offered for scoring (QA of issue 15, item 15)
            return recordings_store.exists(ref)

        if mode == "filter":
            calls = qa_sampling.find(session, datetime.combine(start, time(), zone).astimezone(UTC),
                                     datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC),
                                     min_talk_seconds=min_talk,
                                     max_survey=int(max_survey) if max_survey is not None else None,
                                     complaints=complaints, playable=playable)
        else:
            calls = qa_sampling.sample(session, week, zone, per_agent, seed, playable)
        rows = _call_rows(session, calls, zone)
        return render_template("quality/index.html", rows=rows, mode=mode, week=week.isoformat(), seed=seed,
                               per_agent=per_agent, start=start.isoformat(), end=end.isoformat(),
                               min_talk=min_talk, max_survey=max_survey, complaints=complaints)


def _evaluation_row(ev: Evaluation, zone: Any, agents: dict[int, str]) -> dict[str, Any]:
    return {"id": ev.id, "call": ev.call_uuid, "reviewer": ev.reviewer, "sheet": ev.sheet.get("title", ev.sheet_name),
            "total": ev.total, "fatal": ev.fatal, "at": local(ev.created_at, zone),
            "agent": agents.get(ev.agent_id, ""), "appeal": ev.appeal_status, "calibration": ev.calibration_id}


def call_page(uuid: str) -> ResponseReturnValue:
    with tenant_session(LISTEN) as (session, who):
        zone = tenant_zone(session)
        call = recordings.call_record(session, uuid)
        sheets = list(session.scalars(select(ScoreSheet).where(ScoreSheet.published.is_(True))
                                      .order_by(ScoreSheet.name)))
        chosen = next((s for s in sheets if s.name == request.args.get("sheet")), sheets[0] if sheets else None)
        calibration_id = request.args.get("calibration", type=int)
        if calibration_id is not None:
            chosen = session.get(ScoreSheet, quality.calibration(session, calibration_id).sheet_id)
        evaluations = list(session.scalars(select(Evaluation).where(Evaluation.call_uuid == uuid)
                                           .order_by(Evaluation.id)))
        agents = names(session, [call.agent_id, *(e.agent_id for e in evaluations)])
        state = "none" if not call.recording else (
            "ok" if store().exists(call.recording) else "missing")
        queue = queue_labels(session).get(call.queue or "", call.queue or "")
        return render_template("quality/call.html", call=call, started=local(call.started_at, zone),
                               agent=agents.get(call.agent_id, ""), state=state, queue=queue, sheets=sheets,
                               sheet=chosen,
                               items_of=quality.items, calibration_id=calibration_id, may_score=who.may(SCORE),
                               evaluations=[_evaluation_row(e, zone, agents) for e in evaluations])


def _answers_from_form(sheet: ScoreSheet) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    answers: dict[str, Any] = {}
    for item in quality.items(sheet.body):
        key = item["key"]
        if item.get("fatal"):
            answers[key] = {"failed": request.form.get(f"failed_{key}") == "1"}
            continue
        raw = request.form.get(f"points_{key}", "").strip()
        try:
            answers[key] = {"points": float(raw) if "." in raw else int(raw)}
        except ValueError:
            answers[key] = {"points": raw}  # compute() names it: not a number from 0 to the weight
    at, text, item = (request.form.getlist(name) for name in ("remark_at", "remark_text", "remark_item"))
    remarks = []
    for n, words in enumerate(text[:quality.MAX_REMARKS + 1]):
        if not words.strip():
            continue
        try:
            seconds: Any = float(at[n]) if n < len(at) else None
        except ValueError:
            seconds = at[n]
        remarks.append({"at_seconds": seconds, "text": words, "item": item[n] if n < len(item) else None})
    return answers, remarks


def _score(uuid: str, sheet_name: str, answers: Any, remarks: Any, calibration_id: int | None) -> Evaluation:
    with tenant_session(SCORE) as (session, who):
        call = recordings.call_record(session, uuid)
        if calibration_id is not None:
            calibration = quality.calibration(session, calibration_id)
            if calibration.call_uuid != uuid:
                raise ServiceError("the calibration session is about another call")
            sheet_name = session.get(ScoreSheet, calibration.sheet_id).name
        ev = quality.score_call(session, who.user_id, who.username, call, sheet_name, answers, remarks,
                                calibration_id)
        session.expunge(ev)
        return ev


def score_form(uuid: str) -> ResponseReturnValue:
    calibration_id = request.form.get("calibration", type=int)
    with tenant_session(SCORE) as (session, _who):
        sheet = quality.sheet(session, request.form.get("sheet", ""))
        answers, remarks = _answers_from_form(sheet)
        name = sheet.name
    ev = _score(uuid, name, answers, remarks, calibration_id)
    flash(translate("Scored: %(total)s points.", current_locale()) % {"total": f"{ev.total:g}"})
    if calibration_id is not None:
        return redirect(url_for("quality.calibration", calibration_id=calibration_id))
    return redirect(url_for("quality.evaluation", evaluation_id=ev.id))


def score_api(uuid: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "a JSON object {sheet, answers, remarks} is required")
    calibration = body.get("calibration")
    if calibration is not None and (isinstance(calibration, bool) or not isinstance(calibration, int)):
        abort(400, "calibration: the id of a calibration session")
    ev = _score(uuid, str(body.get("sheet", ""))[:64], body.get("answers"), body.get("remarks"), calibration)
    return jsonify({"id": ev.id, "total": ev.total, "fatal": ev.fatal}), 201


def evaluation_page(evaluation_id: int) -> ResponseReturnValue:
    with tenant_session(OWN) as (session, who):
        zone = tenant_zone(session)
        ev = quality.evaluation(session, evaluation_id)
        if not who.may(LISTEN) and ev.agent_id != who.user_id:
            abort(404, f"evaluation {evaluation_id} not found")
        agents = names(session, [ev.agent_id])
        call = recordings.call_record(session, ev.call_uuid)
        state = "none" if not call.recording else (
            "ok" if store().exists(call.recording) else "missing")
        return render_template("quality/evaluation.html", ev=ev, row=_evaluation_row(ev, zone, agents),
                               items_of=quality.items, may_score=who.may(SCORE), own=ev.agent_id == who.user_id,
                               item_labels={item["key"]: item["label"] for item in quality.items(ev.sheet)},
                               listen=state == "ok" and may_listen(who, call), state=state,
                               appealed_at=local(ev.appealed_at, zone), resolved_at=local(ev.resolved_at, zone))


def mine() -> ResponseReturnValue:
    with tenant_session(OWN) as (session, who):
        zone = tenant_zone(session)
        evs = session.scalars(select(Evaluation).where(Evaluation.agent_id == who.user_id,
                                                       Evaluation.calibration_id.is_(None))
                              .order_by(Evaluation.created_at.desc()).limit(500)).all()
        agents = names(session, [who.user_id])
        return render_template("quality/mine.html", rows=[_evaluation_row(e, zone, agents) for e in evs])


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
    with tenant_session(OWN) as (session, who):
        ev = quality.evaluation(session, evaluation_id)
        chosen = set(request.form.getlist("item"))
        proposed = _item_answers(ev.sheet, chosen) if chosen else None
        quality.appeal(session, who.user_id, who.username, evaluation_id, request.form.get("reason", ""),
                       datetime.now(UTC), proposed)
    flash(translate("Appeal sent.", current_locale()))
    return redirect(url_for("quality.evaluation", evaluation_id=evaluation_id))


def appeals() -> ResponseReturnValue:
    with tenant_session(SCORE) as (session, _who):
        zone = tenant_zone(session)
        evs = session.scalars(select(Evaluation).where(Evaluation.appeal_status == "open")
                              .order_by(Evaluation.appealed_at).limit(500)).all()
        agents = names(session, (e.agent_id for e in evs))
        rows = [{**_evaluation_row(e, zone, agents), "reason": e.appeal_reason} for e in evs]
        return render_template("quality/appeals.html", rows=rows)


def resolve_form(evaluation_id: int) -> ResponseReturnValue:
    raw = request.form.get("answers", "").strip()
    answers = None
    if raw:  # the amended answers as JSON, as the form took them before its fields
        try:
            answers = form_json(raw)
        except ValueError as exc:
            raise ServiceError(f"answers: not JSON ({exc})") from None
    with tenant_session(SCORE) as (session, who):
        if answers is None and request.form.get("amend") == "1":
            answers = _item_answers(quality.evaluation(session, evaluation_id).sheet, None)
        quality.resolve(session, who.username, evaluation_id, request.form.get("note", ""), datetime.now(UTC),
                        answers)
    flash(translate("Appeal resolved.", current_locale()))
    return redirect(url_for("quality.evaluation", evaluation_id=evaluation_id))


def calibration_form() -> ResponseReturnValue:
    with tenant_session(SCORE) as (session, who):
        call = recordings.call_record(session, request.form.get("call", ""))
        row = quality.start_calibration(session, who.username, call, request.form.get("sheet", ""),
                                        request.form.get("title", ""))
        calibration_id = row.id
    return redirect(url_for("quality.calibration", calibration_id=calibration_id))


def calibration_page(calibration_id: int) -> ResponseReturnValue:
    with tenant_session(SCORE) as (session, _who):
        row = quality.calibration(session, calibration_id)
        evs = list(session.scalars(select(Evaluation).where(Evaluation.calibration_id == calibration_id)
                                   .order_by(Evaluation.id)))
        sheet = session.get(ScoreSheet, row.sheet_id)
        return render_template("quality/calibration.html", calibration=row, spread=quality.spread(evs),
                               sheet_title=sheet.title if sheet else "")
