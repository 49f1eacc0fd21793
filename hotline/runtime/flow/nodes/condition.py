"""Condition: the first branch whose `when` holds, else `else`.

Operands read var.<name>, call.<field> and customer.<field> (platform.conditions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hotline.platform.conditions import evaluate

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("condition")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    for index, branch in enumerate(node["branches"]):
        if evaluate(branch["when"], ctx.conditions):
            ctx.trace.info("branch", index)
            return branch["next"]
    ctx.trace.info("branch", "else")
    return node["else"]
