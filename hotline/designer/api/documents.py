"""The documents API: list, read, create, save drafts, validate, publish, versions, diff, rollback.

Every call works in the signed-in user's current tenant, through a tenant-scoped session, so a name of
another tenant's document is simply not found here (404), whatever the URL says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from ...platform.kinds.fixes import with_fixes
from ...platform.kinds.wording import in_words
from ...platform.models import Document, DocumentVersion
from ...platform.services import layouts
from ...platform.services.documents import DRAFT, NOTE_MAX, DocumentService
from ...platform.services.errors import Conflict, InvalidDocument
from .. import quotas
from ..auth import READ_DOCUMENTS, WRITE_DOCUMENTS, database, require_tenant
from ..i18n import current_locale, extend, translate
from .errors import json_error


@contextmanager
def documents(write: bool = False, cost: int | None = None) -> Iterator[DocumentService]:
    """The document service for the current tenant, after the role check; commits when the block succeeds.

    `cost` (bytes of the document to be checked) puts the block under the tenant's document quota
    (`quotas.document_work`); it is checked before the database is touched."""
    who = require_tenant(WRITE_DOCUMENTS if write else READ_DOCUMENTS)
    assert who.tenant is not None  # require_tenant guarantees it
    with ExitStack() as stack:
        if cost is not None:
            stack.enter_context(quotas.document_work(who.tenant.tenant_id, cost))
        session = stack.enter_context(database().tenant(who.tenant.tenant_id))
        yield DocumentService(session, who.username)


def _body_cost() -> int:
    """What checking the request's document costs, in bytes: the body as received."""
    return request.content_length or len(request.get_data(cache=True))


def _stored_cost(kind: str, name: str) -> int:
    """What checking a stored draft costs: its size as JSON (read once more; small next to the check)."""
    with documents() as service:
        return len(json.dumps(service.get(kind, name).draft, ensure_ascii=False).encode())


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


def _field(body: dict[str, Any], name: str, kind: type, required: bool = True, default: Any = None) -> Any:
    if name not in body:
        if required:
            raise BadRequest(f"field {name!r} is required")
        return default
    value = body[name]
    # bool is an int in Python; a revision of `true` is a client bug, not revision 1.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadRequest(f"field {name!r} must be {kind.__name__}")
    return value


def summary(doc: Document, draft: dict[str, Any] | None = None) -> dict[str, Any]:
    """`draft` is the body when the caller already holds it (a save), so the stored one is not re-read."""
    body = doc.draft if draft is None else draft
    return {
        "kind": doc.kind,
        "name": doc.name,
        "title": body.get("title", "") if isinstance(body, dict) else "",
        "draft_revision": doc.draft_revision,
        "published_version": doc.published_version,
        "draft_updated_at": doc.draft_updated_at.isoformat() if doc.draft_updated_at else None,
        "draft_updated_by": doc.draft_updated_by,
        "template_ref": doc.template_ref,
    }


def detail(doc: Document) -> dict[str, Any]:
    return {**summary(doc), "draft": doc.draft}


def version_summary(version: DocumentVersion, current: int | None) -> dict[str, Any]:
    return {
        "number": version.number,
        "author": version.author,
        "note": version.note,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "rollback_of": version.rollback_of,
        "current": version.number == current,
    }

extend({"the draft is too large to edit; nothing was saved": {"zh_CN": "草稿太大，无法编辑：未保存任何内容"}})

_NOTE_TOO_LONG = {
    "zh_CN": "{what}（note）有 {n} 个字符，最多 {most} 个：未发布",
    "en": "the {what} (note) has {n} characters; at most {most}: nothing was published",
}
_NOTE_NAME = {"zh_CN": {"publish": "发布说明", "rollback": "回滚说明"},
              "en": {"publish": "publish note", "rollback": "rollback note"}}


def _note(body: dict[str, Any], action: str) -> str:
    """The publish or rollback note, refused in the reader's language when over NOTE_MAX characters (QA: a
    3,015-character note was stored and listed whole)."""
    note = _field(body, "note", str, required=False, default="")
    if len(note) > NOTE_MAX:
        locale = current_locale() if current_locale() in _NOTE_TOO_LONG else "en"
        raise BadRequest(_NOTE_TOO_LONG[locale].format(what=_NOTE_NAME[locale][action], n=len(note), most=NOTE_MAX))
    return note


def _refused(exc: InvalidDocument, kind: str, draft: dict[str, Any]) -> tuple[Response, int]:
    """A draft refused at save (too large to edit, services.documents._check_bounds), its findings worded."""
    locale = current_locale()
    return json_error(422, translate(exc.args[0], locale), in_words(exc.findings, kind, draft, locale))


def _stale(service: DocumentService, kind: str, name: str, exc: Conflict) -> tuple[Response, int]:
    """409 with the server's draft, so the client can show both and the user's edit is not lost."""
    doc = service.get(kind, name)
    return json_error(409, exc.args[0], current_revision=doc.draft_revision, draft=doc.draft)


def _version_arg(name: str, default: str | None = None) -> int | str:
    value = request.args.get(name, default)
    if value is None:
        raise BadRequest(f"query parameter {name!r} is required (a version number or 'draft')")
    if value == DRAFT:
        return DRAFT
    if not value.isdigit() or int(value) < 1:
        raise BadRequest(f"query parameter {name!r} must be a version number or 'draft', not {value!r}")
    return int(value)


