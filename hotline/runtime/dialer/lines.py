"""Lines in use per campaign, shared by every dialer and runtime process through Redis.

Two sorted sets per campaign, members are call uuids, scores the time a member stops counting (so a process
that dies leaks nothing for long): `ringing` (originate sent, no result yet) and `live` (answered and not yet
with an agent, or, for agentless calls, not yet ended). The dialer adds to `ringing` before originate and
removes a failed call; an answered one stays `ringing` until the runtime that takes it moves it to `live` at
its connect (one MULTI), and the runtime removes it from `live`. So no line is ever counted free between the
answer and the runtime's connect, whatever order the two processes run in. Progressive and predictive pacing
subtract both from the free agents; agentless counts both against the campaign's `max_lines`.
"""

from __future__ import annotations

import time
from typing import Any

RINGING_TTL = 180.0
LIVE_TTL = 4 * 3600.0


class Lines:
    def __init__(self, redis: Any, prefix: str = "hotline:dialer") -> None:
        self.redis, self.prefix = redis, prefix

    def _key(self, kind: str, campaign_id: int) -> str:
        return f"{self.prefix}:{kind}:{campaign_id}"

    async def add(self, kind: str, campaign_id: int, call_uuid: str, ttl: float) -> None:
        await self.redis.zadd(self._key(kind, campaign_id), {call_uuid: time.time() + ttl})

    async def remove(self, kind: str, campaign_id: int, call_uuid: str) -> None:
        await self.redis.zrem(self._key(kind, campaign_id), call_uuid)

    async def answered(self, campaign_id: int, call_uuid: str, ttl: float) -> None:
        """The runtime took an answered call: from `ringing` to `live`, atomically."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(self._key("ringing", campaign_id), call_uuid)
        pipe.zadd(self._key("live", campaign_id), {call_uuid: time.time() + ttl})
        await pipe.execute()

    async def count(self, campaign_id: int) -> tuple[int, int]:
        """(ringing, live) now; expired members are dropped on the way."""
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        for kind in ("ringing", "live"):
            pipe.zremrangebyscore(self._key(kind, campaign_id), "-inf", now)
            pipe.zcard(self._key(kind, campaign_id))
        results = await pipe.execute()
        return int(results[1]), int(results[3])
