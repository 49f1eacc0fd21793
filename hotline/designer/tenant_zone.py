"""The current tenant's time zone, for the shell: every page says in which zone its times are (issue 16: pages
showed Beijing time, UTC or no zone). One zone per tenant (its calendar's, else its settings'), read once per
request; pages format their times in it (desk/common.local_time and the areas' own formatting)."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g
from sqlalchemy.exc import SQLAlchemyError

from .auth import Principal, database

log = logging.getLogger(__name__)

STRINGS = {"Time zone": {"zh_CN": "时区"}}


def zone_name(who: Principal | None) -> str | None:
    """The tenant's IANA zone name, or None outside a tenant (or when the database cannot say)."""
    if who is None or who.tenant is None:
        return None
    if "_hl_zone" in g:
        return g._hl_zone
    from .desk.common import timezone_of  # the desk's rule: calendar zone, then settings, then UTC

    try:
        with database().platform() as session:
            name: str | None = timezone_of(session, who.tenant.tenant_id)
    except SQLAlchemyError:  # the shell must render even on the database-unavailable page
        log.warning("tenant zone unavailable", exc_info=True)
        name = None
    g._hl_zone = name
    return name


def zone_label(who: Principal | None) -> str | None:
    """'Asia/Shanghai (UTC+08:00)': the name and today's offset, so a reader in another zone can convert."""
    name = zone_name(who)
    if name is None:
        return None
    try:
        offset = datetime.now(ZoneInfo(name)).strftime("%z")
    except (ZoneInfoNotFoundError, ValueError):
        return name
    return f"{name} (UTC{offset[:3]}:{offset[3:]})"
