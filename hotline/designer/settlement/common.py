"""Who may use the settlement pages, and their errors.

Tenant admins edit vendors, contracts and monthly entries and sign statements off; the finance role reads
everything here and signs statements off (it edits no terms: who sets the price does not also approve the bill);
supervisors read statements, exports and the vendor comparison. Every
query runs in the current tenant's scoped session: another tenant's vendor is a 404.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import BadRequest

from ...platform.models import Role
from ...platform.services.ticket_lists import tenant_zone
from ...platform.settlement.inputs import Month, parse_month
from .. import area_common
from ..area_common import tenant_session

__all__ = ["EDIT", "READ", "SIGN", "month_arg", "tenant_session"]

EDIT = frozenset({Role.TENANT_ADMIN})
SIGN = frozenset({Role.TENANT_ADMIN, Role.FINANCE})
READ = frozenset({Role.TENANT_ADMIN, Role.SUPERVISOR, Role.FINANCE})

_errors = area_common.AreaErrors("/settlement/api/")
handle_http_error = _errors.http_error
handle_service_error = _errors.service_error


def month_arg(session: object, source: dict | None = None) -> Month:
    """The `month` argument (YYYY-MM) in the tenant's zone; the previous month when absent (the month that is
    settled); a bad one is a 400 naming it."""
    from datetime import UTC, datetime

    zone = tenant_zone(session)  # type: ignore[arg-type]
    raw = ((source if source is not None else request.args).get("month") or "").strip()
    if not raw:
        today = datetime.now(UTC).astimezone(zone).date()
        last = today.replace(day=1)
        raw = f"{last.year - 1}-12" if last.month == 1 else f"{last.year}-{last.month - 1:02d}"
    try:
        return parse_month(raw, zone)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
