"""End-to-end set-up: the real runtime and the simulator over TCP, with real Redis and a real database."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.platform.notifier import redis_sink
from hotline.runtime.server import Runtime
from hotline.runtime.simswitch import AgentBehavior, SimSwitch, SimSwitchConfig, SocketTarget

from ..conftest import REDIS_URL

#: Monday 10:00 in Beijing: every template is open.
OPEN = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
#: Monday 23:30 in Beijing: closed.
CLOSED = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def require_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


@dataclass
class Stack:
    runtime: Runtime
    switch: SimSwitch
    redis: Any
    prefix: str


@contextlib.asynccontextmanager
async def stack(db: Database, *, clock: datetime = OPEN, agents: dict[str, AgentBehavior] | None = None,
                runtimes: int = 1, time_scale: float = 0.002) -> AsyncIterator[Stack]:
    """A simulator whose calls reach `runtimes` runtime processes' worth of servers sharing one Redis."""
    prefix = f"t{uuid.uuid4().hex[:8]}:acd"
    client = aioredis.Redis.from_url(REDIS_URL)
    servers = [Runtime(db, aioredis.Redis.from_url(REDIS_URL), port=0, acd_prefix=prefix, clock=lambda: clock)
               for _ in range(runtimes)]
    sync_client = redis.Redis.from_url(REDIS_URL)
    db.notifier.subscribe(redis_sink(sync_client))
    for server in servers:
        await server.start()
    switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", servers[0].port), agents=agents or {},
                                       time_scale=time_scale))
    await switch.start()
    try:
        yield Stack(servers[0], switch, client, prefix)
    finally:
        await switch.stop()
        for server in servers:
            await server.stop()
        keys = [k async for k in client.scan_iter(f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
        sync_client.close()
