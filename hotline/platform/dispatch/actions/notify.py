"""Notify by SMS, e-mail or webhook: `to`, `subject` and `text` are rendered with the rule's context."""

from __future__ import annotations

import json
from typing import Any

from . import Action, ActionContext, register


@register("notify")
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    channel = action["channel"]
    to = ctx.render(action["to"]).strip()
    subject = ctx.render(action.get("subject"))
    if action.get("text"):
        body = ctx.render(action["text"])
    else:  # a webhook without text gets the rule's context as JSON
        body = json.dumps({"event": ctx.event, "rule": ctx.rule,
                           **{k: ctx.context.get(k) for k in ("ticket", "customer", "call", "event")
                              if ctx.context.get(k)}}, ensure_ascii=False, default=str)
    return ctx.send(channel, to, body, subject)
