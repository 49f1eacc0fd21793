"""Send an SMS (a tracking link, a ticket number), by default to the caller."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import FlowError, register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("sms")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    to = ctx.render(node.get("to", "{{call.caller}}")).strip()
    if not to:
        raise FlowError("no number to send the SMS to (caller id withheld?)")
    text = ctx.render(node["text"])
    await ctx.services.send_sms(to, text)
    ctx.trace.info("sms", {"to": to, "text": text})
    return node["next"]
