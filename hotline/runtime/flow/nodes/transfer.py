"""Transfer to an external number — only one on the tenant's allow-list.

The lint checks the allow-list before publish; the engine checks again at run time, because the list
may have shrunk since: a number not on it is an error (the document's fallback) and is never dialled.
A transfer that does not connect goes to `failed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ....platform.phones import on_allow_list
from . import FlowError, register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("transfer")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    number = node["number"]
    if not on_allow_list(number, ctx.allowed_transfer_numbers):
        raise FlowError(f"transfer to {number} refused: not on the tenant's allow-list")
    await ctx.play(node.get("prompt"))
    result = await ctx.channel.transfer(number)
    ctx.trace.info("transfer", {"number": number, "answered": result.answered, "cause": result.cause})
    if not result.answered:
        return node["failed"]
    ctx.finish("transferred", "NORMAL_CLEARING")
    return None
