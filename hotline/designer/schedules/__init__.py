"""Schedules and attendance (排班/考勤, issue 15 item 4): the week grid of shifts with create/edit/delete, import from
Excel/CSV, shifts drawn from the Erlang plan, and attendance (presence per day, adherence, overtime) with exports.

Pages under /schedules (docs/schedules.md); supervisors and tenant admins.
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from ...platform.services.errors import ServiceError
from . import attendance, common, drawing, imports, shifts, strings


def blueprint() -> Blueprint:
    strings.register()
    bp = Blueprint("schedules", __name__, url_prefix="/schedules", template_folder="templates")
    bp.register_error_handler(HTTPException, common.handle_http_error)
    bp.register_error_handler(ServiceError, common.handle_service_error)
    for area in (shifts, imports, drawing, attendance):
        area.register(bp)
    return bp
