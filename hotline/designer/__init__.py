"""The web application: sign-in, overview pages and the JSON API the designer pages are built on.

Everything is wired here, in the factory: settings and the database are passed in, each area is a
blueprint, and nothing lives at module level, so tests build one app per test against their own database.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException, InternalServerError

from ..platform import words
from ..platform.db import Database
from ..platform.redis_conn import RedisConnections
from ..platform.secret_key import require_strong
from ..platform.settings import Settings
from . import (
    account,
    admin,
    api,
    auth,
    campaigns,
    database_unavailable,
    desk,
    gallery,
    hashed_static,
    health,
    nav,
    pages,
    quality,
    records,
    redis_access,
    request_deadline,
    schedules,
    security_headers,
    sessions,
    settlement,
    state_labels,
    studio,
    supervision,
    tenant_zone,
    wallboard,
)
from .api.errors import json_error
from .i18n import current_locale, remember_locale, translate
from .i18n import extend as i18n_extend
from .request_input import flash_text
from .request_input import register as register_request_input

#: Enough for the largest IVR tree by far; anything bigger is a mistake or an attack.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


def create_app(settings: Settings, db: Database | None = None, redis: RedisConnections | None = None, *,
               testing: bool = False) -> Flask:
    """App factory: settings, database and (optionally) Redis passed in, nothing global.

    Refuses (SettingsError) a missing, published or short secret key unless `testing`; `hotline up` on
    localhost hands in a key of its own (platform/secret_key.py).
    """
    if not testing:
        require_strong(settings.web_secret_key)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.web_secret_key,
        HOTLINE_LOCALE=settings.web_locale,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE=settings.web_cookie_samesite,
        SESSION_COOKIE_SECURE=settings.web_https,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.web_session_absolute_hours),
        # The token lives as long as the session: a designer tab left open an hour must still save.
        WTF_CSRF_TIME_LIMIT=None,
    )
    register_request_input(app)  # before CSRF and the blueprints: body limits, bounded ids, checked JSON
    app.extensions["hotline.db"] = db or Database(settings.database_url, settings.database_echo)
    if app.extensions["hotline.db"].secrets is None:
        app.extensions["hotline.db"].use_secret_key(settings.web_secret_key)
    app.extensions[redis_access.SETTINGS] = settings
    request_deadline.install(app, app.extensions["hotline.db"].engine, settings.web_request_timeout)
    if redis is not None:
        app.extensions[redis_access.EXTENSION] = redis
    sessions.install(app, app.extensions["hotline.db"], settings.web_session_idle_minutes,
                     settings.web_session_absolute_hours)
    if settings.web_https:
        app.after_request(_strict_transport_security)
    app.after_request(_retry_after_on_429)
    CSRFProtect(app)
    security_headers.register(app)
    app.before_request(remember_locale)
    for area in (auth, account, pages, api, studio, gallery, desk, records, supervision, wallboard, campaigns,
                 quality, settlement, schedules):
        app.register_blueprint(area.blueprint())
    app.register_error_handler(HTTPException, _http_error)
    database_unavailable.install(app, _http_error)  # pool exhausted or database down: 503, not a crash
    admin.register(app, app.extensions["hotline.db"])
    app.register_blueprint(health.blueprint())  # /healthz for the load balancer
    hashed_static.register(app)  # /assets/<folder>/<name>.<hash>.<ext>, the `asset()` template global
    app.add_template_global(state_labels.state_label, "state_label")  # agent states as words in either language
    nav.register_strings()
    i18n_extend(tenant_zone.STRINGS)

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        locale = current_locale()
        who = auth.principal()
        links = nav.links(who)
        return {"_": lambda text: translate(text, locale), "locale": locale, "principal": who,
                "role_labels": lambda codes: words.role_labels(codes, locale),
                "word_list": lambda items: words.word_list(items, locale),
                "actor_label": lambda actor: words.actor_label(actor, locale),
                "nav_links": links, "nav_groups": nav.grouped(links),
                "nav_current": nav.current(links, request.path),
                "shows_presence": nav.shows_presence(who), "tenant_zone": tenant_zone.zone_label(who)}

    return app


#: Retry-After for a 429 whose code path named no wait of its own (QA of issue 10, item 5).
DEFAULT_RETRY_AFTER_SECONDS = 60


def _retry_after_on_429(response: Response) -> Response:
    """Every 429 tells the client when to come back (RFC 6585 §4): a quota or limit that forgot gets a minute."""
    if response.status_code == 429:
        response.headers.setdefault("Retry-After", str(DEFAULT_RETRY_AFTER_SECONDS))
    return response


def _strict_transport_security(response: Response) -> Response:
    """Behind HTTPS (`web.https`): browsers must never come back over plain HTTP (a year, as is usual)."""
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    """JSON for the API (every error, including unknown URLs and wrong methods); pages for the rest."""
    if isinstance(exc, InternalServerError) and database_unavailable.is_unavailable(exc.original_exception):
        exc = database_unavailable.DatabaseUnavailable()  # raised outside the views (Flask's last resort)
    status = exc.code or 500
    if request.path == "/api" or request.path.startswith("/api/"):
        response, status = json_error(status, exc.description or exc.name)
        if status == 405:
            response.headers["Allow"] = ", ".join(getattr(exc, "valid_methods", None) or [])
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)  # type: ignore[attr-defined]
        return response, status
    if status == 401:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    message = {404: "Page not found", 403: "Not allowed"}.get(status, exc.name)
    detail = error_detail(exc)
    if status == 400 and "CSRF" in (exc.description or ""):
        message, detail = "The form expired; reload the page and try again.", None
    retry = {"Retry-After": str(exc.retry_after)} if getattr(exc, "retry_after", None) else {}
    if status == 429:  # quotas and sign-in back-off: say what ran out and how long to wait
        return render_template("error.html", status=status, message=exc.description or exc.name), status, retry
    return render_template("error.html", status=status, message=message, detail=detail), status, retry


def error_detail(exc: HTTPException) -> str | None:
    """The what/where/why a view gave its error (`BadRequest("field 'x' must be ...")`), for the page under
    the status's name; None for werkzeug's stock sentence of that status, which says nothing more."""
    words = getattr(exc, "words", None)
    if isinstance(words, dict):  # a sentence with values, in the reader's language (one language per page)
        return flash_text(words)
    description = exc.description
    if not description or description == type(exc).description:
        return None
    return str(description)
