"""A ticket's history in words: who (a person's name, "IVR 自助", "派单规则"), what (创建, 催办, 转入待派单) and
each change with its label, never the stored codes, dict dumps or notification ids (issue 11 QA, item 3).

History entries are written by many services (tickets, dispatch rules, SLA alarms, urging, manual dispatch,
call-backs), each with its own `changes` shape; this module knows those shapes. Field changes ([old, new]) of
create/update/transition/assign keep their form labels (ticket_pages.history_rows); the others are summarised
here. Every key returned is English text that desk/strings.py translates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..api.kinds import ACTION_HELP

#: history action → the words shown (translated by desk/strings.py). Unknown actions read "Other change".
ACTIONS = {
    "create": "create", "update": "update", "transition": "transition", "assign": "assign",
    "respond": "Response recorded", "callback_due": "callback_due", "rule": "Dispatch rule ran",
    "dispatch": "Dispatched by hand", "manual_dispatch": "Put on the dispatch list", "urge": "Urge recorded",
    "sla_warning": "SLA warning", "sla_breach": "SLA breached", "callback_created": "Call-back scheduled",
    "visit_created": "Return visit scheduled", "callback_scheduled": "Call-back scheduled",
    "visit_scheduled": "Return visit scheduled", "escalate": "Escalated", "callback_done": "Call-back done",
    "callback_cancelled": "Call-back cancelled", "visit_done": "Return visit done",
    "visit_cancelled": "Return visit cancelled",
}
#: Actors that are not people: their prefix (before ':') → the words shown.
SYSTEM_ACTORS = {"ivr": "IVR self-service", "sla": "SLA timer", "dispatch": "Dispatch rules", "system": "System",
                 "rule": "Dispatch rules", "scheduler": "Scheduler", "import": "Import", "api": "API"}
#: Outcomes and clocks that appear as values.
VALUES = {"fired": "All actions done", "partial": "partly done", "failed": "failed", "skipped": "skipped",
          "first_response": "First response", "resolution": "Resolution",
          "handlers": "the handlers", "dispatchers": "the dispatchers (nobody handles it yet)"}
#: Keys of non-field entries → label; keys mapped to None are internal (ids, documents) and not shown. A rule's
#: warnings are diagnostics in English for the rule log (supervision/firings), not for the desk's history.
KEYS: dict[str, str | None] = {
    "rule": "Rule", "outcome": "Outcome", "reason": "Reason", "note": "Note", "count": "Urge count",
    "notified": "Messages sent", "notified_to": "Notified", "alerted": "Messages sent", "entry": "Handler",
    "phone": "Phone",
    "sms": "SMS to the handler", "clock": "Clock", "due": "Due", "due_at": "Due", "queue": "Queue", "script": "Script",
    "label": "Response", "warnings": None, "first_responded_at": "First responded",
    "actions": "Actions", "to": "Recipient",
    "action": None, "task": None, "document": None, "version": None, "event": None, "ticket": None,
    "routing": None, "tasks": None,
}


#: Where an escalation went (dispatch schema `escalate.target`) → the words shown.
ESCALATION_TARGETS = {"agent": "agent", "group": "group", "department": "department"}
#: A rule's action types → the words shown (the dispatch editor's and the rule log's words).
ACTION_TYPES = {name: title for name, (title, _help) in ACTION_HELP.items()}


def _escalation(changes: Mapping[str, Any], tr: Callable[[str], str]) -> str:
    """部门「质量管理部」（第 2 级）: an escalate entry as one phrase, not its keys (QA of issue 16, fixc18 item 3)."""
    target = str(changes.get("target") or "")
    return tr("%(target)s “%(name)s” (level %(level)s)") % {
        "target": tr(ESCALATION_TARGETS.get(target, target)), "name": changes.get("name") or "",
        "level": changes.get("level") or 1}


def action_label(action: str) -> str:
    return ACTIONS.get(action, "Other change")


def actor_label(actor: str | None, names: Mapping[str, str]) -> tuple[str, bool]:
    """(words, translate?): a person's display name as is; a system actor ("ivr:<uuid>") as its label."""
    actor = actor or ""
    if actor in names:
        return names[actor], False
    prefix = actor.split(":", 1)[0]
    if prefix in SYSTEM_ACTORS and (":" in actor or actor == prefix):
        return SYSTEM_ACTORS[prefix], True
    return actor, False


def summary(changes: Mapping[str, Any], shown: Callable[[Any], str], rule_labels: Mapping[str, str],
            tr: Callable[[str], str]) -> list[tuple[str, str | None, str]]:
    """(label, None, value) rows of a non-field entry; `shown` formats a scalar (times in the tenant's zone),
    `tr` translates the words this module supplies."""
    rows: list[tuple[str, str | None, str]] = []
    escalated = {"target", "name", "level"} <= set(changes)
    if escalated:
        rows.append(("Escalated to", None, _escalation(changes, tr)))
    for key, value in changes.items():
        if escalated and key in ("target", "name", "level"):
            continue
        label = KEYS.get(key, key.replace("_", " ").capitalize())
        if label is None or value in (None, "", [], {}):
            continue
        if isinstance(value, list) and len(value) == 2 and key.endswith(("_at", "status")):
            text = shown(value[1])  # a field change ([old, new]) inside an action entry: the new value
        elif key == "rule":
            text = rule_labels.get(str(value), str(value))
        elif key in ("notified", "alerted"):
            text = str(len(value)) if isinstance(value, list) else shown(value)
        elif key == "sms":
            # the entry records the queued message, not its delivery (QA of issue 11, item 9: "已发短信: 是")
            text = tr("queued for sending (see the delivery log)")
        elif key == "actions" and isinstance(value, list):
            kinds = [str(a.get("type")) for a in value if isinstance(a, Mapping) and a.get("type")]
            text = ", ".join(tr(ACTION_TYPES.get(k, k)) for k in kinds) if kinds else str(len(value))
        elif isinstance(value, str) and value in VALUES:
            text = tr(VALUES[value])
        elif isinstance(value, Mapping):
            text = "; ".join(f"{k}: {shown(v)}" for k, v in value.items() if not isinstance(v, Mapping | list))
        elif isinstance(value, list):
            text = "; ".join(shown(v) for v in value if not isinstance(v, Mapping | list))
        else:
            text = shown(value)
        if text:
            rows.append((label, None, text))
    return rows
