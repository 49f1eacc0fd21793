"""The overview pages: the tenants a user may work in, and one tenant's documents."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..platform.services.documents import DocumentService
from .auth import READ_DOCUMENTS, database, login_required, require_user


def blueprint() -> Blueprint:
    bp = Blueprint("pages", __name__)

    @bp.get("/")
    @login_required
    def overview() -> str:
        who = require_user()
        tenants = [(t.slug, t.title, who.tenant is not None and t.tenant_id == who.tenant.tenant_id)
                   for t in who.tenants]
        return render_template("overview.html", tenants=tenants)

    @bp.get("/tenants/<slug>")
    @login_required
    def tenant(slug: str) -> str:
        who = require_user()
        access = next((t for t in who.tenants if t.slug == slug), None)
        # Not being allowed in looks exactly like the tenant not existing.
        if access is None or not (who.is_platform_operator or access.roles & READ_DOCUMENTS):
            abort(404)
        with database().tenant(access.tenant_id) as session:
            docs = [(d.kind, d.name, d.draft.get("title", ""), d.published_version, d.draft_revision)
                    for d in DocumentService(session, who.username).list()]
        return render_template("tenant.html", slug=slug, title=access.title, documents=docs)

    return bp
