"""The designer pages: the tenant's documents by kind, and the page hosting the visual editors.

The pages only host the front end (frontend/, built into static/designer/): the editors themselves talk to
the JSON API under /api like any client. Every page works in the signed-in user's current tenant through a
tenant-scoped session, so a document name of another tenant is simply not found (404).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select

from ...platform.kinds import KINDS
from ...platform.kinds.starters import starter_body
from ...platform.models import Document
from ...platform.services.documents import DocumentService
from ...platform.services.errors import ServiceError
from ..auth import READ_DOCUMENTS, WRITE_DOCUMENTS, Principal, database, login_required, require_user
from ..i18n import current_locale
from ..security_headers import allow_eval
from . import assets, jobs_health, strings

#: Schema files the front end may fetch to bundle a kind's schema (its shared definitions).
SCHEMA_FILES = {"common.schema.json": ("common.schema.json",),
                **{f"{kind}.schema.json": (kind, "schema.json") for kind in KINDS}}


def _working_principal() -> Principal | None:
    """The principal working in a tenant they may read; None means "choose a tenant first"."""
    who = require_user()
    if who.tenant is None:
        return None
    if not who.may(READ_DOCUMENTS):
        abort(404)  # no role here: the designer does not exist for them
    return who


def _choose_tenant() -> ResponseReturnValue:
    return redirect(url_for("auth.choose_tenant", next=request.full_path.rstrip("?")))


def boot_data(who: Principal, kind: str, name: str) -> dict[str, Any]:
    """What the bundle starts from (script#boot): no document body, so the page stays small for any size."""
    assert who.tenant is not None
    return {
        "tenant": {"slug": who.tenant.slug, "title": who.tenant.title},
        "kind": kind,
        "name": name,
        "locale": current_locale(),
        "csrf_token": generate_csrf(),
        "user": {
            "username": who.username,
            "roles": sorted(r.value for r in who.tenant.roles)
            + (["platform_operator"] if who.is_platform_operator else []),
            "can_write": who.may(WRITE_DOCUMENTS),
        },
        "api": "/api",
        "login_url": url_for("auth.login"),
    }


def _json_for_script(data: dict[str, Any]) -> Markup:
    """JSON safe inside <script>: no "</" or "<!--" can end the element early."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def blueprint() -> Blueprint:
    strings.register()
    # No url_prefix: the same blueprint serves the built assets under /static/designer/ (one blueprint is
    # what the app factory registers for this area).
    bp = Blueprint("studio", __name__, template_folder="templates")

    @bp.get("/static/designer/<path:filename>")
    def designer_asset(filename: str) -> ResponseReturnValue:
        return assets.serve(filename)

    jobs_health.register(bp)

    @bp.get("/studio/")
    @login_required
    def index() -> ResponseReturnValue:
        who = _working_principal()
        if who is None:
            return _choose_tenant()
        assert who.tenant is not None
        with database().tenant(who.tenant.tenant_id) as session:
            rows = session.execute(
                select(Document.kind, Document.name, Document.draft["title"].as_string(), Document.published_version,
                       Document.draft_updated_by).order_by(Document.kind, Document.name)).all()
        by_kind: dict[str, list[Any]] = {kind: [] for kind in KINDS}
        for row in rows:
            by_kind.setdefault(row[0], []).append(row)
        return render_template("studio/index.html", by_kind=by_kind, kinds=KINDS,
                               can_write=who.may(WRITE_DOCUMENTS), error=request.args.get("error"),
                               jobs=jobs_health.job_health())

    @bp.post("/studio/new")
    @login_required
    def create() -> ResponseReturnValue:
        who = _working_principal()
        if who is None:
            return _choose_tenant()
        if not who.may(WRITE_DOCUMENTS):
            abort(403)
        assert who.tenant is not None
        kind, name = request.form.get("kind", ""), request.form.get("name", "").strip()
        if kind not in KINDS:
            abort(404)
        try:
            with database().tenant(who.tenant.tenant_id) as session:
                DocumentService(session, who.username).create(kind, name, starter_body(kind, name, current_locale()))
        except ServiceError as exc:
            findings = getattr(exc, "findings", None) or []
            message = findings[0].message if findings else str(exc)
            return redirect(url_for(".index", error=message))
        return redirect(url_for(".document", kind=kind, name=name))

    @bp.get("/studio/<kind>/<name>")
    @login_required
    def document(kind: str, name: str) -> ResponseReturnValue:
        who = _working_principal()
        if who is None:
            return _choose_tenant()
        assert who.tenant is not None
        if kind not in KINDS:
            abort(404)
        # Only the id and title: the body (possibly thousands of nodes) is loaded by the editor through the API.
        with database().tenant(who.tenant.tenant_id) as session:
            row = session.execute(select(Document.id, Document.draft["title"].as_string())
                                  .where(Document.kind == kind, Document.name == name)).first()
        if row is None:
            abort(404)
        allow_eval()  # the schema forms compile JSON Schemas in the browser (security_headers.py)
        return render_template("studio/document.html", kind=kind, name=name, doc_title=row[1] or name,
                               boot=_json_for_script(boot_data(who, kind, name)), assets=assets.entry_assets(kind=kind))

    @bp.get("/studio/schemas/<filename>")
    @login_required
    def schema_file(filename: str) -> ResponseReturnValue:
        """The kinds' schema files, for the front end to resolve the shared definitions a kind refers to."""
        parts = SCHEMA_FILES.get(filename)
        if parts is None:
            abort(404)
        text = resources.files("hotline.platform.kinds").joinpath(*parts).read_text("utf-8")
        return current_app.response_class(text, mimetype="application/json")

    return bp
