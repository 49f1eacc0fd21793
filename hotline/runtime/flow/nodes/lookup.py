"""Lookup: a key in a tenant table, a built-in source or a webhook; result fields into variables.

Every source is bounded by a timeout (the webhook's own timeout_ms, else the engine's default), so a
slow database or partner system costs the caller seconds, not the call. A failure goes to the node's
`error` target when it has one — typically a queue node, so a caller whose tracking system is down reaches
an agent — else the engine sends the caller to the document's fallback. A webhook's answers (found or not
found, never failures) are kept for its `cache_seconds` in the runtime's LookupCache (lookup_cache.py),
when the services carry one (in Redis for the runtime, shared by its processes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import FlowError, describe, register

if TYPE_CHECKING:
    from ..engine import FlowContext


async def _fetch(source: Mapping[str, Any], key: str, ctx: FlowContext) -> Any:
    services = ctx.services
    if "table" in source:
        return await asyncio.wait_for(services.lookup_table(source["table"], key),
                                      ctx.lookup_timeout_ms / 1000)
    if "builtin" in source:
        # A ticket is read in full to its owner only: the caller's number, or the code they typed.
        owner = {"caller": ctx.render("{{call.caller}}"), "code": ctx.render(source.get("verify_code", "")) or None} \
            if source["builtin"] == "ticket" else {}
        return await asyncio.wait_for(services.lookup_builtin(source["builtin"], key, **owner),
                                      ctx.lookup_timeout_ms / 1000)
    hook = source["webhook"]
    timeout_ms, method = hook.get("timeout_ms", 2000), hook.get("method", "GET")
    cache, seconds = getattr(services, "lookup_cache", None), hook.get("cache_seconds", 0)
    cache_key = (ctx.call.tenant, hook["url"], method, key)
    if cache is not None and seconds:
        hit, record = await cache.fetch(cache_key)
        ctx.trace.info("cache", "hit" if hit else "miss")
        if hit:
            return record
    call = services.call_webhook(hook["url"], method, key, timeout_ms, hook.get("headers", {}))
    record = await asyncio.wait_for(call, timeout_ms / 1000)
    if cache is not None and seconds:
        await cache.store(cache_key, record, seconds)  # only answers: a failure raised above and is never kept
    return record


def _field(record: Mapping[str, Any], path: str) -> Any:
    """A field of the record; dotted paths reach into nested webhook JSON (status.text)."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


@register("lookup")
async def run(node: Mapping[str, Any], ctx: FlowContext) -> str | None:
    source = node["source"]
    key = ctx.render(node["key"]).strip()
    ctx.trace.info("source", next(iter(source)))
    ctx.trace.info("key", key)
    if not key:
        ctx.trace.info("found", False)
        return node["not_found"]
    try:
        record = await _fetch(source, key, ctx)
        if record is not None and not isinstance(record, Mapping):
            raise FlowError(f"lookup returned {type(record).__name__}, not a record")
    except Exception as exc:
        if "error" not in node:
            raise
        ctx.trace.error(ctx.node_id, "lookup", describe(exc), node["error"])
        return node["error"]
    ctx.trace.info("found", record is not None)
    if record is None:
        return node["not_found"]
    missing = []
    for variable, path in node.get("assign", {}).items():
        value = _field(record, path)
        if value is None:
            # An optional field the source left out reads as empty text, never as "None" in a prompt.
            missing.append(path)
            value = ""
        ctx.set(variable, value)
    if missing:
        ctx.trace.info("missing_fields", missing)
    return node["found"]
