"""Assign by coverage (the seed's courier and technician lookup): who covers the place, can do the work, can be
reached, and has the least open work (services/handlers.py decides).

The place is the ticket's `station_field` when filled (the waybill's 网点 holds the parcel: an urge goes
to its couriers, not to the caller's registered address), else its `address_field`. `skill_field` names
the skill the work needs (a 水电 repair goes to a technician with 水电), mapped through `skills`.
The chosen entry's name and phone go into the ticket (`name_field`, `phone_field`), the ticket records
the entry as its handler (its load), and with `notify` (the default) the entry is sent the rendered
`text` by SMS.

Nobody fits (issue 11 item 1): the ticket goes on the manual dispatch list (待派单) with the reason, the
`unassigned.alerts` (else the tenant's `dispatch_alerts`) are alerted, the optional `unassigned.status`
is set, and the rule's later actions do not run (`ctx.halted`): an unassigned pickup must not move to
处理中 as if someone had it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...models import Directory
from ...services import handlers, manual_dispatch, tickets
from ...services.errors import NotFound
from . import Action, ActionContext, ActionSkipped, register

DEFAULT_TEXT = "工单{{ticket.number}}：{{ticket.%s}}，请尽快处理。"


def _check(action: Action, ctx: ActionContext) -> str | None:
    if ctx.session.scalar(select(Directory.id).where(Directory.name == action["directory"]).limit(1)) is None:
        return f"directory {action['directory']!r} does not exist"
    if ctx.ticket_number is None:
        return None
    fields = ctx.form_fields()
    for key in ("address_field", "name_field", "phone_field", "station_field", "skill_field"):
        if key in action and action[key] not in fields:
            return f"{key} {action[key]!r} is not a field of form {ctx.ticket().form_name}"
    return None


def _skill(action: Action, data: dict[str, Any]) -> str | None:
    if "skill_field" not in action:
        return None
    value = data.get(action["skill_field"])
    if value in (None, ""):
        return None
    return str((action.get("skills") or {}).get(str(value), value))


def _place(action: Action, ctx: ActionContext, data: dict[str, Any]) -> tuple[str, str, list[Any]] | None:
    """(how, what, matches): by the station when the ticket names one that has entries, else the address;
    None when there is neither (the ticket is then on the manual dispatch list)."""
    station = str(data.get(action["station_field"]) or "") if "station_field" in action else ""
    if station:
        matches = handlers.by_station(ctx.session, action["directory"], station)
        if matches:
            return "station", station, matches
    address = str(data.get(action["address_field"]) or "")
    try:
        return "address", address, handlers.covering_people(ctx.session, action["directory"], address)
    except ValueError:
        if station:
            return "station", station, []
        ctx.halted = _unassigned(action, ctx, f"工单没有填写{_title(ctx, action['address_field'])}，无法按地址派单")
        return None


def _title(ctx: ActionContext, field: str) -> str:
    prop = ctx.form().get("schema", {}).get("properties", {}).get(field, {})
    return str(prop.get("title") or field)


def _unassigned(action: Action, ctx: ActionContext, reason: str) -> str:
    """Puts the ticket on the manual dispatch list and alerts; returns the warning for the firing."""
    spec = action.get("unassigned") or {}
    ticket = ctx.ticket()
    alerts = list(spec.get("alerts") or []) or manual_dispatch.default_alerts(ctx.session)
    text = ctx.render(spec["text"]) if spec.get("text") else None
    row_spec = {key: action[key] for key in ("directory", "name_field", "phone_field") if key in action}
    skill = _skill(action, dict(ticket.data or {}))
    if skill:  # the list offers the people with it first (QA of issue 11, item 6)
        row_spec["skill"] = skill
    if action.get("notify", True):
        row_spec["text"] = action.get("text") or DEFAULT_TEXT % action["address_field"]
    row_spec["alerts"] = alerts
    row = manual_dispatch.put(ctx.session, ticket, reason, actor=ctx.actor, rule=ctx.rule, alerts=alerts,
                              text=text, spec=row_spec, queue=ctx.queue, now=ctx.now)
    moved = ""
    status = spec.get("status")
    if status and ticket.status != status and status in tickets.allowed_transitions(ctx.form(), ticket.status):
        ticket = ctx.ticket()
        tickets.transition(ctx.session, ticket.number, status, base_revision=ticket.revision, actor=ctx.actor,
                           note=f"dispatch rule {ctx.rule}: {reason}", automatic=True)
        moved = f"; moved to {status}"
    alerted = f"; alerted {len(row.alerted)}" if row.alerted else "; nobody to alert (set unassigned.alerts)"
    return f"no handler: {reason} — on the manual dispatch list{moved}{alerted}"


@register("assign_by_coverage", check=_check, needs_ticket=True)
def run(action: Action, ctx: ActionContext) -> dict[str, Any]:
    ticket = tickets.lock(ctx.session, ctx.ticket().number)  # an urge meanwhile waits for the handler
    data = dict(ticket.data or {})
    try:
        found = _place(action, ctx, data)
    except NotFound as exc:
        raise ActionSkipped(str(exc)) from None
    if found is None:
        return {"directory": action["directory"], "manual_dispatch": True}
    how, place, matches = found
    skill = _skill(action, data)
    notify = bool(action.get("notify", True))
    choice = handlers.choose(ctx.session, matches, skill=skill, kinds=action.get("kinds"),
                             channel="sms" if notify else None)
    if choice.entry is None:
        where = f"网点“{place}”" if how == "station" else f"地址“{place}”"
        ctx.halted = _unassigned(action, ctx, f"{where}：{choice.reason}")
        return {"directory": action["directory"], "manual_dispatch": True, "by": how}
    match = choice.entry
    done: dict[str, Any] = {"directory": action["directory"], "entry": match.name, "phone": match.phone,
                            "branch": match.branch, "area": match.area, "score": match.score, "by": how}
    if skill:
        done["skill"] = skill
    if len(choice.candidates) > 1:
        done["among"] = [c.name for c in choice.candidates[:5]]
    changes = {action[key]: value for key, value in (("name_field", match.name), ("phone_field", match.phone))
               if key in action}
    if changes:
        tickets.update(ctx.session, ticket.number, changes, base_revision=ticket.revision, actor=ctx.actor)
    ticket = ctx.ticket()
    handlers.mark_assigned(ctx.session, ticket, match.entry_id, ctx.now)
    manual_dispatch.close_for(ctx.session, ticket, ctx.actor, match.entry_id)
    ctx.refresh()
    if notify:
        text = ctx.render(action.get("text") or DEFAULT_TEXT % action["address_field"])
        done["sms"] = ctx.send("sms", match.phone, text)
    return done
