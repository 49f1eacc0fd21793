"""Picking calls, scoring them, and calibration (appeals: appeals.py).

Pages: GET /quality/ (sample per agent per week with a seed, or filters), GET /quality/calls/<uuid> (player,
score form, the call's scores; `?source=sample|filter` when opened from the picking page), POST
/quality/calls/<uuid>/score, GET /quality/mine (an agent's scores), POST /quality/calibrations and GET
/quality/calibrations/<id>. JSON: POST /quality/api/calls/<uuid>/evaluations {"sheet", "answers", "remarks",
"calibration"?, "source"?}. A refused score comes back as the call's page with every problem in the reader's words
and everything typed kept (422); a call no agent answered offers no score form and refuses a score.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from ...platform.models import Evaluation, ScoreSheet
from ...platform.services import qa_sampling, quality, recordings
from ...platform.services.ticket_lists import tenant_zone
from ..i18n import current_locale, translate
from .common import LISTEN, OWN, SCORE, int_arg, queue_labels, store, tenant_session
from .problems import worded
from .views import BadArg, day_arg, float_arg, local, names


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "index", index, methods=["GET"])
    bp.add_url_rule("/calls/<uuid>", "call", call_page, methods=["GET"])
    bp.add_url_rule("/calls/<uuid>/score", "score", score_form, methods=["POST"])
    bp.add_url_rule("/api/calls/<uuid>/evaluations", "api_score", score_api, methods=["POST"])
    bp.add_url_rule("/mine", "mine", mine, methods=["GET"])
    bp.add_url_rule("/calibrations", "calibrate", calibration_form, methods=["POST"])
    bp.add_url_rule("/calibrations/<int:calibration_id>", "calibration", calibration_page, methods=["GET"])


def _call_rows(session: Any, calls: list[Any], zone: Any) -> list[dict[str, Any]]:
    agents = names(session, (c.agent_id for c in calls))
    queues = queue_labels(session)
    return [{"uuid": c.uuid, "started": local(c.started_at, zone), "agent": agents.get(c.agent_id, ""),
             "queue": queues.get(c.queue or "", c.queue or ""), "talk": round(c.talk_seconds or 0),
             "survey": qa_sampling.survey_score(c),
             # whole seconds, one format down the column (task 15d item 3: "30.0", "30.002", "29.963")
             "seconds": round(c.recording_seconds) if c.recording_seconds is not None else None} for c in calls]


#: The picking form's fields by query argument, to name a bad one as the form labels it.
PICK_FIELDS = {"week": "Week of", "per_agent": "Calls per agent", "start": "From", "end": "To",
               "min_talk": "Talk of at least (seconds)", "max_survey": "Survey score at most"}


def index() -> ResponseReturnValue:
    with tenant_session(LISTEN) as (session, _who):
        zone = tenant_zone(session)
        today = datetime.now(UTC).astimezone(zone).date()
        mode = request.args.get("mode", "sample")
        seed = request.args.get("seed", "qa")[:64]
        problems: list[str] = []
        shown: dict[str, Any] = {}

        def take(name: str, parse: Callable[[], Any], default: Any) -> Any:
            """The argument, or on a bad one its default with the problem named in the reader's words and the
            typed text kept in the form (task 15d item 2b: a bare English 400 page came back)."""
            try:
                return parse()
            except BadRequest as exc:
                locale = current_locale()
                if isinstance(exc, BadArg):
                    reason = translate(exc.reason, locale) % exc.params
                else:
                    reason = translate("a whole number from %(low)s to %(high)s", locale) % {
                        "low": 1, "high": qa_sampling.MAX_PER_AGENT}
                problems.append(f"{translate(PICK_FIELDS[name], locale)}{'：' if locale != 'en' else ': '}{reason}")
                shown[name] = request.args.get(name, "")[:40]
                return default

        week = take("week", lambda: day_arg("week", today - timedelta(days=7)), today - timedelta(days=7))
        per_agent = take("per_agent", lambda: int_arg("per_agent", 3, 1, qa_sampling.MAX_PER_AGENT), 3)
        start = take("start", lambda: day_arg("start", today - timedelta(days=7)), today - timedelta(days=7))
        end = take("end", lambda: day_arg("end", today), today)
        min_talk = take("min_talk", lambda: float_arg("min_talk", 0, 86400), None)
        max_survey = take("max_survey", lambda: float_arg("max_survey", 0, 10), None)
        complaints = request.args.get("complaints") == "1"
        recordings_store = store()

        def playable(ref: str) -> bool:  # a missing file is not offered for scoring (QA of issue 15, item 15)
            return recordings_store.exists(ref)

        if problems:
            calls = []
        elif mode == "filter":
            calls = qa_sampling.find(session, datetime.combine(start, time(), zone).astimezone(UTC),
                                     datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC),
                                     min_talk_seconds=min_talk,
                                     max_survey=int(max_survey) if max_survey is not None else None,
                                     complaints=complaints, playable=playable)
        else:
            calls = qa_sampling.sample(session, week, zone, per_agent, seed, playable)
        rows = _call_rows(session, calls, zone)
        values = {"week": week.isoformat(), "per_agent": per_agent, "start": start.isoformat(),
                  "end": end.isoformat(), "min_talk": min_talk, "max_survey": max_survey, **shown}
        page = render_template("quality/index.html", rows=rows, mode=mode, seed=seed, complaints=complaints,
                               problems=problems, **values)
        return page, 400 if problems else 200


def evaluation_row(ev: Evaluation, zone: Any, agents: dict[int, str]) -> dict[str, Any]:
    """A score as the lists show it (call pages, the agent's scores, appeals): names and local times."""
    return {"id": ev.id, "call": ev.call_uuid, "reviewer": ev.reviewer, "sheet": ev.sheet.get("title", ev.sheet_name),
            "total": ev.total, "fatal": ev.fatal, "at": local(ev.created_at, zone),
            "agent": agents.get(ev.agent_id, ""), "appeal": ev.appeal_status, "calibration": ev.calibration_id}


def call_page(uuid: str) -> ResponseReturnValue:
    source = request.args.get("source", "direct")
    return _call_view(uuid, request.args.get("sheet"), request.args.get("calibration", type=int),
                      source if source in quality.SOURCES else "direct")


def _call_view(uuid: str, sheet_name: str | None, calibration_id: int | None, source: str,
               typed: dict[str, Any] | None = None, problems: list[str] | None = None) -> ResponseReturnValue:
    """The call's page; after a refused score, with what was typed (`typed`: answers and remarks) and the problems
    in the reader's words, status 422."""
    with tenant_session(LISTEN) as (session, who):
        zone = tenant_zone(session)
        call = recordings.call_record(session, uuid)
        sheets = list(session.scalars(select(ScoreSheet).where(ScoreSheet.published.is_(True))
                                      .order_by(ScoreSheet.name)))
        chosen = next((s for s in sheets if s.name == sheet_name), sheets[0] if sheets else None)
        if calibration_id is not None:
            chosen = session.get(ScoreSheet, quality.calibration(session, calibration_id).sheet_id)
        evaluations = list(session.scalars(select(Evaluation).where(Evaluation.call_uuid == uuid)
                                           .order_by(Evaluation.id)))
        agents = names(session, [call.agent_id, *(e.agent_id for e in evaluations)])
        state = "none" if not call.recording else (
            "ok" if store().exists(call.recording) else "missing")
        queue = queue_labels(session).get(call.queue or "", call.queue or "")
        shown = worded(problems, chosen.body if chosen else {}, current_locale()) if problems else []
        return render_template("quality/call.html", call=call, started=local(call.started_at, zone),
                               agent=agents.get(call.agent_id, ""), state=state, queue=queue, sheets=sheets,
                               sheet=chosen, source=source, typed=typed or {}, problems=shown,
                               no_agent=call.agent_id is None, no_agent_reason=quality.NO_AGENT,
                               items_of=quality.items, calibration_id=calibration_id, may_score=who.may(SCORE),
                               evaluations=[evaluation_row(e, zone, agents) for e in evaluations]
                               ), 422 if problems else 200


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


def _score(uuid: str, sheet_name: str, answers: Any, remarks: Any, calibration_id: int | None,
           source: str) -> Evaluation:
    with tenant_session(SCORE) as (session, who):
        call = recordings.call_record(session, uuid)
        if calibration_id is not None:
            calibration = quality.calibration(session, calibration_id)
            if calibration.call_uuid != uuid:
                raise quality.InvalidQuality("score", [quality.Problem(
                    "/calibration", "the calibration session is about another call")])
            sheet_name = session.get(ScoreSheet, calibration.sheet_id).name
        ev = quality.score_call(session, who.user_id, who.username, call, sheet_name, answers, remarks,
                                calibration_id, source)
        session.expunge(ev)
        return ev


def score_form(uuid: str) -> ResponseReturnValue:
    calibration_id = request.form.get("calibration", type=int)
    source = request.form.get("source", "direct")
    source = source if source in quality.SOURCES else "direct"
    with tenant_session(SCORE) as (session, _who):
        sheet = quality.sheet(session, request.form.get("sheet", ""))
        answers, remarks = _answers_from_form(sheet)
        name = sheet.name
    try:
        ev = _score(uuid, name, answers, remarks, calibration_id, source)
    except quality.InvalidQuality as exc:  # the page again, with every answer and remark as typed (task 15a item 3)
        return _call_view(uuid, name, calibration_id, source, {"answers": answers, "remarks": remarks}, exc.problems)
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
    ev = _score(uuid, str(body.get("sheet", ""))[:64], body.get("answers"), body.get("remarks"), calibration,
                str(body.get("source", "direct"))[:32])
    return jsonify({"id": ev.id, "total": ev.total, "fatal": ev.fatal}), 201


def mine() -> ResponseReturnValue:
    with tenant_session(OWN) as (session, who):
        zone = tenant_zone(session)
        evs = session.scalars(select(Evaluation).where(Evaluation.agent_id == who.user_id,
                                                       Evaluation.calibration_id.is_(None))
                              .order_by(Evaluation.created_at.desc()).limit(500)).all()
        agents = names(session, [who.user_id])
        return render_template("quality/mine.html", rows=[evaluation_row(e, zone, agents) for e in evs])


def calibration_form() -> ResponseReturnValue:
    call_uuid, sheet_name, title = (request.form.get(name, "") for name in ("call", "sheet", "title"))
    try:
        with tenant_session(SCORE) as (session, who):
            call = recordings.call_record(session, call_uuid)
            calibration_id = quality.start_calibration(session, who.username, call, sheet_name, title).id
    except quality.InvalidQuality as exc:  # the call's page again, the title kept
        return _call_view(call_uuid, sheet_name, None, "direct", {"calibration_title": title}, exc.problems)
    return redirect(url_for("quality.calibration", calibration_id=calibration_id))


def calibration_page(calibration_id: int) -> ResponseReturnValue:
    with tenant_session(SCORE) as (session, _who):
        row = quality.calibration(session, calibration_id)
        evs = list(session.scalars(select(Evaluation).where(Evaluation.calibration_id == calibration_id)
                                   .order_by(Evaluation.id)))
        sheet = session.get(ScoreSheet, row.sheet_id)
        return render_template("quality/calibration.html", calibration=row, spread=quality.spread(evs),
                               sheet_title=sheet.title if sheet else "")
