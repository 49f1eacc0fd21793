"""Go to another node (another subtree), so flows can share parts without copying them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("goto")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    return node["target"]
