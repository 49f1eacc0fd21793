"""Checks of a tenant's settings object, as the operator edits it in the admin (QA of issue 11, item 10).

The settings JSON was saved as typed: an unknown time zone (`Mars/Base`) was accepted — every time on the
tenant's pages then fell back to UTC — and a partial object silently replaced the whole settings, dropping the
calendar, dispatch_alerts and the transfer allow-list. `merge` keeps the keys the edit does not name (a key is
removed only by setting it to null), and `problems` names each bad value by its JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Known keys and the JSON type each must have; other keys are kept as they are.
TYPES: dict[str, type | tuple[type, ...]] = {
    "timezone": str, "locale": str, "calendar": dict, "transfer_allow_list": list, "fallback_queue": str,
    "hotline": str, "dispatch_alerts": list,
}
TYPE_WORDS = {str: "text", dict: "an object", list: "a list"}


def known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def merge(old: Mapping[str, Any], submitted: Mapping[str, Any]) -> dict[str, Any]:
    """The old settings with the submitted keys replaced; a key submitted as null is removed."""
    merged = {**old, **submitted}
    return {key: value for key, value in merged.items() if value is not None}


#: The reasons `problems` gives, as templates (the admin shows them in the reader's language, labels.py).
NOT_OBJECT = "the settings must be a JSON object ({...})"
MUST_BE = "must be %(kind)s"
UNKNOWN_ZONE = "unknown time zone %(zone)s (an IANA name such as Asia/Shanghai)"
ALERT_SHAPE = "must be an object with a recipient (to)"
NUMBER_TEXT = "must be a phone number as text"
ZONES_DIFFER = "differs from /timezone (%(zone)s): a tenant has one time zone for every page and its calendar"
RETENTION_DAYS = "must be a whole number of days from %(low)s to %(high)s"


def problem_parts(settings: Any) -> list[tuple[str, str, dict[str, str]]]:
    """[(JSON path, reason template, its values)] of a settings object; empty when it is sound."""
    if not isinstance(settings, dict):
        return [("/", NOT_OBJECT, {})]
    found: list[tuple[str, str, dict[str, str]]] = []
    for key, kind in TYPES.items():
        if key in settings and not isinstance(settings[key], kind):
            found.append((f"/{key}", MUST_BE, {"kind": TYPE_WORDS.get(kind, str(kind))}))  # type: ignore[arg-type]
    zones = [("/timezone", settings.get("timezone"))]
    if isinstance(settings.get("calendar"), dict):
        zones.append(("/calendar/timezone", settings["calendar"].get("timezone")))
    for path, zone in zones:
        if isinstance(zone, str) and not known_zone(zone):
            found.append((path, UNKNOWN_ZONE, {"zone": repr(zone)}))
    named = [zone for _, zone in zones if isinstance(zone, str) and zone]
    if len(named) == 2 and named[0] != named[1]:  # pages would disagree on the time (platform/tenant_zone.py)
        found.append(("/calendar/timezone", ZONES_DIFFER, {"zone": named[0]}))
    if isinstance(settings.get("dispatch_alerts"), list):
        for i, alert in enumerate(settings["dispatch_alerts"]):
            if not isinstance(alert, dict) or not str(alert.get("to") or "").strip():
                found.append((f"/dispatch_alerts/{i}", ALERT_SHAPE, {}))
    if "report_retention_days" in settings:
        from .reports.retention import MAX_DAYS, MIN_DAYS, setting_problem

        if setting_problem(settings["report_retention_days"]):
            found.append(("/report_retention_days", RETENTION_DAYS, {"low": str(MIN_DAYS), "high": str(MAX_DAYS)}))
    if isinstance(settings.get("transfer_allow_list"), list):
        for i, number in enumerate(settings["transfer_allow_list"]):
            if not isinstance(number, str):
                found.append((f"/transfer_allow_list/{i}", NUMBER_TEXT, {}))
    return found


def problems(settings: Any) -> list[tuple[str, str]]:
    """[(JSON path, what is wrong)] of a settings object, in English; empty when it is sound."""
    return [(path, template % values) for path, template, values in problem_parts(settings)]
