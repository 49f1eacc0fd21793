"""Create a ticket of a form from what the caller entered (a pickup order); its number into `variable`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("ticket")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    fields = {name: ctx.render(template) for name, template in node["fields"].items()}
    number = await ctx.services.create_ticket(node["form"], fields)
    ctx.trace.info("ticket", {"form": node["form"], "number": number})
    if "variable" in node:
        ctx.set(node["variable"], number)
    return node["next"]
