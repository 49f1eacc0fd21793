"""Answers of tenants' tracking webhooks, kept for the seconds the lookup node says (`cache_seconds`).

A hotline's callers ask about the same parcels again and again (the caller who calls back a minute later, the
IVR that looks the waybill up and then the agent's screen pop), and a tenant's tracking system is slower and
less available than our own tables. One cache per runtime process, shared by its calls; an entry is keyed
by tenant, URL, method and key, so a tenant never reads another's answers even for the same URL. Found and
not-found answers are kept; failures never are (the next call tries again). Bounded: the oldest entries
go first when it is full.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

CacheKey = tuple[Any, str, str, str]
MAX_ENTRIES = 10_000
MAX_SECONDS = 86_400


class LookupCache:
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

    def __len__(self) -> int:
        return len(self._entries)