def blueprint() -> Blueprint:
    bp = Blueprint("documents", __name__)
    one = "/documents/<kind>/<name>"

    @bp.get("/documents")
    def list_documents() -> ResponseReturnValue:
        kind = request.args.get("kind") or None
        with documents() as service:
            return jsonify(documents=[summary(d) for d in service.list(kind)])

    @bp.post("/documents")
    def create_document() -> ResponseReturnValue:
        body = json_body()
        kind, name = _field(body, "kind", str), _field(body, "name", str)
        draft = _field(body, "body", dict, required=False, default={})
        with documents(write=True, cost=_body_cost()) as service:
            try:
                doc = service.create(kind, name, draft)
            except InvalidDocument as exc:
                return _refused(exc, kind, draft)
            response = jsonify(detail(doc))
        response.headers["Location"] = url_for(".get_document", kind=kind, name=name)
        return response, 201

    @bp.get(one)
    def get_document(kind: str, name: str) -> ResponseReturnValue:
        with documents() as service:
            return jsonify(detail(service.get(kind, name)))

    @bp.put(one + "/draft")
    def save_draft(kind: str, name: str) -> ResponseReturnValue:
        body = json_body()
        draft, base = _field(body, "body", dict), _field(body, "base_revision", int)
        with documents(write=True, cost=_body_cost()) as service:
            try:
                doc = service.save_draft(kind, name, draft, base)
            except Conflict as exc:
                return _stale(service, kind, name, exc)
            except InvalidDocument as exc:
                return _refused(exc, kind, draft)
            # The saved draft is exactly the body just received: answer with it rather than reading it back.
            return jsonify({**summary(doc, draft), "draft": draft})

    @bp.post(one + "/validate")
    def validate(kind: str, name: str) -> ResponseReturnValue:
        """Validates the given body (the editor's unsaved text) or, without one, the saved draft."""
        body = request.get_json(silent=True) if request.content_length else {}
        if not isinstance(body, dict):
            raise BadRequest("the request body must be a JSON object")
        cost = _body_cost() if "body" in body else _stored_cost(kind, name)
        with documents(cost=cost) as service:
            draft = service.get(kind, name).draft
            candidate = _field(body, "body", dict, required=False, default=draft)
            findings = in_words(with_fixes(service.validate(kind, candidate), kind, candidate), kind, candidate,
                                current_locale())
        return jsonify(valid=not any(f.severity == "error" for f in findings),
                       findings=[f.as_dict() for f in findings])

    @bp.post(one + "/publish")
    def publish(kind: str, name: str) -> ResponseReturnValue:
        body = json_body()
        note = _note(body, "publish")
        base = _field(body, "base_revision", int, required=False)
        with documents(write=True, cost=_stored_cost(kind, name)) as service:
            try:
                version = service.publish(kind, name, note=note, base_revision=base)
            except Conflict as exc:
                return _stale(service, kind, name, exc)
            except InvalidDocument as exc:
                draft = service.get(kind, name).draft
                return json_error(422, exc.args[0], in_words(with_fixes(exc.findings, kind, draft), kind, draft,
                                                                     current_locale()))
            response = jsonify(version_summary(version, version.number))
        response.headers["Location"] = url_for(".get_version", kind=kind, name=name, number=version.number)
        return response, 201

    @bp.get(one + "/versions")
    def list_versions(kind: str, name: str) -> ResponseReturnValue:
        with documents() as service:
            current = service.get(kind, name).published_version
            return jsonify(versions=[version_summary(v, current) for v in service.versions(kind, name)])

    @bp.get(one + "/versions/<int:number>")
    def get_version(kind: str, name: str, number: int) -> ResponseReturnValue:
        with documents() as service:
            current = service.get(kind, name).published_version
            version = service.version(kind, name, number)
            return jsonify({**version_summary(version, current), "body": version.body})

    @bp.get(one + "/diff")
    def diff(kind: str, name: str) -> ResponseReturnValue:
        old, new = _version_arg("old"), _version_arg("new", DRAFT)
        with documents() as service:
            changes = service.diff(kind, name, old, new)
        return jsonify(old=old, new=new, changes=[c.as_dict() for c in changes])

    @bp.post(one + "/rollback")
    def rollback(kind: str, name: str) -> ResponseReturnValue:
        body = json_body()
        number = _field(body, "version", int)
        note = _note(body, "rollback")
        with documents(write=True) as service:
            version = service.rollback(kind, name, number, note=note)
            doc = service.get(kind, name)
            response = jsonify({**version_summary(version, version.number), "draft_revision": doc.draft_revision})
        response.headers["Location"] = url_for(".get_version", kind=kind, name=name, number=version.number)
        return response, 201

    @bp.get(one + "/layout")
    def get_layout(kind: str, name: str) -> ResponseReturnValue:
        """Where the designer draws each node: kept apart from the body, so moving a box is not an edit."""
        with documents() as service:
            doc = service.get(kind, name, with_draft=False)
            return jsonify(positions=layouts.read(service.session, doc))

    @bp.put(one + "/layout")
    def save_layout(kind: str, name: str) -> ResponseReturnValue:
        """Replaces the layout (the designer sends it whole: a few KB for a big tree); no revision, last wins."""
        body = json_body()
        with documents(write=True, cost=_body_cost()) as service:
            positions = layouts.checked(body.get("positions"))
            doc = service.get(kind, name, with_draft=False)
            return jsonify(positions=layouts.write(service.session, doc, positions, service.actor))

    return bp
