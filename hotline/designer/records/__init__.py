"""Records an agent searches and keeps: tickets lists, customers, directory and coverage, knowledge base.

One module per page family (tickets, customers, directory, notifications, knowledge base) plus the JSON
endpoints the desk calls (`api.py`); `common.py` holds roles, the tenant session, errors and paging.
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from ...platform.services.errors import ServiceError
from . import api, common, customers, directory, kb, notification_log, strings, tickets


def blueprint() -> Blueprint:
    strings.register()
    bp = Blueprint("records", __name__, url_prefix="/records", template_folder="templates",
                   static_folder="static", static_url_path="/static")
    bp.register_error_handler(HTTPException, common.handle_http_error)
    bp.register_error_handler(ServiceError, common.handle_service_error)
    for area in (api, tickets, customers, directory, notification_log, kb):
        area.register(bp)
    return bp
