"""What the agent's desk needs to know about a live call: who calls and what they did in the IVR.

The call record is written when the call ends, but the screen pop happens while it rings. So when a call
enters an agent queue the runtime leaves its context in Redis — caller number, dialled number, the matched
customer, the IVR path and the variables the caller left (a waybill typed on the keypad) — under the
ACD's key prefix, next to the ACD's own call hash: ``P:callctx:<call uuid>``, a JSON string that expires
on its own (a call's context is worthless a few hours later, and the call record has it for good).

Writing it must never disturb a call: failures are logged and swallowed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from ..flow.trace import jsonable

log = logging.getLogger("hotline.runtime")
#: Seconds a call's context is kept: longer than any call plus its wrap-up.
CONTEXT_TTL = 4 * 3600


def context_key(prefix: str, call_uuid: str) -> str:
    return f"{prefix}:callctx:{call_uuid}"


async def publish(redis: Any, prefix: str, call_uuid: str, context: Callable[[], Mapping[str, Any]]) -> None:
    """Stores the call's context (`context()`, an asyncio Redis client); never raises."""
    try:
        await redis.set(context_key(prefix, call_uuid), json.dumps(jsonable(context()), ensure_ascii=False),
                        ex=CONTEXT_TTL)
    except Exception:
        log.exception("could not publish the context of call %s", call_uuid)


def read(redis: Any, prefix: str, call_uuid: str) -> dict[str, Any] | None:
    """The call's context (a sync Redis client), or None when the runtime left none."""
    raw = redis.get(context_key(prefix, call_uuid))
    if raw is None:
        return None
    try:
        found = json.loads(raw)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None
