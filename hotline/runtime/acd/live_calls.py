"""The calls a runtime process carries, kept in Redis under its lease, so a crash still leaves call records.

A runtime writes a call's record when the call ends; a runtime killed with SIGKILL (or the OOM killer, or a
power cut) writes none, and its calls vanished from every figure (QA 12). So each call is entered here when it
starts (tenant, caller, DID, start, the published IVR) and updated at the moments the record needs (the queue
it entered, when an agent answered): ``P:live:<call>``, indexed as ``live:<call>`` in the runtime's owned set.
When the record is written the entry goes. When the runtime's lease expires, the sweep (lua_leases.py) moves
its entries to ``P:lost_calls``, and whoever sweeps with a database (a runtime, the worker's lease sweep job)
writes them as records with hangup cause ``runtime_lost`` (platform/lost_calls.py).

Two or three Redis commands per call at start and at the end, and one per queue entry and answer; nothing is
written while the flow runs node to node (the steps of a lost call are lost with the process's memory).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis

from ...platform.acd.keys import AcdKeys

log = logging.getLogger("hotline.runtime.acd")
#: An entry outlives a runtime that dies and is never swept (no process with the ACD left) by this long at most.
ENTRY_TTL_SECONDS = 7 * 24 * 3600


class LiveCalls:
    """One runtime process's calls in progress (a no-op without a runtime id: nothing would sweep them)."""

    def __init__(self, redis: Redis, keys: AcdKeys, runtime_id: str) -> None:
        self._redis, self._keys, self.runtime_id = redis, keys, runtime_id

    async def start(self, call: str, fields: Mapping[str, Any]) -> None:
        """The call began: what its record needs if this process dies before writing it."""
        if not self.runtime_id:
            return
        values = {name: _text(value) for name, value in fields.items() if value is not None}
        values["runtime"] = self.runtime_id
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(self._keys.live(call), mapping=values)
                pipe.expire(self._keys.live(call), ENTRY_TTL_SECONDS)
                pipe.sadd(self._keys.runtime_owned(self.runtime_id), f"live:{call}")
                await pipe.execute()
        except Exception:  # Redis down: the call goes on; only a crash now would lose its record
            log.warning("call %s: not entered in the live calls (Redis)", call, exc_info=True)

    async def update(self, call: str, **fields: Any) -> None:
        """More of the record (queue entered, answered_at, agent), for a call this process carries."""
        if not self.runtime_id:
            return
        values = {name: _text(value) for name, value in fields.items() if value is not None}
        if not values:
            return
        try:
            if await self._redis.exists(self._keys.live(call)):  # never re-create an entry a sweep took
                await self._redis.hset(self._keys.live(call), mapping=values)
        except Exception:
            log.warning("call %s: live call not updated (Redis)", call, exc_info=True)

    async def end(self, call: str) -> None:
        """The record is written: the entry goes."""
        if not self.runtime_id:
            return
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(self._keys.live(call))
                pipe.srem(self._keys.runtime_owned(self.runtime_id), f"live:{call}")
                await pipe.execute()
        except Exception:
            log.warning("call %s: live call not removed (Redis)", call, exc_info=True)


def _text(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
