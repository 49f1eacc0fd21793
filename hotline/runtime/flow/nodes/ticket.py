"""Create a ticket of a form from what the caller entered (a pickup order); its number into `variable`.

With `urge_open` naming a searchable field, an open ticket of the form with the same value is urged instead
(its number goes into `variable`): calling twice about one waybill is one ticket urged twice. Where the call
goes next:

* `next` — a new ticket (dispatch rules give it to someone right after), or an urge on an open ticket that
  someone holds (they were told);
* `no_handler` (optional, with `urge_open`) — an urge on an open ticket nobody holds yet: the dispatchers were
  alerted (the manual dispatch list), and the prompt there must not promise a handler's call-back (issue 11
  QA, item 2: the express template's 催件 said "派件网点将在2小时内与您联系" to a ticket nobody had).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("ticket")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    fields = {name: ctx.render(template) for name, template in node["fields"].items()}
    # `urge_open` (a searchable field): a caller's second 催件 for the same waybill urges the open ticket
    # instead of opening another (issue 11 item 7).
    field = node.get("urge_open")
    if field:
        urged = await ctx.services.urge_open_ticket(node["form"], field, fields.get(field, ""))
        if urged is not None:
            handled = bool(urged.get("handler"))
            ctx.trace.info("ticket", {"form": node["form"], "number": urged["number"], "urge_open": field,
                                      "urged": urged.get("count"), "handler": handled})
            if "variable" in node:
                ctx.set(node["variable"], urged["number"])
            return node["next"] if handled or "no_handler" not in node else node["no_handler"]
    number = await ctx.services.create_ticket(node["form"], fields)
    ctx.trace.info("ticket", {"form": node["form"], "number": number})
    if "variable" in node:
        ctx.set(node["variable"], number)
    return node["next"]
