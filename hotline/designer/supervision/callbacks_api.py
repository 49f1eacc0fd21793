"""The call-back and return-visit list for agents (回呼/回访): JSON the desk can show and work.

GET /supervision/api/callbacks (?status=pending|done|cancelled|all, ?kind=callback|return_visit, ?ticket=)
→ {"tasks": [...]} earliest due first; POST /supervision/api/callbacks/<id>/done {"result", "cancelled"}
closes one (a task already closed is a 422). A result the system wrote (the dialer's reason, stored as a code:
platform/outbound/reasons.py) is worded in the reader's language; what an agent typed is returned as typed.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from ...platform.models import CallTask
from ...platform.services import callbacks
from ..campaigns.messages import result_words
from ..i18n import current_locale
from .common import READ, int_arg, tenant_session

STATUSES = ("pending", "done", "cancelled", "all")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/callbacks", "api_callbacks", list_api, methods=["GET"])
    bp.add_url_rule("/api/callbacks/<int:task_id>/done", "api_callback_done", done_api, methods=["POST"])


def list_api() -> ResponseReturnValue:
    status = request.args.get("status", "pending")
    kind = request.args.get("kind", "")
    if status not in STATUSES:
        raise BadRequest(f"status is one of {', '.join(STATUSES)}")
    if kind and kind not in callbacks.KINDS:
        raise BadRequest(f"kind is one of {', '.join(callbacks.KINDS)}")
    limit = int_arg("limit", 200, 1, 1000)
    query = select(CallTask)
    if status != "all":
        query = query.where(CallTask.status == status)
    if kind:
        query = query.where(CallTask.kind == kind)
    if request.args.get("ticket"):
        query = query.where(CallTask.ticket_number == request.args["ticket"])
    with tenant_session(READ) as (session, _who):
        rows = session.scalars(query.order_by(CallTask.due_at, CallTask.id).limit(limit)).all()
        return jsonify({"tasks": [_record(t) for t in rows]})


def done_api(task_id: int) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {}
    result = body.get("result", "")
    if not isinstance(result, str) or len(result) > 2000:
        raise BadRequest("result must be text of at most 2000 characters")
    with tenant_session(READ) as (session, who):
        task = callbacks.complete(session, task_id, actor=who.username, result=result,
                                  cancelled=bool(body.get("cancelled")))
        return jsonify(_record(task))


def _record(task: CallTask) -> dict[str, object]:
    """The task as JSON with its result in the reader's words (an agent's own text unchanged)."""
    return {**callbacks.record(task), "result": result_words(task.result, current_locale())}
