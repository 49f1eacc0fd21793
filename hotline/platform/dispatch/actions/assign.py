"""Assign a ticket to an agent (by username), a group or a department (both kept in the ticket's group)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...models import Membership, User
from ...services import tickets
from . import Action, ActionContext, register


def agent_id(ctx: ActionContext, username: str) -> int | None:
    """The user id of an agent of this tenant (a member), or None."""
    return ctx.session.scalar(select(User.id).join(Membership, Membership.user_id == User.id)
                              .where(User.username == username, User.active.is_(True)).limit(1))


def _check(action: Action, ctx: ActionContext) -> str | None:
    if action["target"] == "agent" and agent_id(ctx, action["name"]) is None:
        return f"agent {action['name']!r} is not a user of this tenant"
    return None


@register("assign", check=_check, needs_ticket=True)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    ticket = ctx.ticket()
    if action["target"] == "agent":
        user_id = agent_id(ctx, action["name"])
        tickets.assign(ctx.session, ticket.number, assignee_id=user_id, group=ticket.group,
                       base_revision=ticket.revision, actor=ctx.actor)
        return {"target": "agent", "name": action["name"], "assignee_id": user_id}
    tickets.assign(ctx.session, ticket.number, assignee_id=ticket.assignee_id, group=action["name"],
                   base_revision=ticket.revision, actor=ctx.actor)
    return {"target": action["target"], "name": action["name"], "group": action["name"]}
