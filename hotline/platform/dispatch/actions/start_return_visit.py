"""Start a return visit (回访) or survey with an outbound script: a call task for the outbound side.

The task (services/callbacks.py, kind "return_visit", with the script) is what the dialer picks up; it is
also on the firing's tasks and in the ticket's history (action "visit_scheduled"). The script must still be
published when the rule runs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ...models import Document
from ...services import callbacks
from . import Action, ActionContext, register


def _check(action: Action, ctx: ActionContext) -> str | None:
    published = ctx.session.scalar(select(Document.published_version).where(
        Document.kind == "outbound", Document.name == action["script"]))
    if published is None:
        return f"outbound script {action['script']!r} does not exist or is not published"
    return None


@register("start_return_visit", check=_check)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    due = ctx.now + timedelta(minutes=action.get("after_minutes", 60))
    ticket = ctx.ticket() if ctx.ticket_number is not None else None
    row = callbacks.create(ctx.session, "return_visit", due, actor=ctx.actor, ticket=ticket, phone=ctx.phone(),
                           script=action["script"], origin=ctx.origin(), history=False)
    task = {"type": "return_visit", "task": row.id, "script": action["script"], "due_at": due.isoformat(),
            "phone": row.phone, "rule": ctx.rule}
    if ctx.ticket_number is not None:
        task["ticket"] = ctx.ticket_number
    ctx.tasks.append(task)
    ctx.history("visit_scheduled", dict(task))
    return dict(task)
