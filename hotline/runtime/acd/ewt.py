"""Estimated wait time (EWT) of a waiting call, for the announcements a caller hears while queued.

The estimate is the classic one of small contact centres: the calls that must be served before this one,
beyond the agents free right now, each take one average handle time (talk + wrap-up, from the queue's
recent calls, which call_ended records) shared among the agents staffing the queue:

    EWT = 0                                    if position <= agents available now
    EWT = (position - available) * AHT / staffed   otherwise
    EWT = unknown (None)                       if nobody with the skills is logged in

"Staffed" counts the agents of the tenant holding every skill the call needs who are available, ringing,
on a call or in wrap-up (break and offline agents will not take the call soon). It is an estimate to
announce ("about 3 minutes"), never a promise: it ignores calls that will abandon and agents who go on
break.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from ...platform.acd.keys import AcdKeys
from .presence import Presence
from .queueing import WaitingCall

#: The handle time assumed for a queue with no recent calls.
DEFAULT_HANDLE_SECONDS = 180.0
STAFFED_STATES = frozenset({"available", "ringing", "on_call", "wrap_up"})


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    """What the estimate was made from, and the estimate (None when nobody could serve the call)."""

    position: int
    seconds: float | None
    staffed: int
    available: int
    average_handle_seconds: float

    @property
    def minutes(self) -> int | None:
        """Whole minutes to announce, rounded up, at least 1 when there is any wait."""
        if self.seconds is None:
            return None
        return 0 if self.seconds <= 0 else max(1, -(-int(self.seconds) // 60))


def estimate_wait(position: int, handle_times: Sequence[float], staffed: int, available: int,
                  default_handle_seconds: float = DEFAULT_HANDLE_SECONDS) -> float | None:
    """Seconds until the call at `position` (1 = head) is likely offered to an agent (formula above)."""
    if position <= available:
        return 0.0
    if staffed <= 0:
        return None
    handle = statistics.fmean(handle_times) if handle_times else default_handle_seconds
    return (position - available) * handle / staffed


class WaitEstimator:
    """Reads the queue's recent handle times and the tenant's agents from Redis to estimate a wait."""

    def __init__(self, redis: Redis, *, keys: AcdKeys, presence: Presence,
                 default_handle_seconds: float = DEFAULT_HANDLE_SECONDS) -> None:
        self._redis = redis
        self._keys = keys
        self._presence = presence
        self.default_handle_seconds = default_handle_seconds

    async def handle_times(self, tenant: str, queue: str) -> list[float]:
        """The queue's recent handle times in seconds, newest first."""
        return [float(v) for v in await self._redis.lrange(self._keys.handle(tenant, queue), 0, -1)]

    async def estimate(self, call: WaitingCall, position: int) -> WaitEstimate:
        handle_times = await self.handle_times(call.tenant, call.queue)
        staffed = available = 0
        for agent in await self._presence.agents_in(call.tenant):
            levels = agent.skills.get(call.tenant, {})
            if any(skill not in levels for skill in call.skills) or agent.state not in STAFFED_STATES:
                continue
            staffed += 1
            available += agent.state == "available"
        aht = statistics.fmean(handle_times) if handle_times else self.default_handle_seconds
        return WaitEstimate(position, estimate_wait(position, handle_times, staffed, available,
                                                    self.default_handle_seconds),
                            staffed, available, aht)
