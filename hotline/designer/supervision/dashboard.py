"""The site manager's dashboard (业务现场管理): today's calls and today's business side by side.

Page: GET /supervision/dashboard (refreshes itself every 30 s with a <meta> refresh: no script). JSON:
GET /supervision/api/dashboard. Figures from platform/reports/dashboard.py, coloured as on the wallboard.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from ...platform.reports.dashboard import BUSINESS, site_dashboard
from ..auth import database
from ..wallboard.source import acd_reader
from .common import SUPERVISE, tenant_session

CALLS = ("offered", "answered", "abandoned", "abandoned_short", "abandon_rate", "service_level", "asa", "aht",
         "waiting")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/dashboard", "dashboard", dashboard_page, methods=["GET"])
    bp.add_url_rule("/api/dashboard", "api_dashboard", dashboard_api, methods=["GET"])


def _figures() -> dict:
    with tenant_session(SUPERVISE) as (_session, who):
        tenant_id = who.tenant.tenant_id
    try:
        reader = acd_reader()
    except Exception:  # no Redis: the calls side shows today's totals without the live part
        reader = None
    return site_dashboard(database(), tenant_id, reader)


def dashboard_page() -> ResponseReturnValue:
    return render_template("supervision/dashboard.html", figures=_figures(), calls=CALLS, business=BUSINESS)


def dashboard_api() -> ResponseReturnValue:
    return jsonify(_figures())
