"""Assign by coverage (the seed's courier lookup): the ticket's address against a directory's coverage areas.

The best match's name and phone go into the ticket (`name_field`, `phone_field`) and, with `notify` (the
default), the entry is sent the rendered `text` by SMS. No match is a warning on the firing, not an error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...models import Directory
from ...services import tickets
from ...services.coverage import find_covering
from ...services.errors import NotFound
from . import Action, ActionContext, ActionSkipped, register

DEFAULT_TEXT = "工单{{ticket.number}}：{{ticket.%s}}，请尽快处理。"


def _check(action: Action, ctx: ActionContext) -> str | None:
    if ctx.session.scalar(select(Directory.id).where(Directory.name == action["directory"]).limit(1)) is None:
        return f"directory {action['directory']!r} does not exist"
    if ctx.ticket_number is None:
        return None
    fields = ctx.form_fields()
    for key in ("address_field", "name_field", "phone_field"):
        if key in action and action[key] not in fields:
            return f"{key} {action[key]!r} is not a field of form {ctx.ticket().form_name}"
    return None


@register("assign_by_coverage", check=_check, needs_ticket=True)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    ticket = ctx.ticket()
    address = str((ticket.data or {}).get(action["address_field"]) or "")
    try:
        matches = find_covering(ctx.session, action["directory"], address, limit=1)
    except NotFound as exc:
        raise ActionSkipped(str(exc)) from None
    except ValueError:
        raise ActionSkipped(f"the ticket has no {action['address_field']} to match") from None
    if not matches:
        raise ActionSkipped(f"no entry of directory {action['directory']!r} covers {address!r}")
    match = matches[0]
    done: dict[str, Any] = {"directory": action["directory"], "entry": match.name, "phone": match.phone,
                            "branch": match.branch, "area": match.area, "score": match.score}
    changes = {action[key]: value for key, value in (("name_field", match.name), ("phone_field", match.phone))
               if key in action}
    if changes:
        tickets.update(ctx.session, ticket.number, changes, base_revision=ticket.revision, actor=ctx.actor)
        ctx.refresh()
    if action.get("notify", True):
        if not match.phone:
            raise ActionSkipped(f"{match.name} has no phone to notify (the ticket was filled in)")
        text = ctx.render(action.get("text") or DEFAULT_TEXT % action["address_field"])
        done["sms"] = ctx.send("sms", match.phone, text)
    return done
