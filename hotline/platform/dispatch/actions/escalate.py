"""Escalate (SLA breach, serious complaint): the escalation level and target are recorded in the history.

Notifying the escalation target is the rule's job (a notify action next to it); this action only records.
"""

from __future__ import annotations

from typing import Any

from . import Action, ActionContext, register


@register("escalate")
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    done = {"target": action["target"], "name": action["name"], "level": action.get("level", 1),
            "note": ctx.render(action.get("note"))}
    ctx.history("escalate", {**done, "rule": ctx.rule})
    return done
