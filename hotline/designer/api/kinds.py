"""`GET /api/kinds/<kind>/schema`: a kind's JSON Schema as the designer's property panels use it.

The files under platform/kinds/ refer to the shared `common.schema.json` by URL. A browser validator
(ajv) would have to fetch it, so the served schema is *bundled*: the shared definitions are copied into
the kind's `$defs` as `common_<name>` and every reference is rewritten to point there. Node types (IVR) and
action types (dispatch) get a `title` and `description` where the file has none, because the palette and
the property panel show them; `x-node-types` / `x-action-types` list them in the order the schema does,
so the front end needs no hard-coded list and a new node type appears without new UI code.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue

from ...platform.kinds import KINDS
from ...platform.kinds.validation import _common, schema
from ..auth import READ_DOCUMENTS, require_tenant
from .errors import json_error

COMMON_PREFIX = "common_"
COMMON_FILE = "common.schema.json#/$defs/"

#: Shown in the palette where the schema file has no description of its own (English; the UI translates).
NODE_HELP: dict[str, tuple[str, str]] = {
    "hours": ("Business hours", "Branches on the calendar: open or closed now."),
    "menu": ("Menu", "Plays a prompt and goes where the pressed digit leads; retries, then the fallback."),
    "play": ("Play", "Plays a prompt, then goes on."),
    "collect": ("Collect digits", "Asks for digits (a waybill or account number) and stores them in a variable."),
    "lookup": ("Lookup", "Looks a key up in a data table, a built-in source or a webhook."),
    "condition": ("Condition", "Goes to the first branch whose condition holds, else to the default."),
    "set": ("Set variables", "Sets flow variables, then goes on."),
    "queue": ("Queue", "Hands the call to a skill queue with a priority."),
    "transfer": ("Transfer", "Transfers the call to an allow-listed external number."),
    "voicemail": ("Voicemail", "Records a message from the caller."),
    "callback": ("Offer callback", "Offers to call the caller back instead of waiting."),
    "ticket": ("Create ticket", "Creates a ticket of a form from what the caller entered."),
    "urge": ("Urge ticket", "Urges the caller's own ticket: an urge on it, the handler or the dispatchers told."),
    "sms": ("SMS", "Sends a text message (for example the caller's pickup details)."),
    "survey": ("Satisfaction survey", "Asks the caller for a score after the call."),
    "goto": ("Go to", "Continues in another part of the flow."),
    "hangup": ("Hang up", "Plays an optional goodbye and ends the call."),
}
ACTION_HELP: dict[str, tuple[str, str]] = {
    "route_to_queue": ("Route to queue", "Sends the call to a queue with a priority and skills."),
    "overflow": ("Overflow", "After some seconds in queue, moves the call to another queue, voicemail or callback."),
    "assign": ("Assign", "Assigns the ticket to a group, an agent or a department."),
    "assign_by_coverage": ("Assign by coverage", "Matches the address against the coverage areas of a "
                                                 "directory and fills in the courier or branch."),
    "notify": ("Notify", "Sends an SMS, an e-mail or a webhook."),
    "escalate": ("Escalate", "Escalates the ticket (priority, group, notification)."),
    "set_fields": ("Set fields", "Sets ticket fields."),
    "set_status": ("Set status", "Moves the ticket to another status."),
    "schedule_callback": ("Schedule callback", "Schedules a call back to the customer."),
    "start_return_visit": ("Start return visit", "Adds the customer to an outbound return-visit campaign."),
}


class UnknownKind(LookupError):
    pass


def _rewrite(node: Any, local_prefix: str = "") -> Any:
    """Rewrites `$ref`s in place: the kind's refs to shared definitions, and (inside a shared definition,
    `local_prefix` set) its own `#/$defs/x` refs, both onto the bundled `common_x`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith(COMMON_FILE):
                    node[key] = "#/$defs/" + COMMON_PREFIX + value[len(COMMON_FILE):]
                elif local_prefix and value.startswith("#/$defs/"):
                    node[key] = "#/$defs/" + local_prefix + value[len("#/$defs/"):]
            else:
                _rewrite(value, local_prefix)
    elif isinstance(node, list):
        for item in node:
            _rewrite(item, local_prefix)
    return node


def _types(defs: dict[str, Any], base: str) -> list[str]:
    enum = defs.get(base, {}).get("properties", {}).get("type", {}).get("enum", [])
    return [t for t in enum if t in defs]


def _label(defs: dict[str, Any], names: list[str], help_text: dict[str, tuple[str, str]]) -> None:
    for name in names:
        title, description = help_text.get(name, (name.replace("_", " ").capitalize(), ""))
        defs[name].setdefault("title", title)
        if description:
            defs[name].setdefault("description", description)


@cache
def _bundled(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise UnknownKind(kind)
    bundled = _rewrite(copy.deepcopy(schema(kind)))
    defs = bundled.setdefault("$defs", {})
    for name, definition in _common()["$defs"].items():
        defs[COMMON_PREFIX + name] = _rewrite(copy.deepcopy(definition), COMMON_PREFIX)
    if kind == "ivr":
        bundled["x-node-types"] = _types(defs, "base")
        _label(defs, bundled["x-node-types"], NODE_HELP)
    if kind == "dispatch":
        bundled["x-action-types"] = _types(defs, "action_base")
        _label(defs, bundled["x-action-types"], ACTION_HELP)
    return bundled


def bundled_schema(kind: str) -> dict[str, Any]:
    """The kind's schema, self-contained (a copy: callers may change it)."""
    return copy.deepcopy(_bundled(kind))


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                found.add(value[len("#/$defs/"):].split("/")[0])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for item in node:
            _refs(item, found)


def definition_schema(kind: str, name: str) -> dict[str, Any]:
    """One definition of a kind as a standalone schema: `$ref` to it plus only the `$defs` it needs."""
    defs = _bundled(kind)["$defs"]
    needed, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in needed or current not in defs:
            continue
        needed.add(current)
        found: set[str] = set()
        _refs(defs[current], found)
        todo.extend(found - needed)
    return copy.deepcopy({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"#/$defs/{name}",
                          "title": defs[name].get("title", name), "description": defs[name].get("description", ""),
                          "$defs": {n: defs[n] for n in sorted(needed)}})


def blueprint() -> Blueprint:
    bp = Blueprint("kinds", __name__)

    @bp.get("/kinds/<kind>/schema")
    def kind_schema(kind: str) -> ResponseReturnValue:
        require_tenant(READ_DOCUMENTS)
        try:
            body = _bundled(kind)
        except UnknownKind:
            return json_error(404, f"unknown document kind {kind!r}: expected one of {', '.join(KINDS)}")
        # Not jsonify: it sorts keys, and the property panels show fields in the schema's order (最少位数 before
        # 最多位数, the prompt before the digits), which is the order the file gives them.
        response = current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/json")
        response.cache_control.private = True
        response.cache_control.max_age = 300
        return response

    return bp
