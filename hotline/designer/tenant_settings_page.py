"""The tenant admin's settings page, `/tenant/settings`: the tenant's time zone (tenant-creation QA, item 4).

The zone could only be changed as raw JSON in the operator's /admin/tenant/edit, under two keys (`timezone`
and `calendar.timezone`). Here a tenant admin picks an IANA zone from a list that shows each one's UTC
offset; the server accepts only a zone of that list, stores it once as `timezone` and drops
`calendar.timezone` (readers go through platform/tenant_zone.py). Saving the settings tells every runtime
to reload the tenant's routes (platform/tenant_events.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..platform.models import Role, Tenant
from ..platform.services import audit
from ..platform.tenant_zone import zone_name
from .auth import database, require_tenant

STRINGS = {
    "Tenant settings": {"zh_CN": "租户设置"},
    "Time zone": {"zh_CN": "时区"},
    "Save": {"zh_CN": "保存"},
    "Choose a time zone from the list.": {"zh_CN": "请从列表中选择一个时区。"},
    "Time zone saved: {zone}.": {"zh_CN": "时区已保存：{zone}。"},
    "Business hours, call windows and every time on the tenant's pages use this zone.": {
        "zh_CN": "营业时间、拨打时段及本租户页面上的所有时间都按此时区计算。"},
}


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(z for z in available_timezones() if "/" in z or z == "UTC") - {"Factory"}


def zone_choices(now: datetime) -> list[tuple[str, str]]:
    """(IANA name, "name (UTC+hh:mm)") for every zone, by offset then name, at the instant `now`."""
    rows = []
    for name in _zone_names():
        offset = now.astimezone(ZoneInfo(name)).utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "+" if minutes >= 0 else "-"
        rows.append((minutes, name, f"{name} (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"))
    return [(name, label) for _, name, label in sorted(rows)]


def settings_page() -> ResponseReturnValue:
    who = require_tenant(frozenset({Role.TENANT_ADMIN}))
    assert who.tenant is not None
    error = None
    with database().platform() as db_session:
        tenant = db_session.get(Tenant, who.tenant.tenant_id)
        assert tenant is not None
        current = zone_name(tenant.settings)
        if request.method == "POST":
            chosen = (request.form.get("timezone") or "")[:64]
            if chosen not in _zone_names():
                error = "Choose a time zone from the list."
            else:
                settings = dict(tenant.settings or {})
                calendar = settings.get("calendar")
                if isinstance(calendar, dict) and "timezone" in calendar:
                    settings["calendar"] = {k: v for k, v in calendar.items() if k != "timezone"}
                settings["timezone"] = chosen
                tenant.settings = settings
                audit.record(db_session, who.username, "tenant.timezone", "tenant", tenant.slug,
                             {"from": current, "to": chosen}, tenant_id=tenant.id)
                flash({"text": "Time zone saved: {zone}.", "zone": chosen})
                return redirect(url_for("account.tenant_settings"))
    return render_template("tenant_settings.html", zones=zone_choices(datetime.now(UTC)), current=current,
                           error=error), 400 if error else 200
