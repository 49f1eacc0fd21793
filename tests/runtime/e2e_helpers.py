"""End-to-end set-up: the real runtime and the simulator over TCP, with real Redis and a real database."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest
import redis
import redis.asyncio as aioredis
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord
from hotline.platform.notifier import redis_sink
from hotline.platform.services import templates
from hotline.platform.services.documents import DocumentService
from hotline.runtime.acd import AcdEvent
from hotline.runtime.esl.switch_profile import SwitchProfile
from hotline.runtime.server import Runtime
from hotline.runtime.simswitch import AgentBehavior, SimSwitch, SimSwitchConfig, SocketTarget

from ..conftest import REDIS_URL

T = TypeVar("T")

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
    #: Every runtime process of the stack (`runtime` is the first).
    runtimes: list[Runtime] = field(default_factory=list)

    async def login(self, agent: str, tenant_id: int, *skills: str, level: int = 1) -> None:
        """Logs an agent in for one tenant with the skills (the ACD knows tenants by their id as text)."""
        await self.runtime.acd.presence.login(agent, {str(tenant_id): {skill: level for skill in skills}})

    async def events(self, tenant_id: int) -> list[AcdEvent]:
        """The tenant's ACD event stream so far."""
        return await self.runtime.acd.events(str(tenant_id), count=100_000)


def _attach_redis_sink(db: Database) -> None:
    """Publishes the database's platform events on Redis, once per Database (sinks accumulate)."""
    if getattr(db, "_e2e_redis_sink", False):
        return
    db.notifier.subscribe(redis_sink(redis.Redis.from_url(REDIS_URL)))
    db._e2e_redis_sink = True  # type: ignore[attr-defined]


@contextlib.asynccontextmanager
async def stack(db: Database, *, clock: datetime = OPEN, agents: dict[str, AgentBehavior] | None = None,
                runtimes: int = 1, time_scale: float = 0.002, spread: Sequence[str] = (),
                profile: SwitchProfile | None = None, runtime_options: dict[str, Any] | None = None,
                **switch_options: Any) -> AsyncIterator[Stack]:
    """A simulator whose calls reach `runtimes` runtime processes sharing one Redis (one ACD prefix).

    Calls go to the first runtime, except the DIDs in `spread`, which are dealt round-robin over all of
    them (FreeSWITCH's dialplan pointing different numbers at different runtime boxes). `profile` is the
    runtime's [switch] settings; `switch_options` configure the simulator (tts_engines, missing_files,
    gateways, default_agent).
    """
    prefix = f"t{uuid.uuid4().hex[:8]}:acd"
    client = aioredis.Redis.from_url(REDIS_URL)
    servers = [Runtime(db, aioredis.Redis.from_url(REDIS_URL), port=0, acd_prefix=prefix, clock=lambda: clock,
                       setup_timeout=1.0, switch=profile, **(runtime_options or {})) for _ in range(runtimes)]
    _attach_redis_sink(db)
    started: list[Runtime] = []
    switch: SimSwitch | None = None
    try:
        for server in servers:
            await server.start()
            started.append(server)
        dids = {did: SocketTarget("127.0.0.1", servers[i % len(servers)].port) for i, did in enumerate(spread)}
        switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", servers[0].port), dids=dids,
                                           agents=agents or {}, time_scale=time_scale, **switch_options))
        await switch.start()
        yield Stack(servers[0], switch, client, prefix, servers)
    finally:
        if switch is not None:
            await switch.stop()
        for server in started:
            await server.stop()
            await server.redis.aclose()
        keys = [k async for k in client.scan_iter(f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


def run(coro: Awaitable[T], timeout: float = 30) -> T:
    """Runs a scenario in a fresh event loop, bounded in wall time."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


def clone(db: Database, template: str, slug: str, dids: list[str]) -> int:
    """A tenant made from an industry template, its documents published; returns its id."""
    with db.platform() as session:
        return templates.clone(session, templates.load(template), slug, None, "test", dids=dids).id


def publish_ivr(db: Database, tenant_id: int, edit: Callable[[dict[str, Any]], None], name: str = "main",
                note: str = "test edit") -> int:
    """Edits the IVR's draft (`edit` changes the body in place) and publishes it; returns the version."""
    with db.tenant(tenant_id) as session:
        service = DocumentService(session, "test")
        doc = service.get("ivr", name)
        body = copy.deepcopy(doc.draft)
        edit(body)
        service.save_draft("ivr", name, body, doc.draft_revision)
        return service.publish("ivr", name, note).number


def call_record(db: Database, tenant_id: int, uuid: str) -> CallRecord | None:
    with db.tenant(tenant_id) as session:
        return session.scalar(select(CallRecord).where(CallRecord.uuid == uuid))


async def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, interval: float = 0.01,
                     what: str = "condition") -> Any:
    """Polls `predicate` (sync or async) until it returns something truthy; fails after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if loop.time() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)


async def wait_for_record(db: Database, tenant_id: int, uuid: str, timeout: float = 5.0) -> CallRecord:
    """The call's record, once the runtime has written it."""
    return await wait_until(lambda: asyncio.to_thread(call_record, db, tenant_id, uuid), timeout,
                            interval=0.05, what=f"the call record of {uuid}")


def visited(record: CallRecord) -> list[str]:
    """The IVR nodes a recorded call went through."""
    return [step["node"] for step in record.trace.get("steps", [])]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def error_logs() -> Iterator[list[logging.LogRecord]]:
    """Collects every ERROR logged meanwhile: the runtime's, asyncio's (an exception nobody handled) and
    genesis's (its logger does not propagate to the root)."""
    handler = _Collect()
    loggers = [logging.getLogger(), logging.getLogger("genesis.observability.logger")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def describe_logs(records: list[logging.LogRecord]) -> str:
    return "\n".join(f"{r.name}: {r.getMessage()}" + (f" ({r.exc_info[1]!r})" if r.exc_info else "")
                     for r in records)
