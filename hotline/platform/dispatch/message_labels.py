"""Ticket values as people read them, for the texts of messages: the form's label, never the stored code.

Conditions compare codes (`ticket.complaint_type == "attitude"`), so the rule context keeps them; a message a
courier or a manager reads ("类型{{ticket.complaint_type}}") must say 服务态度, not attitude. So a message is
rendered from a copy of the context in which each choice field (enum or oneOf, one value or several) and the
status carry their labels; a value the form does not list stays as it is. The ticket's times (due, created,
resolved), kept as ISO text in UTC for conditions, read as the tenant's local time with its offset
("2026-03-11 18:30 (UTC+08:00)"), never a raw timestamp (issue 11 QA, item 7; the offset: issue 16, item 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from ..ticket_form_fields import field_specs, options
from ..words import priority_label

#: Ticket attributes that are moments (ISO text in the rule context).
TIME_ATTRIBUTES = ("created_at", "updated_at", "first_response_due", "resolution_due", "resolved_at")


def local_text(value: Any, zone: tzinfo | None) -> Any:
    """An ISO moment as YYYY-MM-DD HH:MM in `zone`, its offset named ("2026-03-11 18:30 (UTC+08:00)"): a
    message leaves the page that shows the tenant's zone, and its reader may be elsewhere (issue 16, item 6);
    anything else as it is."""
    if zone is None or not isinstance(value, str | datetime) or not value:
        return value
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    local = moment.astimezone(zone)
    offset = local.strftime("%z") or "+0000"
    return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:5]})"


def labelled(context: Mapping[str, Any], form_doc: Mapping[str, Any], zone: tzinfo | None = None,
             locale: str = "zh_CN") -> dict[str, Any]:
    """`context` with `ticket.*` choice values and status replaced by their labels in `form_doc`, the
    ticket's times in `zone` (the tenant's) and its priority in words in `locale` (紧急（9）, words.py)."""
    ticket = context.get("ticket")
    if not isinstance(ticket, Mapping):
        return dict(context)
    shown = dict(ticket)
    for name in TIME_ATTRIBUTES:
        if name in shown:
            shown[name] = local_text(shown[name], zone)
    for spec in field_specs(form_doc):
        value = shown.get(spec.name)
        if value is None:
            continue
        choices = dict(options(spec.schema) or options(spec.schema.get("items") or {}))
        if not choices:
            continue
        if isinstance(value, list):
            shown[spec.name] = "、".join(str(choices.get(v, v)) for v in value)
        elif not isinstance(value, dict):
            shown[spec.name] = choices.get(value, value)
    if "priority" in shown and "priority" not in (form_doc.get("schema") or {}).get("properties", {}):
        shown["priority"] = priority_label(shown["priority"], locale)
    statuses = {s.get("name"): s.get("label") for s in form_doc.get("statuses", []) if s.get("label")}
    if shown.get("status") in statuses:
        shown["status"] = statuses[shown["status"]]
    return {**context, "ticket": shown}
