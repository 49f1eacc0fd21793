"""Start a return visit (回访) or survey with an outbound script: a task on the firing and in the history.

The dialer that runs outbound scripts is to come; it picks the tasks up (history entries with action
"visit_scheduled"). The script must still be published when the rule runs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ...models import Document
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
    task = {"type": "return_visit", "script": action["script"], "due_at": due.isoformat(), "phone": ctx.phone(),
            "rule": ctx.rule}
    if ctx.ticket_number is not None:
        task["ticket"] = ctx.ticket_number
    ctx.tasks.append(task)
    ctx.history("visit_scheduled", dict(task))
    return dict(task)
