"""Who may use the desk, the tenant session, and the agent id of the signed-in user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import abort
from sqlalchemy.orm import Session

from ...platform.models import Role, Tenant
from ...platform.services import ticket_desk
from ...platform.services.errors import NotFound
from ...platform.tenant_zone import zone_name
from ..auth import Principal, database, require_tenant

#: Working tickets and customers from the desk.
DESK_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.TENANT_ADMIN})
#: Taking calls (presence) is the agents' own.
CALL_ROLES = frozenset({Role.AGENT})


def require_desk() -> Principal:
    return require_tenant(DESK_ROLES)


def tenant_id(who: Principal) -> int:
    assert who.tenant is not None  # require_tenant made sure
    return who.tenant.tenant_id


@contextmanager
def tenant_session(who: Principal) -> Iterator[Session]:
    """The current tenant's session; a service NotFound inside (another tenant's ticket) is a 404."""
    try:
        with database().tenant(tenant_id(who)) as session:
            yield session
    except NotFound:
        abort(404)


def agent_id_of(who: Principal, *, create: bool = True) -> str | None:
    """The ACD agent id (extension) of the signed-in user; assigned on first use (docs/desk.md)."""
    with database().platform() as session:
        return ticket_desk.extension_of(session, who.user_id, create=create)


def timezone_of(session: Session, tenant: int) -> str:
    row = session.get(Tenant, tenant)
    return zone_name(row.settings if row is not None else None)  # the tenant's one zone (platform/tenant_zone.py)


def local_time(moment: datetime | None, zone: str) -> str:
    """A time as the tenant's agents read it: YYYY-MM-DD HH:MM:SS in the tenant's time zone."""
    if moment is None:
        return ""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
