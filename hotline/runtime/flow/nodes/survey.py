"""Satisfaction survey: one key within min_score..max_score, recorded; thanks; then on or the end.

The schema gives this node no retries: one answer is asked for, and silence or an out-of-range key
records nothing (a survey must not hold a caller who does not want to answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext

ANSWER_TIMEOUT_SECONDS = 5


@register("survey")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    low, high = node.get("min_score", 1), node.get("max_score", 5)
    digit = await ctx.ask(node["prompt"], min_digits=1, max_digits=1, terminator="",
                          timeout_seconds=ANSWER_TIMEOUT_SECONDS, pattern=f"^[{low}-{high}]$")
    if digit is not None and digit.isdigit() and low <= int(digit) <= high:
        score = int(digit)
        ctx.set(node["variable"], score)
        await ctx.services.record_survey(node["variable"], score)
        await ctx.play(node.get("thanks_prompt"))
    else:
        ctx.trace.info("score", None)
    return node.get("next")
