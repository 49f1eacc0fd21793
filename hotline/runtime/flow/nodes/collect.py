"""Collect digits into a variable (a waybill number, an account): length, terminator, full-match pattern.

Attempts are 1 + max_retries; a wrong entry plays invalid_prompt (if given) before the prompt again,
silence just repeats the prompt. When the attempts are used up the caller goes to the node's `fallback`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _valid(digits: str, min_digits: int, max_digits: int, pattern: str | None) -> bool:
    if not min_digits <= len(digits) <= max_digits:
        return False
    return pattern is None or _compiled(pattern).fullmatch(digits) is not None


@register("collect")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    min_digits, max_digits = node.get("min_digits", 1), node.get("max_digits", 20)
    pattern = node.get("pattern")
    anchored = f"^(?:{pattern})$" if pattern else None
    for _attempt in range(1 + node.get("max_retries", 2)):
        digits = await ctx.ask(
            node["prompt"], min_digits=min_digits, max_digits=max_digits,
            terminator=node.get("terminator", "#"), timeout_seconds=node.get("timeout_seconds", 5),
            pattern=anchored,
        )
        if digits is None:
            continue
        if _valid(digits, min_digits, max_digits, pattern):
            ctx.set(node["variable"], digits)
            return node["next"]
        await ctx.play(node.get("invalid_prompt"))
    ctx.trace.info("retries_exhausted", True)
    return node["fallback"]
