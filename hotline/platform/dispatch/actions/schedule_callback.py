"""Schedule a call-back to the customer (回呼): a pending call task agents see, due after `after_minutes`.

The task (services/callbacks.py) fires `callback.due` when due; it is also on the firing's tasks and in the
ticket's history (action "callback_scheduled"), so the ticket shows it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ...services import callbacks
from . import Action, ActionContext, register


def _check(action: Action, ctx: ActionContext) -> str | None:
    return ctx.queue_missing(action["queue"])


@register("schedule_callback", check=_check)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    due = ctx.now + timedelta(minutes=action.get("after_minutes", 0))
    note = ctx.render(action.get("note"))
    ticket = ctx.ticket() if ctx.ticket_number is not None else None
    row = callbacks.create(ctx.session, "callback", due, actor=ctx.actor, ticket=ticket, phone=ctx.phone(),
                           queue=action["queue"], note=note, origin=ctx.origin(), history=False)
    task = {"type": "callback", "task": row.id, "queue": action["queue"], "due_at": due.isoformat(),
            "phone": row.phone, "note": note, "rule": ctx.rule}
    if ctx.ticket_number is not None:
        task["ticket"] = ctx.ticket_number
    ctx.tasks.append(task)
    ctx.history("callback_scheduled", dict(task))
    return dict(task)
