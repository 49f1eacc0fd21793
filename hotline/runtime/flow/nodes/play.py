"""Play: one prompt, then on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("play")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    await ctx.play(node["prompt"])
    return node["next"]
