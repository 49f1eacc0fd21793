"""What counts as the first response (响应) to a ticket, per form: a person acted, never a rule.

Issue 11 item 5: the response clock stopped at any status move, including the dispatch rule's automatic
move a second after creation, so 响应及时率 was always met. A response is now what the form says it is,
in `sla.response`:

* `statuses` — moving the ticket into one of these statuses is a response (a technician's 已上门, an
  agent's 处理中), when a person does it;
* `actions` — things a person records on the ticket without moving it ({"name": "call", "label":
  "已电话联系客户"}): accepting, calling, visiting.

A form without `sla.response` keeps the old meaning for people: a person's first move out of the
initial status, or one of DEFAULT_ACTIONS. Moves and actions by the system (dispatch rules, SLA alarms,
the IVR, call-back jobs) never count, whatever the form says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Actions a person records that are a response when the form defines none: accepted, called, visited.
DEFAULT_ACTIONS: dict[str, str] = {"accept": "已接单", "call": "已电话联系客户", "visit": "已上门"}
#: Actors that are the system, not a person: the rules' default actor, the SLA worker, the runtime and jobs.
SYSTEM_ACTORS = frozenset({"dispatch", "sla", "system", "runtime", "callback", "scheduler"})
#: Prefixes of system actors that carry an id: "ivr:<call uuid>", "rule:<name>", "job:<id>".
SYSTEM_PREFIXES = ("ivr:", "rule:", "job:", "dispatch:", "sla:")


def is_system(actor: str) -> bool:
    """Whether the actor is the system (automatic work) rather than a person."""
    actor = (actor or "").strip()
    return not actor or actor in SYSTEM_ACTORS or actor.startswith(SYSTEM_PREFIXES)


def definition(form: Mapping[str, Any]) -> Mapping[str, Any] | None:
    found = (form.get("sla") or {}).get("response")
    return found if isinstance(found, Mapping) else None


def actions(form: Mapping[str, Any]) -> dict[str, str]:
    """The response actions a person can record on the form's tickets: name → label."""
    spec = definition(form)
    if spec is None or "actions" not in spec:
        return dict(DEFAULT_ACTIONS)
    return {str(a["name"]): str(a.get("label") or a["name"]) for a in spec.get("actions", [])
            if isinstance(a, Mapping) and a.get("name")}


def transition_counts(form: Mapping[str, Any], initial: str, old: str, new: str, *, actor: str,
                      automatic: bool = False) -> bool:
    """Whether a move from `old` to `new` by `actor` is the first response."""
    if automatic or is_system(actor) or old == new:
        return False
    spec = definition(form)
    if spec is None or "statuses" not in spec:
        return old == initial
    return new in spec.get("statuses", [])


def action_counts(form: Mapping[str, Any], action: str, *, actor: str) -> bool:
    return not is_system(actor) and action in actions(form)
