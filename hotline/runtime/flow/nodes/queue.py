"""Queue: hand the caller to an agent queue (the ACD behind FlowServices.enqueue).

After the agent hangs up the caller goes on to `after` (a survey, say) or the call ends; nobody
answering in time goes to `overflow`; a caller who hangs up while waiting ends the call as abandoned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("queue")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    queue = node["queue"]
    await ctx.play(node.get("prompt"))
    hold = node.get("hold_prompt")
    ctx.call_vars["queue"] = queue
    await ctx.channel.set_variable("hotline_queue", queue)  # FreeSWITCH's CDR names the queue too
    result = await ctx.services.enqueue(
        ctx.channel, queue, priority=node.get("priority", 5), skills=tuple(node.get("skills", ())),
        timeout_seconds=node.get("timeout_seconds", 120), hold_prompt=ctx.prompt(hold) if hold else None,
        announce_position=node.get("announce_position", True),
    )
    ctx.call_vars["wait_seconds"] = result.wait_seconds
    ctx.trace.info("queue", {"queue": queue, "status": result.status, "agent": result.agent,
                             "wait_seconds": result.wait_seconds})
    if result.status == "answered":
        return node.get("after")
    if result.status == "abandoned":
        ctx.finish("abandoned", channel_gone=True)
        return None
    return node["overflow"]
