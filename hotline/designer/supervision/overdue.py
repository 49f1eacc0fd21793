"""The overdue list (超时工单) and urging (催办): supervisors see late and near-due tickets and push them.

Page: GET /supervision/overdue (?within=minutes), each row with an urge form (POST
/supervision/tickets/<number>/urge, CSRF). JSON: GET /supervision/api/overdue, POST
/supervision/api/tickets/<number>/urge {"note"} → {"ticket", "count", "notified"}.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import TicketUrge, User
from ...platform.services import sla, ticket_lists, tickets, urging
from ...platform.words import priority_label
from .. import quotas
from ..i18n import current_locale, translate
from .common import SUPERVISE, int_arg, notification_queue, tenant_session


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/overdue", "overdue", overdue_page, methods=["GET"])
    bp.add_url_rule("/tickets/<number>/urge", "urge", urge_form, methods=["POST"])
    bp.add_url_rule("/api/overdue", "api_overdue", overdue_api, methods=["GET"])
    bp.add_url_rule("/api/tickets/<number>/urge", "api_urge", urge_api, methods=["POST"])


def _rows(session: Any, within: int) -> list[dict[str, Any]]:
    found = sla.overdue(session, within_minutes=within)
    ids = [row["ticket"].id for row in found]
    counts = urging.urge_counts(session, ids)
    assignees = {row["ticket"].assignee_id for row in found if row["ticket"].assignee_id is not None}
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(assignees))).all()) \
        if assignees else {}
    forms = {f.name: f for f in ticket_lists.published_forms(session)} if found else {}
    zone = ticket_lists.tenant_zone(session)
    rows = []
    for row in found:
        ticket = row["ticket"]
        handlers = [names.get(ticket.assignee_id), ticket.group,
                    *(str(v) for k, v in (ticket.data or {}).items()
                      if k in ("courier", "technician", "handler") and v)]
        form = forms.get(ticket.form_name)
        status_labels = {name: label for name, label, _color in form.statuses} if form else {}
        rows.append({"number": ticket.number, "form": ticket.form_name, "status": ticket.status,
                     "form_title": form.title if form else ticket.form_name,
                     "status_label": status_labels.get(ticket.status, ticket.status),
                     "priority": ticket.priority,
                     "priority_label": priority_label(ticket.priority, current_locale()),
                     "clock": row["clock"], "due": row["due"].isoformat(),
                     "due_local": row["due"].astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                     "overdue": row["overdue"], "minutes_left": row["minutes_left"],
                     "handler": " / ".join(h for h in handlers if h), "urged": counts.get(ticket.id, 0)})
    return rows


def overdue_page() -> ResponseReturnValue:
    within = int_arg("within", 60, 0, 7 * 24 * 60)
    with tenant_session(SUPERVISE) as (session, _who):
        rows = _rows(session, within)
    return render_template("supervision/overdue.html", rows=rows, within=within)


def overdue_api() -> ResponseReturnValue:
    within = int_arg("within", 60, 0, 7 * 24 * 60)
    with tenant_session(SUPERVISE) as (session, _who):
        return jsonify({"within_minutes": within, "tickets": _rows(session, within)})


def _urge(number: str, note: str) -> dict[str, Any]:
    with tenant_session(SUPERVISE) as (session, who):
        assert who.tenant is not None
        quotas.enforce("desk_send", who.tenant.tenant_id)  # an urge notifies handlers by SMS/e-mail
        row = urging.urge(session, number, actor=who.username, note=note, queue=notification_queue())
        ticket = tickets.get(session, number)
        count = urging.urge_count(session, ticket.id)
        return {"ticket": number, "count": count, "notified": list(row.notified), "notified_to": row.notified_to,
                "at": row.at.isoformat()}


def urge_form(number: str) -> ResponseReturnValue:
    done = _urge(number, request.form.get("note", ""))
    # Say whom the urge reached: the handlers, or the dispatchers when nobody has the ticket yet (QA of
    # issue 11, item 8: "已通知2位处理人" named dispatchers handlers).
    message = ("Ticket %(number)s urged (%(count)s times); %(notified)s dispatcher(s) notified."
               if done["notified_to"] == "dispatchers" else
               "Ticket %(number)s urged (%(count)s times); %(notified)s handler(s) notified.")
    flash(translate(message, current_locale()) % {"number": done["ticket"], "count": done["count"],
                                                  "notified": len(done["notified"])}, "ok")
    return redirect(url_for("supervision.overdue", within=request.form.get("within") or None))


def urge_api(number: str) -> ResponseReturnValue:
    body = request.get_json(silent=True) or {}
    note = body.get("note", "") if isinstance(body, dict) else ""
    if not isinstance(note, str):
        return jsonify({"error": "note must be text", "findings": []}), 400
    return jsonify(_urge(number, note))


def urge_history(session: Any, ticket_id: int) -> list[TicketUrge]:
    return list(session.scalars(select(TicketUrge).where(TicketUrge.ticket_id == ticket_id).order_by(TicketUrge.id)))
