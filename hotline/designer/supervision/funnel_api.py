"""The IVR funnel as JSON for the designer canvas: GET /supervision/api/funnel?ivr=<name>&version=<n>
[&compare=<m>]&from=&to= (days in the tenant's zone, default the last 7). Analysts, supervisors and tenant admins.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from ...platform.models import Role, Tenant
from ...platform.reports.funnel import funnel, versions
from ...platform.reports.periods import PeriodError, parse
from ...platform.wallboard.today import tenant_zone
from .common import tenant_session

READ_FUNNEL = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.TENANT_ADMIN})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/funnel", "api_funnel", funnel_api, methods=["GET"])


def _version(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        raise BadRequest(f"{name}: {raw[:20]!r} is not a version number")
    return int(raw)


def funnel_api() -> ResponseReturnValue:
    document = request.args.get("ivr", "main").strip()
    if not document or len(document) > 64:
        raise BadRequest("ivr: the IVR document's name (1-64 characters)")
    version, compare = _version("version"), _version("compare")
    with tenant_session(READ_FUNNEL) as (session, who):
        tenant_id = who.tenant.tenant_id
        tenant = session.get(Tenant, tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        try:
            period = parse(request.args.get("from", "")[:10], request.args.get("to", "")[:10], "total", zone,
                           datetime.now(UTC).astimezone(zone).date())
        except PeriodError as exc:
            raise BadRequest(str(exc)) from None
        known = versions(session, tenant_id, document)
        if version is None:
            version = known[0] if known else 1
        body = {"from": period.first.isoformat(), "to": period.last.isoformat(), "timezone": zone.key,
                "versions": known, "funnel": funnel(session, tenant_id, document, version, period)}
        if compare is not None:
            body["compare"] = funnel(session, tenant_id, document, compare, period)
    return jsonify(body)
