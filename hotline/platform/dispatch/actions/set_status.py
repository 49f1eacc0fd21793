"""Move the ticket to a status along the form's transitions; a move the form forbids is skipped with a warning."""

from __future__ import annotations

from typing import Any

from ...services import tickets
from . import Action, ActionContext, ActionSkipped, register


def _check(action: Action, ctx: ActionContext) -> str | None:
    if ctx.ticket_number is None:
        return None
    statuses = {s["name"] for s in ctx.form().get("statuses", [])}
    if action["status"] not in statuses:
        return f"status {action['status']!r} is not a status of form {ctx.ticket().form_name}"
    return None


@register("set_status", check=_check, needs_ticket=True)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    ticket = ctx.ticket()
    status = action["status"]
    if ticket.status == status:
        return {"to": status, "unchanged": True}
    allowed = tickets.allowed_transitions(ctx.form(), ticket.status)
    if status not in allowed:
        raise ActionSkipped(f"a ticket in status {ticket.status!r} cannot move to {status!r} "
                            f"(allowed: {', '.join(allowed) or 'none'})")
    old = ticket.status
    tickets.transition(ctx.session, ticket.number, status, base_revision=ticket.revision, actor=ctx.actor,
                       note=f"dispatch rule {ctx.rule}", automatic=True)
    return {"from": old, "to": status}
