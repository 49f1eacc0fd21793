"""The JSON API under /api: one blueprint, with a nested blueprint per area.

Areas: session, documents (and their template comparison), kind schemas, the designer context, prompts,
form preview, interactive test calls, and the OpenAPI document that describes them all.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from ...platform.services.errors import ServiceError
from . import context, data_tables, documents, kinds, openapi, preview, prompts, session, template_docs, test_calls
from .errors import service_error


def blueprint() -> Blueprint:
    bp = Blueprint("api", __name__, url_prefix="/api")
    bp.register_error_handler(ServiceError, service_error)

    @bp.get("/health")
    def health() -> ResponseReturnValue:
        return jsonify(status="ok", database=current_app.extensions["hotline.db"].dialect)

    for area in (session, documents, template_docs, kinds, context, prompts, preview, test_calls, data_tables,
                 openapi):
        bp.register_blueprint(area.blueprint())
    return bp
