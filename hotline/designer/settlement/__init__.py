"""Outsourcing settlement and vendor assessment (结算与外包考核): vendors, their agents and contracts, the monthly
statement with its Excel export and sign-off, and the vendor comparison with thresholds and alerts.

Pages under /settlement (docs/settlement.md for the routes and who may use each).
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from ...platform.services.errors import ServiceError
from . import assessment, common, statement, strings, vendors


def blueprint() -> Blueprint:
    strings.register()
    bp = Blueprint("settlement", __name__, url_prefix="/settlement", template_folder="templates")
    bp.register_error_handler(HTTPException, common.handle_http_error)
    bp.register_error_handler(ServiceError, common.handle_service_error)
    for area in (vendors, statement, assessment):
        area.register(bp)
    return bp
