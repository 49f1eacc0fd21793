"""Voicemail: a prompt, a recording, stored for the queue's agents; then on, or the call ends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("voicemail")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    await ctx.play(node["prompt"])
    recording = await ctx.channel.record(max_seconds=node.get("max_seconds", 120))
    if recording is None:
        ctx.trace.info("voicemail", None)
    else:
        await ctx.services.leave_voicemail(node.get("queue"), recording)
        ctx.trace.info("voicemail", {"path": recording.path, "seconds": recording.seconds})
    return node.get("next")
