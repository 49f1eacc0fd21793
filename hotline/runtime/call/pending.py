"""The record saves a runtime has under way, so that its stop can wait for them before giving its lease up.

A call's record (and a campaign attempt's end) is written when the call ends, or when a runtime stop cuts it, in a
task of its own that the call's cancellation does not stop (`asyncio.shield`). A shielded task outlives the call's
task, and nothing waited for it: Runtime.stop() released the lease and swept itself while the write still ran, the
sweep found the call's live entry and wrote a stand-in `runtime_lost` record for the same call, and the two inserts
raced on call_record.uuid (506ead8). Every such save now runs through `PendingSaves.start`, and the stop waits for
`drain` before the lease goes (server.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class PendingSaves:
    """The save tasks of one runtime's calls that have not finished yet."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self, save: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Runs `save` as a task of its own, kept until it ends; await it through `asyncio.shield`."""
        task = asyncio.get_running_loop().create_task(save)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self, seconds: float) -> int:
        """Waits at most `seconds` for every save under way (and any started meanwhile); returns how many are left."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._tasks:
            left = deadline - loop.time()
            if left <= 0:
                break
            await asyncio.wait(list(self._tasks), timeout=left)
        return len(self._tasks)
