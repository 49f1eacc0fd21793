"""The document lifecycle: draft, validate, publish, versions, diff, rollback — every step audited.

One generic service for the four kinds; each kind supplies only its schema and lint (../kinds/).
Published versions are immutable rows; a rollback publishes a copy of an older body as a new version, so
history only ever grows and a call in progress keeps the version it started with.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from ..diff import Change, diff
from ..findings import Finding, has_errors
from ..kinds import KINDS
from ..kinds.ivr import bounds as ivr_bounds
from ..kinds.lint import check
from ..models import Document, DocumentVersion, utcnow
from ..notifier import queue_event
from ..scoping import tenant_of
from . import audit, layouts, lint_context
from .errors import Conflict, Duplicate, InvalidDocument, NotFound

DRAFT = "draft"
#: Characters of a publish or rollback note: a sentence or two for the version list, not a document (QA: a
#: 3,015-character note was stored and listed whole). The API refuses a longer one in the reader's language.
NOTE_MAX = 500


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound(f"unknown document kind {kind!r}: expected one of {', '.join(KINDS)}")


class DocumentService:
    """Document operations for one tenant (the session must be tenant-scoped) and one actor."""

    def __init__(self, session: Session, actor: str) -> None:
        if tenant_of(session) is None:
            raise ValueError("DocumentService needs a tenant-scoped session")
        self.session = session
        self.actor = actor

    # -- reading -----------------------------------------------------------------------------------
    def get(self, kind: str, name: str, *, with_draft: bool = True) -> Document:
        """The document; `with_draft=False` leaves the draft body unloaded until something reads it."""
        _check_kind(kind)
        query = select(Document).where(Document.kind == kind, Document.name == name)
        if not with_draft:
            query = query.options(defer(Document.draft))
        doc = self.session.scalar(query)
        if doc is None:
            raise NotFound(f"{kind} document {name!r} not found")
        return doc

    def list(self, kind: str | None = None) -> list[Document]:
        query = select(Document).order_by(Document.kind, Document.name)
        if kind is not None:
            _check_kind(kind)
            query = query.where(Document.kind == kind)
        return list(self.session.scalars(query))

    def versions(self, kind: str, name: str) -> list[DocumentVersion]:
        doc = self.get(kind, name)
        return list(self.session.scalars(
            select(DocumentVersion).where(DocumentVersion.document_id == doc.id).order_by(DocumentVersion.number)
        ))

    def version(self, kind: str, name: str, number: int) -> DocumentVersion:
        doc = self.get(kind, name)
        found = self.session.scalar(select(DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.number == number))
        if found is None:
            raise NotFound(f"{kind} document {name!r} has no version {number}")
        return found

    def published(self, kind: str, name: str) -> DocumentVersion:
        """The current published version (what the runtime runs)."""
        doc = self.get(kind, name)
        if doc.published_version is None:
            raise NotFound(f"{kind} document {name!r} has never been published")
        return self.version(kind, name, doc.published_version)

    def body(self, kind: str, name: str, version: int | str = DRAFT) -> dict[str, Any]:
        if version == DRAFT:
            return self.get(kind, name).draft
        return self.version(kind, name, int(version)).body

    # -- drafts ------------------------------------------------------------------------------------
    def create(self, kind: str, name: str, body: dict[str, Any], template_ref: str | None = None) -> Document:
        """Creates a document with a draft. The draft may be invalid (work in progress); publish checks."""
        _check_kind(kind)
        _check_name(name)
        _check_object(body)
        _check_bounds(kind, body)
        exists = self.session.scalar(select(Document.id).where(Document.kind == kind, Document.name == name))
        if exists is not None:
            raise Duplicate(f"a {kind} document named {name!r} already exists in this tenant")
        draft = _copy(body)
        placed = layouts.split_positions(draft)
        doc = Document(kind=kind, name=name, draft=draft, draft_revision=1,
                       draft_updated_by=self.actor, template_ref=template_ref)
        self.session.add(doc)
        try:
            with self.session.begin_nested():
                self.session.flush()
        except IntegrityError:
            raise Duplicate(f"a {kind} document named {name!r} already exists in this tenant") from None
        if placed:  # a template's or an import's positions become the document's layout
            layouts.write(self.session, doc, placed, self.actor)
        audit.record(self.session, self.actor, "document.create", kind, name, {"revision": 1})
        return doc

    def save_draft(self, kind: str, name: str, body: dict[str, Any], base_revision: int) -> Document:
        """Saves a draft edit made from `base_revision`; refuses it if someone saved in between.

        The check and the write are one conditional UPDATE, so two concurrent saves from the same base
        cannot both win, on SQLite as on PostgreSQL.
        """
        _check_object(body)
        _check_bounds(kind, body)
        # Positions sent by an older client or a script are layout: into the layout, out of the body (in place).
        placed = layouts.split_positions(body)
        # The stored draft is neither read nor copied: for a 1,000-node IVR, parsing and copying it were
        # most of a save's time, and the UPDATE serialises `body` at once, so nothing aliases it later.
        doc = self.get(kind, name, with_draft=False)
        result = self.session.execute(
            update(Document)
            .where(Document.id == doc.id, Document.draft_revision == base_revision)
            .values(draft=body, draft_revision=base_revision + 1,
                    draft_updated_at=utcnow(), draft_updated_by=self.actor)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            self.session.refresh(doc)
            raise Conflict(
                f"{kind} document {name!r} was changed by {doc.draft_updated_by or 'someone'} "
                f"(revision {doc.draft_revision}) since your revision {base_revision}; "
                "reload it and apply your edit again",
                doc.draft_revision,
            )
        # The same session may hold this document with its old draft loaded (edit then publish in one
        # unit of work): forget it, so the next read of `draft` sees what was just written.
        self.session.expire(doc, ["draft"])
        self.session.refresh(doc, ["draft_revision", "draft_updated_at", "draft_updated_by"])
        if placed:
            layouts.write(self.session, doc, placed, self.actor, merge=True)
        audit.record(self.session, self.actor, "document.save_draft", kind, name,
                     {"revision": doc.draft_revision})
        return doc

    # -- validation and publishing -----------------------------------------------------------------
    def validate(self, kind: str, body: dict[str, Any], source: str | None = None) -> list[Finding]:
        """Schema then semantic lint of a body against this tenant (published references)."""
        _check_kind(kind)
        return check(kind, body, lint_context.build(self.session), source=source)

    def publish(self, kind: str, name: str, note: str = "", base_revision: int | None = None) -> DocumentVersion:
        """Publishes the draft as a new immutable version; refused with every finding if it has errors."""
        _check_note(note)
        doc = self.get(kind, name)
        if base_revision is not None and base_revision != doc.draft_revision:
            raise Conflict(f"{kind} document {name!r} changed since revision {base_revision}; "
                           "review the latest draft before publishing", doc.draft_revision)
        findings = self.validate(kind, doc.draft)
        if has_errors(findings):
            audit.record_kept_on_rollback(self.session, self.actor, "document.publish_refused", kind, name,
                                         {"findings": [f.as_dict() for f in findings if f.severity == "error"]})
            raise InvalidDocument(f"{kind} document {name!r} cannot be published", findings)
        version = self._new_version(doc, doc.draft, note)
        audit.record(self.session, self.actor, "document.publish", kind, name,
                     {"version": version.number, "revision": doc.draft_revision, "note": note,
                      "warnings": len(findings)})
        return version

    def rollback(self, kind: str, name: str, number: int, note: str = "") -> DocumentVersion:
        """Publishes a copy of version `number` as a new version and makes it the draft again.

        The old body is re-validated: a form or queue it refers to may have gone since.
        """
        _check_note(note)
        doc = self.get(kind, name)
        old = self.version(kind, name, number)
        findings = self.validate(kind, old.body)
        if has_errors(findings):
            raise InvalidDocument(f"version {number} of {kind} document {name!r} is no longer valid", findings)
        version = self._new_version(doc, old.body, note, rollback_of=number)
        self.session.execute(
            update(Document).where(Document.id == doc.id)
            .values(draft=_copy(old.body), draft_revision=Document.draft_revision + 1,
                    draft_updated_at=utcnow(), draft_updated_by=self.actor)
            .execution_options(synchronize_session=False)
        )
        self.session.refresh(doc)
        audit.record(self.session, self.actor, "document.rollback", kind, name,
                     {"version": version.number, "rollback_of": number})
        return version

    def _new_version(self, doc: Document, body: dict[str, Any], note: str,
                     rollback_of: int | None = None) -> DocumentVersion:
        latest = self.session.scalar(
            select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == doc.id)) or 0
        version = DocumentVersion(document_id=doc.id, number=latest + 1, body=_copy(body),
                                  author=self.actor, note=note, rollback_of=rollback_of)
        self.session.add(version)
        try:
            with self.session.begin_nested():
                self.session.flush()
        except IntegrityError:
            raise Conflict(f"{doc.kind} document {doc.name!r} was published by someone else just now; "
                           "try again", doc.draft_revision) from None
        doc.published_version = version.number
        queue_event(self.session, {"type": "document.published", "tenant_id": doc.tenant_id, "kind": doc.kind,
                                   "name": doc.name, "version": version.number})
        return version

    # -- comparing ---------------------------------------------------------------------------------
    def diff(self, kind: str, name: str, old: int | str, new: int | str = DRAFT) -> list[Change]:
        """Changes from version `old` to version `new` (either may be "draft"); node positions are layout, kept
        apart since issue 16, and a version published before that still carries them: they are left out."""
        return diff(layouts.without_positions(self.body(kind, name, old)),
                    layouts.without_positions(self.body(kind, name, new)))


def _copy(body: dict[str, Any]) -> dict[str, Any]:
    """A private copy of a JSON body; a JSON round trip is several times faster than deepcopy."""
    return json.loads(json.dumps(body))


def _check_name(name: str) -> None:
    import re

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,63}", name or ""):
        raise InvalidDocument("bad document name", [Finding(
            "", "error", f"document name {name!r} must start with a letter or '_' and use only letters, "
            "digits, '_' and '-' (at most 64)", "bad-name")])


def _check_bounds(kind: str, body: dict[str, Any]) -> None:
    """Refuses a draft the designer could not open usably (an IVR menu of thousands of options froze it)."""
    found = ivr_bounds.bound_findings(body) if kind == "ivr" else []
    if found:
        raise InvalidDocument("the draft is too large to edit; nothing was saved", found)


def _check_note(note: str) -> None:
    """A note over NOTE_MAX characters is refused here too, for callers other than the API (CLI, templates)."""
    if len(note) > NOTE_MAX:
        raise InvalidDocument("note too long", [Finding(
            "", "error", f"the note has {len(note)} characters; at most {NOTE_MAX}", "note-too-long")])


def _check_object(body: Any) -> None:
    if not isinstance(body, dict):
        raise InvalidDocument("bad document body", [Finding(
            "", "error", f"a document body must be a JSON object, not {type(body).__name__}", "schema")])
