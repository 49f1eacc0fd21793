"""Answers of tenants' tracking webhooks, kept for the seconds the lookup node says (`cache_seconds`).

A hotline's callers ask about the same parcels again and again (the caller who calls back a minute later, the
IVR that looks the waybill up and then the agent's screen pop), and a tenant's tracking system is slower and
less available than our own tables. An entry is keyed by tenant, URL, method and key, so a tenant never reads
another's answers even for the same URL. Found and not-found answers are kept; failures never are (the next
call tries again).

Two stores with one interface (`fetch`, `store`, both awaitable): `RedisLookupCache`, which the runtime uses, so
that every runtime process (and a restarted one) shares the answers, bounded per tenant so one tenant's
millions of waybills cannot push out another's; and the in-process `LookupCache` for trial calls and tests.
The cache is an optimisation: a store that fails is a miss, never a failed lookup.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

log = logging.getLogger("hotline.runtime.lookup_cache")

CacheKey = tuple[Any, str, str, str]
MAX_ENTRIES = 10_000
MAX_SECONDS = 86_400
#: An answer larger than this (as JSON) is not kept: a tracking system's record is a few hundred bytes.
MAX_VALUE_BYTES = 64 * 1024


class LookupCache:
    """One process's cache (trial calls, tests); the oldest entries go first when it is full."""

    def __init__(self, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries, self.clock = max_entries, clock
        self._entries: OrderedDict[CacheKey, tuple[float, Any]] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: CacheKey) -> tuple[bool, Any]:
        """(True, the answer) while it is fresh, else (False, None)."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self.clock():
            if entry is not None:
                del self._entries[key]
            self.misses += 1
            return False, None
        self.hits += 1
        return True, entry[1]

    def put(self, key: CacheKey, value: Any, seconds: float) -> None:
        if seconds <= 0:
            return
        self._entries[key] = (self.clock() + min(seconds, MAX_SECONDS), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def fetch(self, key: CacheKey) -> tuple[bool, Any]:
        return self.get(key)

    async def store(self, key: CacheKey, value: Any, seconds: float) -> None:
        self.put(key, value, seconds)

    def __len__(self) -> int:
        return len(self._entries)


class RedisLookupCache:
    """The runtime's cache in Redis: one string per answer with its expiry, and per tenant a sorted set of
    its keys by expiry time, trimmed to `max_entries_per_tenant` (the soonest to expire go first)."""

    def __init__(self, redis: Any, prefix: str, max_entries_per_tenant: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.time) -> None:
        self.redis, self.prefix = redis, prefix
        self.max_entries, self.clock = max_entries_per_tenant, clock
        self.hits = self.misses = 0

    def _keys(self, key: CacheKey) -> tuple[str, str]:
        tenant, url, method, lookup = key
        digest = hashlib.sha256(json.dumps([url, method, lookup], ensure_ascii=False).encode()).hexdigest()
        return f"{self.prefix}:{tenant}:{digest}", f"{self.prefix}:{tenant}:index"

    async def fetch(self, key: CacheKey) -> tuple[bool, Any]:
        entry, _index = self._keys(key)
        try:
            raw = await self.redis.get(entry)
        except Exception as exc:  # a cache that is down is a miss
            log.warning("lookup cache unavailable (%s): asking the source", exc)
            raw = None
        if raw is None:
            self.misses += 1
            return False, None
        self.hits += 1
        return True, json.loads(raw)

    async def store(self, key: CacheKey, value: Any, seconds: float) -> None:
        if seconds <= 0:
            return
        raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if len(raw.encode()) > MAX_VALUE_BYTES:
            return
        seconds = int(min(max(seconds, 1), MAX_SECONDS))
        entry, index = self._keys(key)
        now = self.clock()
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(entry, raw, ex=seconds)
                pipe.zadd(index, {entry: now + seconds})
                pipe.zremrangebyscore(index, "-inf", now)  # expired answers leave the count
                pipe.zcard(index)
                pipe.expire(index, MAX_SECONDS)
                *_, count, _ = await pipe.execute()
            if count > self.max_entries:
                evicted = await self.redis.zpopmin(index, count - self.max_entries)
                if evicted:
                    await self.redis.delete(*[member for member, _score in evicted])
        except Exception as exc:
            log.warning("lookup cache unavailable (%s): answer not kept", exc)
