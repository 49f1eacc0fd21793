"""Urge (催办) a ticket by phone: an urge on the original ticket, never a new one (issue 11 item 7).

The ticket number is rendered from `ticket`; the caller must own the ticket (their number is its phone,
or `verify_code` renders the last four digits of it). Where the call goes next:

* `next` — urged, and its handler was told;
* `no_handler` — urged, but nobody handles it yet: the dispatchers were alerted (the manual dispatch list),
  and the prompt there tells the caller so;
* `refused` — no such ticket, not the caller's, or already resolved (default: `next`... never silently:
  the schema requires it).

`variable` receives the urge count (第N次催办).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("urge")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    number = ctx.render(node["ticket"]).strip()
    code = ctx.render(node.get("verify_code", "")).strip() or None
    result = await ctx.services.urge_ticket(number, caller=ctx.render("{{call.caller}}"), code=code) \
        if number else None
    outcome = "refused" if not result or not result.get("allowed") else \
        ("next" if result.get("handler") else "no_handler")
    ctx.trace.info("urge", {"ticket": number, "outcome": outcome,
                            **({"count": result.get("count")} if result and result.get("allowed") else {})})
    if outcome != "refused" and "variable" in node:
        ctx.set(node["variable"], result.get("count") if result else 0)
    return node[outcome] if outcome != "next" else node["next"]
