"""Schedule a call-back to the customer (回呼): a task on the firing and in the ticket's history.

The scheduler that places the call is to come; it picks the tasks up from the firings (history entries with
action "callback_scheduled"). Until then agents see the task on the ticket.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import Action, ActionContext, register


def _check(action: Action, ctx: ActionContext) -> str | None:
    return ctx.queue_missing(action["queue"])


@register("schedule_callback", check=_check)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    due = ctx.now + timedelta(minutes=action.get("after_minutes", 0))
    task = {"type": "callback", "queue": action["queue"], "due_at": due.isoformat(), "phone": ctx.phone(),
            "note": ctx.render(action.get("note")), "rule": ctx.rule}
    if ctx.ticket_number is not None:
        task["ticket"] = ctx.ticket_number
    ctx.tasks.append(task)
    ctx.history("callback_scheduled", dict(task))
    return dict(task)
