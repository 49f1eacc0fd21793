"""Create a ticket of a form from what the caller entered (a pickup order); its number into `variable`.

With `urge_open` naming a searchable field, an open ticket of the form with the same value is urged instead
(its number goes into `variable`): calling twice about one waybill is one ticket urged twice.
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
    extra = {"urge_open": node["urge_open"]} if node.get("urge_open") else {}
    number = await ctx.services.create_ticket(node["form"], fields, **extra)
    ctx.trace.info("ticket", {"form": node["form"], "number": number, **extra})
    if "variable" in node:
        ctx.set(node["variable"], number)
    return node["next"]
