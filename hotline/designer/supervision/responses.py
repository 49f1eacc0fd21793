"""Recording a first response (响应) on a ticket: what a person did — accepted, called the customer, visited.

The ticket's form lists what counts (`sla.response.actions`, services/response.py); the desk and the
supervisors record it here, so the response clock stops when a person acted, never at a rule's automatic move.

JSON: GET /supervision/api/tickets/<number>/respond → {"actions": [{"name", "label"}], "first_responded_at"};
POST the same URL {"action", "revision", "note"?} → the ticket's number, revision and first_responded_at.
A stale revision is a 409, an action the form does not list a 422 with the finding.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ...platform.services import response, tickets
from .common import READ, tenant_session


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/tickets/<number>/respond", "api_respond_actions", actions_api, methods=["GET"])
    bp.add_url_rule("/api/tickets/<number>/respond", "api_respond", respond_api, methods=["POST"])


def _state(ticket: Any) -> dict[str, Any]:
    at = ticket.first_responded_at
    return {"ticket": ticket.number, "revision": ticket.revision, "first_responded_at": at.isoformat() if at else None}


def actions_api(number: str) -> ResponseReturnValue:
    with tenant_session(READ) as (session, _who):
        ticket = tickets.get(session, number)
        known = response.actions(tickets.form_of(session, ticket))
        return jsonify({**_state(ticket), "actions": [{"name": n, "label": label} for n, label in known.items()]})


def respond_api(number: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("action"), str) \
            or isinstance(body.get("revision"), bool) or not isinstance(body.get("revision"), int):
        return jsonify({"error": "send {\"action\": text, \"revision\": the ticket's revision, \"note\"?: text}",
                        "findings": []}), 400
    note = body.get("note", "")
    if not isinstance(note, str) or len(note) > 500:
        return jsonify({"error": "note: text of at most 500 characters", "findings": []}), 400
    with tenant_session(READ) as (session, who):
        ticket = tickets.record_response(session, number, body["action"], base_revision=body["revision"],
                                         actor=who.username, note=note)
        return jsonify(_state(ticket))
