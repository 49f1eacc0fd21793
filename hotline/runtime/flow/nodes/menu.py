"""Menu: a prompt, one digit → next node, with timeout and invalid-input retries.

Attempts are 1 + max_retries. After a timeout the caller hears timeout_prompt, after a wrong key
invalid_prompt (each only if given), then the menu prompt again — FreeSWITCH's play_and_get_digits
convention. When the attempts are used up the caller goes to the menu's own `fallback`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


def _options_pattern(options: Mapping[str, str]) -> str:
    return "^[" + "".join(re.escape(digit) for digit in sorted(options)) + "]$"


@register("menu")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    options: Mapping[str, str] = node["options"]
    pattern = _options_pattern(options)
    timeout = node.get("timeout_seconds", 5)
    for _attempt in range(1 + node.get("max_retries", 2)):
        # No terminator: # and * may be options themselves.
        digit = await ctx.ask(node["prompt"], min_digits=1, max_digits=1, terminator="",
                              timeout_seconds=timeout, pattern=pattern)
        if digit is not None and digit in options:
            return options[digit]
        await ctx.play(node.get("timeout_prompt") if digit is None else node.get("invalid_prompt"))
    ctx.trace.info("retries_exhausted", True)
    return node["fallback"]
