"""A document against the template its tenant was cloned from: what changed, and re-importing it.

`GET .../template-changes` lists the changes from the template's version to the tenant's (published, else
draft) version, in words an analyst can read. `POST .../reimport-template` replaces the *draft* with the
template's version as a new draft revision: the published version, and so every live call, is untouched
until someone publishes; the old draft stays in the audit log and the version history is unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ...platform.diff import Change, diff
from ...platform.services import audit
from ...platform.services.documents import DocumentService
from ...platform.services.errors import Conflict, NotFound
from ...platform.services.templates import Template, changes_against_template, template_of
from .documents import _field, _stale, detail, documents


def describe(change: Change | dict[str, Any]) -> str:
    """One line for a person: where, and what happened there."""
    item = change.as_dict() if isinstance(change, Change) else change
    where = item.get("pointer") or "(the whole document)"
    where = where.lstrip("/").replace("/", " › ") or where
    op = item.get("op")
    if op == "added":
        return f"{where}: added {_short(item.get('new'))}"
    if op == "removed":
        return f"{where}: removed (was {_short(item.get('old'))})"
    return f"{where}: {_short(item.get('old'))} → {_short(item.get('new'))}"


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def template_version(service: DocumentService, kind: str, name: str) -> tuple[Template, dict[str, Any]]:
    """The tenant's template and its version of this document; NotFound with the reason otherwise."""
    service.get(kind, name)  # 404 for a document this tenant does not have
    template = template_of(service.session)
    body = template.documents.get((kind, name))
    if body is None:
        raise NotFound(f"template {template.name!r} has no {kind} document {name!r}")
    return template, body


def changes(service: DocumentService, kind: str, name: str) -> dict[str, Any]:
    template, body = template_version(service, kind, name)
    doc = service.get(kind, name)
    entry = next(e for e in changes_against_template(service.session, template)
                 if (e["kind"], e["name"]) == (kind, name))
    found: list[Change] = entry["changes"]
    draft_changes = diff(body, doc.draft)
    return {
        "template": template.name, "template_title": template.title, "kind": kind, "name": name,
        "compared": "published" if doc.published_version else "draft",
        "status": entry["status"],
        "changes": [{**c.as_dict(), "text": describe(c)} for c in found],
        "draft_differs": bool(draft_changes),
    }


def blueprint() -> Blueprint:
    bp = Blueprint("template_docs", __name__)
    one = "/documents/<kind>/<name>"

    @bp.get(one + "/template-changes")
    def template_changes(kind: str, name: str) -> ResponseReturnValue:
        with documents() as service:
            return jsonify(changes(service, kind, name))

    @bp.post(one + "/reimport-template")
    def reimport_template(kind: str, name: str) -> ResponseReturnValue:
        body = request.get_json(silent=True) if request.content_length else {}
        base = _field(body if isinstance(body, dict) else {}, "base_revision", int, required=False)
        with documents(write=True) as service:
            template, template_body = template_version(service, kind, name)
            doc = service.get(kind, name)
            try:
                doc = service.save_draft(kind, name, template_body,
                                         doc.draft_revision if base is None else base)
            except Conflict as exc:
                return _stale(service, kind, name, exc)
            audit.record(service.session, service.actor, "document.reimport_template", kind, name,
                         {"template": template.name, "revision": doc.draft_revision})
            return jsonify({**detail(doc), "template": template.name})

    return bp
