"""The log of dispatch rule firings of one ticket: which rule, on which event, what it did, how it went.

Page: GET /supervision/tickets/<number>/firings (with the urging history). JSON for the desk:
GET /supervision/api/tickets/<number>/firings → {"ticket", "firings": [...]} oldest first.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.dispatch.engine import published_rules
from ...platform.models import RuleFiring
from ...platform.services import ticket_lists, tickets
from . import rule_words
from .common import READ, SUPERVISE, tenant_session
from .overdue import urge_history

LIMIT = 500


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/tickets/<number>/firings", "firings", firings_page, methods=["GET"])
    bp.add_url_rule("/api/tickets/<number>/firings", "api_firings", firings_api, methods=["GET"])


def record(row: RuleFiring) -> dict[str, Any]:
    detail = row.detail or {}
    return {"id": row.id, "at": row.at.isoformat(), "event": row.event, "rule": row.rule, "document": row.document,
            "version": row.version, "outcome": row.outcome, "actor": row.actor, "actions": detail.get("actions", []),
            "warnings": detail.get("warnings", []), "tasks": detail.get("tasks", [])}


def rule_labels(session: Any) -> dict[str, str]:
    """The tenant's published rules: name → label."""
    return {str(r.body.get("name")): str(r.body.get("label") or r.body.get("name"))
            for r in published_rules(session) if r.body.get("name")}


def _firings(session: Any, number: str) -> list[RuleFiring]:
    tickets.get(session, number)  # NotFound (404) for an unknown number or another tenant's
    return list(session.scalars(select(RuleFiring).where(RuleFiring.ticket_number == number)
                                .order_by(RuleFiring.id).limit(LIMIT)))


def firings_api(number: str) -> ResponseReturnValue:
    with tenant_session(READ) as (session, _who):
        return jsonify({"ticket": number, "firings": [record(r) for r in _firings(session, number)]})


def firings_page(number: str) -> ResponseReturnValue:
    with tenant_session(SUPERVISE) as (session, _who):
        zone = ticket_lists.tenant_zone(session)
        found = _firings(session, number)
        labels = rule_labels(session)
        # Words, not codes (QA of issue 11, item 4): the event, the rule's label, each action's type.
        rows = [{**record(r), "at_local": r.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                 "event_label": rule_words.event_words(r.event), "rule_label": labels.get(r.rule, r.rule)}
                for r in found]
        ticket = tickets.get(session, number)
        urges = [{"at": u.at.astimezone(zone), "actor": u.actor, "note": u.note, "notified": len(u.notified or [])}
                 for u in urge_history(session, ticket.id)]
        form = tickets.form_of(session, ticket)
        status = next((s.get("label") or s["name"] for s in form.get("statuses", []) if s.get("name") == ticket.status),
                      ticket.status)
        return render_template("supervision/firings.html", number=number, ticket=ticket, rows=rows, urges=urges,
                               form_title=form.get("title") or ticket.form_name, status_label=status,
                               action_words=rule_words.action_words, status_words=rule_words.status_words)
