"""Recordings and quality assurance (质检): listening, score sheets, scoring, appeals, calibration, reports.

Pages under /quality (see docs/quality.md for the routes and who may use each); JSON under /quality/api/.
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from ...platform.services.errors import ServiceError
from . import (
    appeals,
    audit_log,
    common,
    evaluations,
    live,
    on_demand,
    recordings,
    reports,
    score_export,
    sheets,
    strings,
)


def blueprint() -> Blueprint:
    strings.register()
    bp = Blueprint("quality", __name__, url_prefix="/quality", template_folder="templates",
                   static_folder="static", static_url_path="/static")
    bp.register_error_handler(HTTPException, common.handle_http_error)
    bp.register_error_handler(ServiceError, common.handle_service_error)
    for area in (recordings, sheets, evaluations, appeals, reports, score_export, live, on_demand, audit_log):
        area.register(bp)
    return bp
