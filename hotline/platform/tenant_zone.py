"""A tenant's one time zone, read from its settings in one place.

A tenant's settings may name a zone twice: `timezone` and `calendar.timezone` (the business hours'). Pages
read them in different orders — tickets, numbering and the desk took the calendar's first, the wallboard,
reports and campaign exports the top-level one, ticket search only the top-level one — so a tenant whose two
differed saw Beijing time on one page and another zone on the next (issue 16). Every reader asks here now,
and the settings check refuses two different zones (tenant_settings.ZONES_DIFFER).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)


def zone_name(settings: Mapping[str, Any] | None) -> str:
    """The zone's IANA name: the calendar's, else the tenant's, else UTC."""
    settings = settings or {}
    calendar = settings.get("calendar") if isinstance(settings.get("calendar"), Mapping) else {}
    return str((calendar or {}).get("timezone") or settings.get("timezone") or "UTC")


def zone_of(settings: Mapping[str, Any] | None) -> ZoneInfo:
    """The zone itself; UTC (with a warning) when the settings name no known zone."""
    name = zone_name(settings)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r in tenant settings; times are shown in UTC", name)
        return ZoneInfo("UTC")


def tenant_calendar(settings: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The tenant's business calendar with the tenant's one zone in it; None when it has no calendar.

    The zone is stored once, as `timezone` (the tenant settings page writes only that key and drops
    `calendar.timezone`, tenant-creation QA item 4); a calendar saved before still names its own zone, and
    while it does that one wins, as it always did for calls (`zone_name`). Every calendar reader asks here.
    """
    calendar = (settings or {}).get("calendar")
    if not isinstance(calendar, Mapping) or not calendar:
        return None
    return {**calendar, "timezone": zone_name(settings)}
