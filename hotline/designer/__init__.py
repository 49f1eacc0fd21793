"""The web application. This first slice shows the platform's state; the designers come next."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, jsonify, render_template, request

from ..platform.db import Database
from ..platform.services.documents import DocumentService
from ..platform.services.errors import NotFound
from ..platform.services.tenants import get_tenant, list_tenants
from ..platform.settings import Settings
from .i18n import translate


def create_app(settings: Settings, db: Database | None = None) -> Flask:
    """App factory: settings and database passed in, nothing global."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.web_secret_key, HOTLINE_LOCALE=settings.web_locale)
    database = db or Database(settings.database_url, settings.database_echo)
    app.extensions["hotline.db"] = database

    @app.context_processor
    def _i18n() -> dict[str, Any]:
        locale = request.args.get("lang") or app.config["HOTLINE_LOCALE"]
        return {"_": lambda text: translate(text, locale), "locale": locale}

    @app.get("/")
    def overview() -> str:
        with database.platform() as session:
            tenants = [(t.slug, t.title, t.template) for t in list_tenants(session)]
        return render_template("overview.html", tenants=tenants)

    @app.get("/tenants/<slug>")
    def tenant(slug: str) -> str:
        with database.platform() as session:
            try:
                found = get_tenant(session, slug)
            except NotFound:
                abort(404)
            title, tenant_id = found.title, found.id
        with database.tenant(tenant_id) as session:
            docs = [(d.kind, d.name, d.draft.get("title", ""), d.published_version, d.draft_revision)
                    for d in DocumentService(session, "web").list()]
        return render_template("tenant.html", slug=slug, title=title, documents=docs)

    @app.get("/api/health")
    def health() -> Any:
        return jsonify(status="ok", database=database.dialect)

    return app
