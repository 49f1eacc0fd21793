"""Overflow a waiting call after N seconds (another queue, voicemail, callback): a decision for the ACD."""

from __future__ import annotations

from typing import Any

from . import Action, ActionContext, register


def _check(action: Action, ctx: ActionContext) -> str | None:
    return ctx.queue_missing(action["queue"]) if action.get("to") == "queue" and "queue" in action else None


@register("overflow", check=_check)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    decision: dict[str, Any] = {"type": "overflow", "after_seconds": action["after_seconds"], "to": action["to"]}
    if action.get("queue"):
        decision["queue"] = action["queue"]
    ctx.routing.append(decision)
    return dict(decision)
