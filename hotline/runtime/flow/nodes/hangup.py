"""Hang up: an optional goodbye prompt, then the engine hangs up with the node's cause."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("hangup")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    await ctx.play(node.get("prompt"))
    ctx.finish("completed", node.get("cause", "NORMAL_CLEARING"))
    return None
