"""The runtime process: FreeSWITCH's outbound-socket connections in, one coroutine per call.

Shared state lives in Redis (ACD, cache invalidation), so any number of runtime processes can serve the
same FreeSWITCH boxes; see docs/freeswitch/README.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from genesis import Outbound

from ..platform.db import Database
from .acd import Acd
from .call_handler import CallHandler
from .inbound_link import InboundLink
from .routing import RouteCache
from .stats import RuntimeStats

log = logging.getLogger("hotline.runtime")
#: A connection that has not finished the ESL set-up (connect, filter, events, linger) by then is closed.
SETUP_TIMEOUT = 10.0
_call_started: contextvars.ContextVar[asyncio.Event] = contextvars.ContextVar("hotline_call_started")


class _Outbound(Outbound):
    """genesis's outbound server, with each connection's set-up bounded and its failures contained.

    genesis waits forever for a reply it could not parse (a header that is not UTF-8, a Content-Length that
    is not a number), so such a peer would hold a task and a socket of the runtime until it stops; and a
    peer that disconnects during the set-up surfaced as an unhandled exception. Both are now a warning and
    a closed connection; calls in progress are not affected.
    """

    def __init__(self, app: Callable[[Any], Awaitable[None]], host: str, port: int, *,
                 setup_timeout: float, events: bool = True) -> None:
        async def call(session: Any) -> None:
            started = _call_started.get(None)
            if started is not None:
                started.set()
            await app(session)

        super().__init__(call, host, port, events=events, linger=True)
        self.setup_timeout = setup_timeout

    @staticmethod
    async def handler(server: Any, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        started = asyncio.Event()
        _call_started.set(started)  # seen by `call` above: the task below runs in a copy of this context
        serve = asyncio.ensure_future(Outbound.handler(server, reader, writer))
        peer = writer.get_extra_info("peername")
        try:
            await asyncio.wait({serve}, timeout=server.setup_timeout)
            if not serve.done() and not started.is_set():
                log.warning("closing the ESL connection from %s: no valid set-up within %ss", peer,
                            server.setup_timeout)
                serve.cancel()
            await asyncio.wait({serve})
        finally:
            if not serve.done():  # the runtime is stopping
                serve.cancel()
            writer.close()
        if serve.cancelled() or serve.exception() is None:
            return
        if started.is_set():
            log.error("call connection from %s failed", peer, exc_info=serve.exception())
        else:
            log.warning("ESL set-up with %s failed: %r", peer, serve.exception())


class Runtime:
    """Serves calls on host:port (port 0 picks a free one; see `.port`)."""

    def __init__(self, db: Database, redis: Any, *, host: str = "127.0.0.1", port: int = 8084,
                 acd_prefix: str = "hotline:acd", esl: tuple[str, int, str] | None = None,
                 clock: Callable[[], datetime] | None = None, setup_timeout: float = SETUP_TIMEOUT) -> None:
        self.db, self.redis, self.host = db, redis, host
        self.routes = RouteCache(db)
        self.acd = Acd(redis, prefix=acd_prefix, poll_seconds=0.5, tick_seconds=15.0)
        self.stats = RuntimeStats()
        self.handler = CallHandler(db, self.routes, self.acd, stats=self.stats, **({"clock": clock} if clock else {}))
        # events=False: genesis would subscribe to every event of the channel ("event plain all") and parse
        # each one; the call handler subscribes to the few the runtime waits on (SUBSCRIBED_EVENTS).
        self.outbound = _Outbound(self.handler, host, port, setup_timeout=setup_timeout, events=False)
        self.inbound = InboundLink(*esl) if esl else None
        self._tasks: list[asyncio.Task[Any]] = []

    @property
    def port(self) -> int:
        return self.outbound.server.sockets[0].getsockname()[1]

    async def start(self) -> None:
        await self.acd.start()
        ready = asyncio.Event()
        self._tasks.append(asyncio.create_task(self.routes.listen(self.redis, ready)))
        await asyncio.wait_for(ready.wait(), 5)
        await self.outbound.start(block=False)
        if self.inbound is not None:
            self._tasks.append(asyncio.create_task(self.inbound.run()))
        self._tasks.append(asyncio.create_task(self.stats.sample(lambda: self.handler.active)))
        log.info("runtime listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        await self.outbound.stop()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.acd.close()

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
