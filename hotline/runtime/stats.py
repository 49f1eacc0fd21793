"""What the runtime measures about itself: decision latency (an ESL event received → the next command
sent, i.e. the flow engine's work between two applications) and memory against calls in progress.

Cheap enough to stay on in production (two clock reads per command); `bench/runtime_load.py` reads it.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import deque
from pathlib import Path
from typing import Any


def rss_bytes() -> int:
    """Resident memory of this process (Linux), 0 where /proc is not there."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class RuntimeStats:
    def __init__(self, keep: int = 200_000) -> None:
        self.decisions: deque[float] = deque(maxlen=keep)
        self.samples: list[dict[str, Any]] = []
        self.peak_active = 0
        self.started = time.time()

    def decision(self, seconds: float) -> None:
        self.decisions.append(seconds)

    async def sample(self, active: Any, every: float = 0.5) -> None:
        """Records (time, calls in progress, RSS) until cancelled; `active` returns the call count."""
        while True:
            count = active()
            self.peak_active = max(self.peak_active, count)
            self.samples.append({"t": round(time.time() - self.started, 2), "active": count, "rss": rss_bytes()})
            await asyncio.sleep(every)

    def summary(self) -> dict[str, Any]:
        values = list(self.decisions)
        return {"decisions": len(values), "p50_ms": percentile(values, 50) * 1000,
                "p99_ms": percentile(values, 99) * 1000, "max_ms": max(values, default=0) * 1000,
                "peak_active": self.peak_active, "samples": self.samples}

    def write(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.summary()), encoding="utf-8")
