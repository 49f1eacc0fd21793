"""Every date-time column of the administration in the reader's zone, with the zone said (admin review, item 2:
/admin/tenant/ showed "2026-12-07 15:57:19.347921+00:00" after the tenant's zone became America/New_York).

One formatter for every model view (base.py mixes `ZonedTimesMixin` into both base views): a tenant admin reads
the current tenant's zone (tenant_zone.zone_name, the shell's zone); the platform operator reads each row's
tenant's zone (a tenant row: its own), and a row of no tenant (a user) in UTC, said explicitly. Seconds, no
microseconds; a naive value (SQLite drops the offset) is UTC, as the application stores it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, has_request_context
from sqlalchemy.exc import SQLAlchemyError

from ...platform.models import Tenant
from .. import auth, tenant_zone

UTC_NAME = "UTC"


def zoned(moment: datetime, zone: str | None) -> str:
    """'2026-12-07 10:57:19 America/New_York': the time in `zone` (UTC when unknown) followed by the zone."""
    name = zone or UTC_NAME
    try:
        tz = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        name, tz = UTC_NAME, ZoneInfo(UTC_NAME)
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone(tz):%Y-%m-%d %H:%M:%S} {name}"


def tenant_zone_of(tenant_id: int | None) -> str | None:
    """The zone of tenant `tenant_id` (the desk's rule), read once per request and tenant; None without one."""
    if tenant_id is None:
        return None
    cache: dict[int, str | None] = g.setdefault("_hl_admin_zones", {})
    if tenant_id not in cache:
        from ..desk.common import timezone_of

        try:
            with auth.database().platform() as session:
                cache[tenant_id] = timezone_of(session, tenant_id)
        except SQLAlchemyError:
            cache[tenant_id] = None
    return cache[tenant_id]


def row_tenant(model: Any) -> int | None:
    """The tenant a platform row belongs to: a tenant is its own; a row of no tenant (a user) has none."""
    if isinstance(model, Tenant):
        return model.id
    return getattr(model, "tenant_id", None)


class ZonedTimesMixin:
    """Formats any date-time a list or details page would show (whatever the column), after the view's own
    column formatters: those that return a datetime are zoned too."""

    #: True for views of platform-wide rows, read by the operator in each row's tenant's zone.
    zone_per_row = False

    def zone_for(self, model: Any) -> str | None:
        if not has_request_context():
            return None
        if self.zone_per_row:
            return tenant_zone_of(row_tenant(model))
        return tenant_zone.zone_name(auth.principal())

    def _get_list_value(self, context: Any, model: Any, name: str, column_formatters: Any,
                        column_type_formatters: Any) -> Any:
        value = super()._get_list_value(  # type: ignore[misc]
            context, model, name, column_formatters, column_type_formatters)
        if isinstance(value, datetime):
            return zoned(value, self.zone_for(model))
        return value
