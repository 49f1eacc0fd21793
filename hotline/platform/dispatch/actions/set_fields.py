"""Set ticket fields: the form's own fields through tickets.update, plus the attributes group, assignee, priority.

Every write goes through the ticket service (revision check, history): fields by `update`, group and
assignee by `assign`, priority by `set_priority`.
"""

from __future__ import annotations

from typing import Any

from ...services import tickets
from . import Action, ActionContext, ActionSkipped, register
from .assign import agent_id

ATTRIBUTES = frozenset({"priority", "group", "assignee"})


def _check(action: Action, ctx: ActionContext) -> str | None:
    if ctx.ticket_number is None:
        return None
    fields = ctx.form_fields()
    for name in action["fields"]:
        if name not in fields and name not in ATTRIBUTES:
            return f"field {name!r} is not a field of form {ctx.ticket().form_name}"
    assignee = action["fields"].get("assignee")
    if "assignee" not in fields and assignee is not None and agent_id(ctx, str(assignee)) is None:
        return f"agent {assignee!r} is not a user of this tenant"
    return None


@register("set_fields", check=_check, needs_ticket=True)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    form_fields = ctx.form_fields()
    data = {k: v for k, v in action["fields"].items() if k in form_fields}
    attributes = {k: v for k, v in action["fields"].items() if k not in form_fields}
    ticket = ctx.ticket()
    if data:
        ticket = tickets.update(ctx.session, ticket.number, data, base_revision=ticket.revision, actor=ctx.actor)
    if "group" in attributes or "assignee" in attributes:
        group = str(attributes["group"]) if "group" in attributes else ticket.group
        assignee = agent_id(ctx, str(attributes["assignee"])) if "assignee" in attributes else ticket.assignee_id
        ticket = tickets.assign(ctx.session, ticket.number, assignee_id=assignee, group=group,
                                base_revision=ticket.revision, actor=ctx.actor)
    if "priority" in attributes:
        value = attributes["priority"]
        if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value \
                or not 0 <= int(value) <= 9:
            raise ActionSkipped(f"priority must be a whole number 0-9, not {value!r}")
        ticket = tickets.set_priority(ctx.session, ticket.number, int(value), base_revision=ticket.revision,
                                      actor=ctx.actor)
    return {"fields": dict(action["fields"])}
