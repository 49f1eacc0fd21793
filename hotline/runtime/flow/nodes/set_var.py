"""Set variables; string values are templates ({{call.caller}}), numbers and booleans are kept as is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("set")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    for name, value in node["values"].items():
        ctx.set(name, ctx.render(value) if isinstance(value, str) else value)
    return node["next"]
