"""Transfer to an external number — only one on the tenant's allow-list.

The lint checks the allow-list before publish; the engine checks again at run time, because the list
may have shrunk since: a number not on it is an error (the document's fallback) and is never dialled.
A transfer that does not connect goes to `failed`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import FlowError, register

if TYPE_CHECKING:
    from ..engine import FlowContext


def transfer_allowed(number: str, allow_list: Iterable[str]) -> bool:
    """An allow-list entry is a full number or a prefix ending in '*' (as LintContext.transfer_allowed)."""
    for entry in allow_list:
        if entry.endswith("*") and number.startswith(entry[:-1]):
            return True
        if entry == number:
            return True
    return False


@register("transfer")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    number = node["number"]
    if not transfer_allowed(number, ctx.allowed_transfer_numbers):
        raise FlowError(f"transfer to {number} refused: not on the tenant's allow-list")
    await ctx.play(node.get("prompt"))
    result = await ctx.channel.transfer(number)
    ctx.trace.info("transfer", {"number": number, "answered": result.answered, "cause": result.cause})
    if not result.answered:
        return node["failed"]
    ctx.finish("transferred", "NORMAL_CLEARING")
    return None
