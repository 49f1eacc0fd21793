"""Queue: hand the caller to an agent queue (the ACD behind FlowServices.enqueue).

After the agent hangs up the caller goes on to `after` (a survey, say) or the call ends; nobody
answering in time — in this queue and in the overflow chain its queue settings name — goes to
`overflow` (typically a voicemail or callback node); a caller who hangs up while waiting ends the call
as abandoned.

While the caller waits, an announcement plays every `announce_every_seconds`: the position
(`announce_position`) and, with `announce_wait_time`, the estimated wait in minutes. `announce_prompt`
words it in the tenant's own text, with `{{call.queue_position}}`, `{{call.queue_ahead}}` (callers
ahead) and `{{call.wait_minutes}}`; without it a built-in Chinese sentence is spoken (the head of the
queue hears it is next, not "0 ahead"). A sentence that has not changed is said at most REPEAT_CAP
times in a row; then the hold music plays on until the position or the estimate changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..channel import RenderedPrompt
from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


#: The same announcement is said at most this many times in a row; while nothing changes (same position,
#: same estimate) the caller hears the hold music instead of one sentence every interval (issue 12).
REPEAT_CAP = 2


def position_text(position: int, wait_minutes: int | None, with_wait: bool, with_position: bool = True) -> str:
    """The built-in announcement: callers ahead and, when known and asked for, the estimated wait.

    The head of the queue hears that it is next, never "0 callers ahead of you"."""
    if not with_position:
        parts = []
    elif position <= 1:
        parts = ["您是下一位，坐席接通后将立即为您服务"]
    else:
        parts = [f"您前面还有{position - 1}位客户在等待"]
    if with_wait and wait_minutes is not None:
        parts.append("预计等待时间不超过1分钟" if wait_minutes <= 1 else f"预计等待约{wait_minutes}分钟")
    return "，".join(parts or ["正在为您转接"]) + "，请稍候。"


def _announcement(node: Mapping[str, Any], ctx: FlowContext):
    with_position = node.get("announce_position", True)
    with_wait = node.get("announce_wait_time", False)
    custom = node.get("announce_prompt")

    def announce(position: int, wait_minutes: int | None) -> RenderedPrompt | None:
        if not with_position and (not with_wait or wait_minutes is None):
            return None  # nothing to say (nobody staffed: no wait to promise)
        if custom:
            ctx.call_vars.update(queue_position=position, queue_ahead=position - 1,
                                 wait_minutes="" if wait_minutes is None else wait_minutes)
            return ctx.prompt(custom)
        return RenderedPrompt(text=position_text(position, wait_minutes, with_wait, with_position))

    return announce


@register("queue")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    queue = node["queue"]
    await ctx.play(node.get("prompt"))
    hold = node.get("hold_prompt")
    ctx.call_vars["queue"] = queue
    await ctx.channel.set_variable("hotline_queue", queue)  # FreeSWITCH's CDR names the queue too
    options: dict[str, Any] = {
        "context": {"call": dict(ctx.call_vars), "customer": dict(ctx.customer), "var": dict(ctx.variables)},
        "announcement": _announcement(node, ctx),
        "announce_wait_time": node.get("announce_wait_time", False),
    }
    if "announce_every_seconds" in node:
        options["announce_every_seconds"] = node["announce_every_seconds"]
    result = await ctx.services.enqueue(
        ctx.channel, queue, priority=node.get("priority", 5), skills=tuple(node.get("skills", ())),
        timeout_seconds=node.get("timeout_seconds", 120), hold_prompt=ctx.prompt(hold) if hold else None,
        announce_position=node.get("announce_position", True), options=options,
    )
    ctx.call_vars["wait_seconds"] = result.wait_seconds
    ctx.trace.info("queue", {"queue": queue, "status": result.status, "agent": result.agent,
                             "wait_seconds": result.wait_seconds,
                             **({"talk_ended_by": result.talk_ended_by} if result.talk_ended_by else {})})
    if result.status == "answered":
        return node.get("after")
    if result.status == "abandoned":
        ctx.finish("abandoned", channel_gone=True)
        return None
    return node["overflow"]
