"""Supervision of tickets: overdue lists, urging (催办), the log of dispatch rule firings, call-back tasks.

Pages: /supervision/overdue, /supervision/dispatch (待派单), /supervision/tickets/<number>/firings.
JSON: /supervision/api/overdue, /supervision/api/dispatch, /supervision/api/tickets/<number>/urge,
/supervision/api/tickets/<number>/respond,
/supervision/api/tickets/<number>/firings, /supervision/api/callbacks.
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from ...platform.services.errors import ServiceError
from . import (
    callbacks_api,
    common,
    dashboard,
    dispatch_list,
    firings,
    funnel_api,
    overdue,
    report_records,
    report_saved,
    report_strings,
    reports,
    responses,
    staffing,
    strings,
)


def blueprint() -> Blueprint:
    strings.register()
    report_strings.register()
    bp = Blueprint("supervision", __name__, url_prefix="/supervision", template_folder="templates")
    bp.register_error_handler(HTTPException, common.handle_http_error)
    bp.register_error_handler(ServiceError, common.handle_service_error)
    for area in (overdue, dispatch_list, firings, callbacks_api, staffing, responses, reports, report_records,
                 report_saved, dashboard, funnel_api):
        area.register(bp)
    return bp
