"""Business-hours branch: `open` or `closed` by the node's calendar, else the tenant's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..calendar import is_open
from . import register

if TYPE_CHECKING:
    from ..engine import FlowContext


@register("hours")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    calendar = node.get("calendar") or ctx.tenant_calendar
    if calendar is None:
        # A tenant without a calendar has not restricted its hours: treat it as always open.
        ctx.trace.info("calendar", "none: open")
        return node["open"]
    opened = is_open(calendar, ctx.services.now())
    ctx.trace.info("open", opened)
    return node["open"] if opened else node["closed"]
