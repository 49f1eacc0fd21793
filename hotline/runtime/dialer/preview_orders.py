"""Preview calls the agents' desks ask the dialer to place: one Redis list, `<lines prefix>:preview`.

The desk (synchronous Flask) pushes the DialOrder that outbound/preview.dial made — its attempt already written —
and a dialer process pops it at its next tick and places it like any other order, so every call of a campaign
leaves through the one originate path (the ESL link, the results written per tick, the lines counted). An order
waits at most ORDER_TTL: a desk whose dialer is down does not ring a callee minutes after the agent gave up.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import Any

from ...platform.outbound.dialing import DialOrder

#: Seconds an order may wait for a dialer before it is dropped (its attempt then lapses as `lost`).
ORDER_TTL = 30.0
#: Seconds from the callee's answer to the call's arrival in the ACD (answering-machine detection included).
ANSWER_MARGIN = 15.0


def reservation_seconds(order: DialOrder) -> float:
    """How long the agent who dialled stays reserved for the call (platform/acd/reservations.py) at most: the
    order's wait for a dialer, the ring time and the way of the answer to the ACD. The answer or a failure ends the
    reservation sooner; this bound only covers a dialer that died or an answer that never arrived."""
    return ORDER_TTL + order.ring_timeout + ANSWER_MARGIN


def key(lines_prefix: str) -> str:
    return f"{lines_prefix}:preview"


def push(redis: Any, lines_prefix: str, order: DialOrder, now: float | None = None) -> None:
    """Queues the order (a synchronous client: the desk's)."""
    payload = {**asdict(order), "queued_at": time.time() if now is None else now}
    redis.rpush(key(lines_prefix), json.dumps(payload))


async def pop(redis: Any, lines_prefix: str, count: int, now: float | None = None) -> list[DialOrder]:
    """Up to `count` orders, oldest first; expired ones are dropped."""
    raw = await redis.lpop(key(lines_prefix), count)
    moment = time.time() if now is None else now
    orders = []
    for item in raw or ():
        data = json.loads(item)
        if moment - float(data.pop("queued_at", moment)) > ORDER_TTL:
            continue
        orders.append(DialOrder(**data))
    return orders
