"""The runtime process: FreeSWITCH's outbound-socket connections in, one coroutine per call.

Shared state lives in Redis (ACD, cache invalidation), so any number of runtime processes can serve the
same FreeSWITCH boxes; see docs/freeswitch/README.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..platform.db import Database
from ..platform.lost_calls import write_lost_calls
from ..platform.prompt_tts import TtsEngine
from .acd import DEFAULT_LEASE_SECONDS, Acd, OfferPolicy, new_runtime_id
from .call import dispatch_hook
from .call.handler import SUBSCRIBED_EVENTS, CallHandler
from .call.routing import RouteCache
from .dialer.answered import CampaignCalls
from .esl.inbound_link import InboundLink
from .esl.outbound import OutboundServer
from .esl.switch_profile import SwitchProfile
from .flow.lookup_cache import RedisLookupCache
from .stats import RuntimeStats

log = logging.getLogger("hotline.runtime")
#: A connection that has not finished the ESL set-up (connect, linger, filter, events) by then is closed.
SETUP_TIMEOUT = 10.0
#: Seconds a stopping runtime waits for the records of its ended and cut calls to be saved before it gives its
#: lease up. The lease must outlast every save: once it is gone a sweep (another runtime's, the worker's job)
#: writes a stand-in record for each call still under it, racing the runtime's own insert. A save is one short
#: transaction, so 2 s is ample on a healthy database, and fits `hotline up`'s 4 s share of its shutdown
#: (cli/shutdown.py). A save that outlives it is logged and the lease is left to run out (lease_seconds), so the
#: sweep takes over later instead of at once.
STOP_SAVE_SECONDS = 2.0


def acd_options(settings: Any) -> dict[str, Any]:
    """The Runtime keyword arguments that come from the [runtime] settings (lease, offer outcomes)."""
    return {
        "lease_seconds": settings.runtime_lease_seconds,
        "offers": OfferPolicy(
            pause_seconds={"busy": settings.runtime_busy_pause_seconds,
                           "no_answer": settings.runtime_no_answer_pause_seconds,
                           "unreachable": settings.runtime_unreachable_pause_seconds},
            reject_limit=settings.runtime_reject_limit),
    }


class Runtime:
    """Serves calls on host:port (port 0 picks a free one; see `.port`)."""

    def __init__(self, db: Database, redis: Any, *, host: str = "127.0.0.1", port: int = 8084,
                 acd_prefix: str = "hotline:acd", esl: tuple[str, int, str] | None = None,
                 clock: Callable[[], datetime] | None = None, setup_timeout: float = SETUP_TIMEOUT,
                 test_calls: bool = False, switch: SwitchProfile | None = None,
                 tts: TtsEngine | None = None, prompt_root: Path | None = None,
                 lease_seconds: float = DEFAULT_LEASE_SECONDS, offers: OfferPolicy | None = None,
                 runtime_id: str | None = None, stop_save_seconds: float = STOP_SAVE_SECONDS) -> None:
        self.db, self.redis, self.host = db, redis, host
        self.stop_save_seconds = stop_save_seconds
        self.routes = RouteCache(db, prompt_root, tts)
        #: this process in the ACD: what it holds is freed `lease_seconds` after it dies (acd/leases.py)
        self.runtime_id = runtime_id or new_runtime_id()
        self.acd = Acd(redis, prefix=acd_prefix, poll_seconds=0.5, tick_seconds=15.0, runtime_id=self.runtime_id,
                       runtime_lease_seconds=lease_seconds, offers=offers)
        self.stats = RuntimeStats()
        self.handler = CallHandler(db, self.routes, self.acd, switch, stats=self.stats,
                                   **({"clock": clock} if clock else {}))
        # tracking-webhook answers shared by every runtime process, bounded per tenant
        self.handler.lookup_cache = RedisLookupCache(redis, prefix=f"{acd_prefix}:lookup")
        self.handler.campaign_calls = CampaignCalls(db, self.acd, self.handler.switch, self.handler.agent_endpoint,
                                                    **({"clock": clock} if clock else {}), stats=self.stats,
                                                    lines_prefix=f"{acd_prefix}:dialer", saves=self.handler.saves)
        self.handler.test_calls = test_calls  # `hotline call`: records marked as tests, left out of every figure
        self.outbound = OutboundServer(self.handler, host, port, events=SUBSCRIBED_EVENTS,
                                       setup_timeout=setup_timeout)
        self.inbound = InboundLink(*esl) if esl else None
        if self.inbound is not None and self.acd.lease is not None:
            self.acd.lease.channel_exists = self._channel_exists
        if self.acd.lease is not None:  # dead runtimes' calls get their records (platform/lost_calls.py)
            self.acd.lease.record_lost = lambda entries: asyncio.to_thread(write_lost_calls, db, entries)
        self._tasks: list[asyncio.Task[Any]] = []

    @property
    def port(self) -> int:
        return self.outbound.port

    async def _channel_exists(self, uuid: str) -> bool:
        """`uuid_exists` over the inbound link: the lease sweep keeps an agent whose bridge lives (QA 12.1)."""
        assert self.inbound is not None
        return (await self.inbound.api(f"uuid_exists {uuid}")).strip() == "true"

    async def start(self) -> None:
        # the inbound link first: the lease's first sweep asks the switch about dead runtimes' bridges (QA 12 #2)
        if self.inbound is not None:
            self._tasks.append(asyncio.create_task(self.inbound.run()))
        await self.acd.start()
        ready = asyncio.Event()
        self._tasks.append(asyncio.create_task(self.routes.listen(self.redis, ready)))
        await asyncio.wait_for(ready.wait(), 5)
        rules_ready = asyncio.Event()  # dispatch rules cached in memory, dropped on publish (dispatch_hook.py)
        self._tasks.append(asyncio.create_task(dispatch_hook.follow_publishes(self.redis, rules_ready)))
        await asyncio.wait_for(rules_ready.wait(), 5)
        await self.outbound.start()
        self._tasks.append(asyncio.create_task(self.stats.sample(lambda: self.handler.active)))
        log.info("runtime listening on %s:%s", self.host, self.port)

    async def stop(self, grace_seconds: float = 0.0) -> None:
        """Stops taking calls; with `grace_seconds`, calls in progress run on that long (SIGTERM in
        `hotline runtime`), then the rest are cut and parked to the dialplan's fallback.

        The order matters (docs/runtime.md, Shutdown): calls stop first, then the records of the calls that ended
        or were cut are saved (within `stop_save_seconds`), and only then is the lease given up and the ACD
        closed. A save still running by then keeps the lease, which runs out by itself."""
        await self.outbound.stop(grace_seconds)
        left = await self.handler.saves.drain(self.stop_save_seconds)
        if left:
            log.warning("stopping: %d call record(s) still saving after %.1f s; the runtime's lease is kept to run "
                        "out by itself (%.0f s), so no sweep writes a stand-in meanwhile", left,
                        self.stop_save_seconds, self.acd.lease.lease_seconds if self.acd.lease else 0)
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.acd.close(release_lease=not left)

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
