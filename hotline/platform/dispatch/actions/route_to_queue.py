"""Route a call to a queue with a priority and skills: a decision on the firing the runtime/ACD applies."""

from __future__ import annotations

from typing import Any

from . import Action, ActionContext, register


def _check(action: Action, ctx: ActionContext) -> str | None:
    return ctx.queue_missing(action["queue"])


@register("route_to_queue", check=_check)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    decision = {"type": "route_to_queue", "queue": action["queue"], "priority": action.get("priority"),
                "skills": list(action.get("skills", []))}
    ctx.routing.append(decision)
    return dict(decision)
