"""Outbound campaigns for campaign operators and tenant admins (issue 13).

Pages: /campaigns/ (list), /campaigns/new, /campaigns/<id> (detail with start/pause/resume/stop, live progress
from /campaigns/<id>/events), /campaigns/<id>/export?format=csv|xlsx; /campaigns/lists (contact lists: import,
built from tenant data), /campaigns/dnc (the tenant's do-not-call list), /campaigns/tasks/windows (the call-task
campaign's windows), /campaigns/platform-dnc (the platform-wide list, platform operators only). Every figure and
rule is the platform's (hotline.platform.outbound); this package decides who sees which tenant and renders.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from ...platform.services.errors import ServiceError
from . import common, lists, messages, pages, platform_dnc, strings, task_windows

#: The progress page's plain JS (no build step): <repository>/static/campaigns/.
STATIC = Path(__file__).resolve().parents[3] / "static" / "campaigns"


def blueprint() -> Blueprint:
    strings.register()
    bp = Blueprint("campaigns", __name__, url_prefix="/campaigns", template_folder="templates",
                   static_folder=str(STATIC), static_url_path="/static")
    bp.register_error_handler(HTTPException, common.handle_http_error)
    bp.register_error_handler(ServiceError, common.handle_service_error)
    messages.register(bp)
    pages.register(bp)
    lists.register(bp)
    task_windows.register(bp)
    platform_dnc.register(bp)
    return bp
