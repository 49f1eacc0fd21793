"""Listening to a call's recording, and the tenant's recording policy and retention.

GET /quality/calls/<uuid>/recording streams the WAV with HTTP Range support (the browser's player seeks with
`Range: bytes=N-` and gets 206 Partial Content with Content-Range; werkzeug's conditional send_file). Each
listen is audited (who, when, which call) once per playback start — a request without Range or from byte 0 —
not once per seek. A call without a recording, or whose file the switch never wrote, is a 404 saying which.
GET/POST /quality/policy: the tenant's policy (all, percent, on demand, never), per-queue overrides (of existing
queues; POST /quality/policy/remove drops one) and the retention in days (tenant admins).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.wsgi import wrap_file

from ...platform.models import Queue
from ...platform.models.quality import RECORDING_MODES
from ...platform.services import recordings
from ...platform.services.errors import NotFound, ServiceError
from ..i18n import current_locale, translate
from .common import LISTEN, OWN, POLICY, store, tenant_session


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/calls/<uuid>/recording", "recording", stream, methods=["GET"])
    bp.add_url_rule("/policy", "policy", policy_page, methods=["GET"])
    bp.add_url_rule("/policy", "policy_save", policy_save, methods=["POST"])
    bp.add_url_rule("/policy/remove", "policy_remove", policy_remove, methods=["POST"])


def may_listen(who: object, call: object) -> bool:
    """QA, supervisors, tenant admins; an agent only to a call they answered."""
    return who.may(LISTEN) or (call.agent_id is not None and call.agent_id == who.user_id)  # type: ignore[attr-defined]


def stream(uuid: str) -> ResponseReturnValue:
    with tenant_session(OWN) as (session, who):
        call = recordings.call_record(session, uuid)
        if not may_listen(who, call):
            abort(404, f"call {uuid} not found")
        if not call.recording:
            abort(404, "this call was not recorded")
        stored = store().open(call.recording)
        if stored is None:
            abort(404, "the recording of this call is missing (the switch did not write it, or it was deleted)")
        ranged = request.headers.get("Range", "").replace(" ", "")
        if not ranged or ranged.startswith("bytes=0-"):
            recordings.audit_listen(session, who.username, call)
    if stored.path is not None:
        response = send_file(stored.path, mimetype="audio/wav", conditional=True, max_age=0, etag=True)
    else:  # a bucket's object: werkzeug answers Range requests by seeking the ranged reader
        response = Response(wrap_file(request.environ, stored.stream), mimetype="audio/wav", direct_passthrough=True)
        response.make_conditional(request.environ, accept_ranges=True, complete_length=stored.size)
        response.set_etag(f"{call.uuid}-{stored.size}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def policy_page(error: str | None = None) -> ResponseReturnValue:
    with tenant_session(POLICY) as (session, _who):
        rows = recordings.policies(session)
        queues = [(q.name, q.label) for q in session.scalars(select(Queue).order_by(Queue.name))]
        labels = dict(queues)
        tenant = next((r for r in rows if r.queue == ""), None)
        overrides = [{"queue": r.queue, "label": labels.get(r.queue, r.queue), "mode": r.mode, "percent": r.percent}
                     for r in rows if r.queue]
        return render_template("quality/policy.html", rows=overrides, tenant=tenant,
                               queues=queues, modes=RECORDING_MODES, error=error), 422 if error else 200


def _int(name: str, label: str, default: int | None) -> int | None:
    raw = request.form.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise recordings.PolicyProblem(label, "%(value)s is not a whole number", value=repr(raw[:32])) from None


def policy_save() -> ResponseReturnValue:
    try:
        with tenant_session(POLICY) as (session, who):
            queue = request.form.get("queue", "")
            recordings.set_policy(session, who.username, queue, request.form.get("mode", ""),
                                  _int("percent", "Percent", 100) or 0,
                                  None if queue else _int("retention_days", "Retention (days, empty: keep)", None))
    except recordings.PolicyProblem as exc:  # shown on the form in the reader's words; nothing was saved
        locale = current_locale()
        joiner = ": " if locale == "en" else "："
        return policy_page(f"{translate(exc.field, locale)}{joiner}{translate(exc.reason, locale) % exc.params}")
    except ServiceError as exc:
        return policy_page(str(exc))
    flash(translate("Recording policy saved.", current_locale()))
    return redirect(url_for("quality.policy"))


def policy_remove() -> ResponseReturnValue:
    """Removes a queue's override: the queue follows the tenant's default again (QA of issue 15, item 9)."""
    try:
        with tenant_session(POLICY) as (session, who):
            recordings.remove_policy(session, who.username, request.form.get("queue", ""))
    except NotFound as exc:
        return policy_page(str(exc))
    flash(translate("Queue override removed.", current_locale()))
    return redirect(url_for("quality.policy"))
