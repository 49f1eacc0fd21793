"""The JSON API under /api: one blueprint, with a nested blueprint per area.

Areas: session, documents (and their template comparison), kind schemas, the designer context, prompts,
form preview, interactive test calls, and the OpenAPI document that describes them all.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ...platform.services.errors import ServiceError
from .. import quotas
from ..auth import principal
from . import (
    context,
    data_tables,
    dispatch_trial,
    documents,
    kinds,
    openapi,
    preview,
    prompt_preview,
    prompts,
    queues,
    session,
    template_docs,
    test_calls,
)
from .errors import service_error

#: Not counted against the tenant's API quota: the load balancer's probe and signing in or out.
UNCOUNTED = frozenset({"api.health", "api.session.get_session", "api.session.create_session",
                       "api.session.delete_session"})


def _count_api_request() -> None:
    """Every API request of a tenant counts against its per-minute quota (429 beyond it)."""
    who = principal()
    if who is not None and who.tenant is not None and request.endpoint not in UNCOUNTED:
        quotas.enforce("api", who.tenant.tenant_id)


def blueprint() -> Blueprint:
    bp = Blueprint("api", __name__, url_prefix="/api")
    bp.register_error_handler(ServiceError, service_error)
    bp.before_request(_count_api_request)

    @bp.get("/health")
    def health() -> ResponseReturnValue:
        return jsonify(status="ok", database=current_app.extensions["hotline.db"].dialect)

    for area in (session, documents, template_docs, kinds, context, prompts, prompt_preview, preview, test_calls,
                 data_tables, queues, dispatch_trial, openapi):
        bp.register_blueprint(area.blueprint())
    return bp
