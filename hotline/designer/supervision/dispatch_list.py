"""The manual dispatch list (待派单): tickets no rule could give to anyone, for a person to dispatch.

Page: GET /supervision/dispatch, each row with the reason, the alerts sent and a form to pick the handler
(POST /supervision/dispatch/<id>/assign, CSRF). JSON: GET /supervision/api/dispatch, POST
/supervision/api/dispatch/<id>/assign {"entry_id"} → the ticket's number and handler.

The handlers offered are the people covering the ticket's address first (directory_admin.lookup ranks
couriers and technicians ahead of branches), then every active person of the rule's directory, so a
dispatcher can give work to someone outside their area on purpose. Tenant-scoped throughout: another
tenant's row is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import Directory, DirectoryEntry, ManualDispatch, Ticket
from ...platform.services import directory_admin, manual_dispatch, ticket_lists, tickets
from ..i18n import current_locale, translate
from .common import SUPERVISE, notification_queue, tenant_session

#: Handlers offered per row: enough to choose from, bounded for a large directory.
MAX_CHOICES = 50


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/dispatch", "dispatch", dispatch_page, methods=["GET"])
    bp.add_url_rule("/dispatch/<int:row_id>/assign", "dispatch_assign", assign_form, methods=["POST"])
    bp.add_url_rule("/api/dispatch", "api_dispatch", dispatch_api, methods=["GET"])
    bp.add_url_rule("/api/dispatch/<int:row_id>/assign", "api_dispatch_assign", assign_api, methods=["POST"])


def _choices(session: Any, row: ManualDispatch, ticket: Ticket) -> list[dict[str, Any]]:
    """The people to offer, each with their skills; when the ticket needs a skill, those who have it come
    first (those covering the address first among them), and ★ (`covers`) means covers the address *and* has
    the skill: a technician of the building without 水电 is no match for a 水电 repair (QA of issue 11, item 6)."""
    needed = str((row.spec or {}).get("skill") or "")
    found: dict[int, dict[str, Any]] = {}
    address = str((ticket.data or {}).get("address") or "")
    directory = (row.spec or {}).get("directory")
    covering: set[int] = set()
    if directory_admin.coverage.normalize(address):
        people = [hit for hit in directory_admin.lookup(session, address, limit=10)
                  if hit.kind in directory_admin.PEOPLE]
        # Only the strongest evidence present covers the address, as in the automatic dispatch
        # (handlers.choose): 翠湖花园5幢 matches an area 翠湖花园1幢 only fuzzily, so whoever covers 1幢 is
        # no one to star for 5幢 (QA of issue 11, item 8).
        strongest = max((directory_admin.coverage.tier(hit.match.score) for hit in people), default=0)
        covering = {hit.match.entry_id for hit in people
                    if directory_admin.coverage.tier(hit.match.score) == strongest}
    query = select(DirectoryEntry.id, DirectoryEntry.name, DirectoryEntry.branch, DirectoryEntry.kind,
                   DirectoryEntry.skills, Directory.kind).join(Directory, Directory.id == DirectoryEntry.directory_id) \
        .where(DirectoryEntry.active.is_(True)).order_by(DirectoryEntry.id).limit(MAX_CHOICES * 4)
    if directory:
        query = query.where(Directory.name == directory)
    rows = list(session.execute(query))
    extra = [entry_id for entry_id in covering if entry_id not in {r[0] for r in rows}]
    if extra:  # a covering person outside the first rows of the directory
        rows += list(session.execute(query.where(DirectoryEntry.id.in_(extra)).limit(None)))
    for entry_id, name, branch, kind, skills, directory_kind in rows:
        if (kind or directory_kind) not in directory_admin.PEOPLE or entry_id in found:
            continue
        held = [str(s) for s in (skills or []) if isinstance(s, str)]
        has_skill = not needed or needed in held
        found[entry_id] = {"id": entry_id, "name": name, "branch": branch, "skills": held, "has_skill": has_skill,
                           "covers": entry_id in covering and has_skill, "in_area": entry_id in covering}
    ranked = sorted(found.values(), key=lambda c: (not c["has_skill"], not c["in_area"], c["id"]))
    return ranked[:MAX_CHOICES]


def _rows(session: Any) -> list[dict[str, Any]]:
    rows = []
    zone = ticket_lists.tenant_zone(session)
    for row, ticket in manual_dispatch.pending(session):
        form = tickets.form_of(session, ticket)
        status = next((s.get("label") or s["name"] for s in form.get("statuses", []) if s["name"] == ticket.status),
                      ticket.status)
        rows.append({"id": row.id, "number": ticket.number, "form": form.get("title") or ticket.form_name,
                     "status": status, "address": str((ticket.data or {}).get("address") or ""),
                     "reason": row.reason, "since": row.created_at.isoformat(),
                     "since_local": row.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                     "alerted": len(row.alerted or []), "skill": str((row.spec or {}).get("skill") or ""),
                     "choices": _choices(session, row, ticket)})
    return rows


def dispatch_page() -> ResponseReturnValue:
    with tenant_session(SUPERVISE) as (session, _who):
        rows = _rows(session)
    return render_template("supervision/dispatch.html", rows=rows)


def dispatch_api() -> ResponseReturnValue:
    with tenant_session(SUPERVISE) as (session, _who):
        return jsonify({"tickets": _rows(session)})


def _assign(row_id: int, entry_id: Any) -> dict[str, Any]:
    try:
        entry = int(entry_id)
    except (TypeError, ValueError):
        entry = -1
    with tenant_session(SUPERVISE) as (session, who):
        ticket = manual_dispatch.assign(session, row_id, entry, actor=who.username, queue=notification_queue())
        handler = session.get(DirectoryEntry, ticket.handler_entry_id)
        return {"ticket": ticket.number, "handler": handler.name if handler else None}


def assign_form(row_id: int) -> ResponseReturnValue:
    done = _assign(row_id, request.form.get("entry_id"))
    flash(translate("Ticket %(number)s dispatched to %(handler)s.", current_locale())
          % {"number": done["ticket"], "handler": done["handler"]}, "ok")
    return redirect(url_for("supervision.dispatch"))


def assign_api(row_id: int) -> ResponseReturnValue:
    body = request.get_json(silent=True) or {}
    return jsonify(_assign(row_id, body.get("entry_id") if isinstance(body, dict) else None))
