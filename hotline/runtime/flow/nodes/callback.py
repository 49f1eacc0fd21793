"""Offer a callback: pressing confirm_digit books one for the queue's agents; anything else declines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import FlowError, register

if TYPE_CHECKING:
    from ..engine import FlowContext

#: The schema has no timeout for this node; a callback offer waits as long as a default menu.
OFFER_TIMEOUT_SECONDS = 5


@register("callback")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    digit = await ctx.ask(node["prompt"], min_digits=1, max_digits=1, terminator="",
                          timeout_seconds=OFFER_TIMEOUT_SECONDS)
    if digit != node.get("confirm_digit", "1"):
        ctx.trace.info("callback", "declined")
        return node["declined"]
    number = ctx.render(node.get("number", "{{call.caller}}")).strip()
    if not number:
        raise FlowError("callback accepted but there is no number to call back (caller id withheld?)")
    await ctx.services.request_callback(node["queue"], number)
    ctx.trace.info("callback", {"queue": node["queue"], "number": number})
    return node["accepted"]
