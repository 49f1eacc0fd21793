"""Helpers for the wallboard tests: tenants with queues, call records, and ACD state built through the ACD's
own asyncio API on a fresh Redis key prefix (db 15), deleted afterwards."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypeVar

import redis
from redis.asyncio import Redis

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Queue
from hotline.platform.services.tenants import create_tenant
from hotline.platform.wallboard import AcdReader
from hotline.runtime.acd import Acd, WaitingCall
from tests.runtime.acd_helpers import REDIS_URL, delete_prefix, new_prefix, require_redis

T = TypeVar("T")


def make_tenant(db: Database, timezone: str = "Asia/Shanghai",
                queues: dict[str, int | None] | None = None) -> int:
    """A tenant with queues {name: service-level seconds} (None: the column's default)."""
    with db.platform() as session:
        tenant = create_tenant(session, f"w{uuid.uuid4().hex[:8]}", "Wallboard test", "test",
                               settings={"timezone": timezone})
        for name, target in ({"general": 20, "vip": 10} if queues is None else queues).items():
            row = Queue(tenant_id=tenant.id, name=name, label=name.upper(), skills=[name])
            if target is not None:
                row.service_level_seconds = target
            session.add(row)
        return tenant.id


def add_call(db: Database, tenant_id: int, started: datetime, *, queue: str | None = "general",
             wait: int | None = 5, talk: float | None = 60.0, outcome: str = "completed",
             trace_status: str | None = None, **extra: Any) -> None:
    """One finished call record: answered after `wait` s and talking `talk` s, or unanswered (talk None).

    With `trace_status` the record is written as the runtime writes it: the queue's outcome in the trace's
    events and no `answered_at`.
    """
    queued_until = started + timedelta(seconds=wait or 0)
    answered = queued_until if talk is not None and trace_status is None else None
    ended = queued_until + timedelta(seconds=talk or 0)
    trace: dict[str, Any] = {}
    if trace_status is not None:
        trace = {"path": ["welcome", "to_agent"], "events": [
            {"type": "dispatch", "queue": queue, "priority": 5},
            {"type": "queue", "queue": queue, "status": trace_status, "agent": "1001", "wait_seconds": wait}]}
    with db.tenant(tenant_id) as session:
        session.add(CallRecord(tenant_id=tenant_id, uuid=uuid.uuid4().hex, did="4008000000", caller="13800000000",
                               started_at=started, answered_at=answered, ended_at=ended, queue=queue,
                               wait_seconds=wait, outcome=outcome, trace=trace, **extra))


class AcdWorld:
    """One Redis prefix for a test: run ACD coroutines on it and get a reader of the same keys."""

    def __init__(self) -> None:
        require_redis()
        self.prefix = new_prefix()

    def reader(self) -> AcdReader:
        return AcdReader(redis.Redis.from_url(REDIS_URL), self.prefix)

    def run(self, work: Callable[[Acd], Awaitable[T]]) -> T:
        async def main() -> T:
            client = Redis.from_url(REDIS_URL)
            try:
                return await work(Acd(client, prefix=self.prefix))
            finally:
                await client.aclose()

        return _run(main())

    def close(self) -> None:
        async def main() -> None:
            client = Redis.from_url(REDIS_URL)
            try:
                await delete_prefix(client, self.prefix)
            finally:
                await client.aclose()

        _run(main())


def _run(coroutine: Awaitable[T]) -> T:
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()  # type: ignore[arg-type]


def waiting(tenant_id: int, queue: str, call_id: str, *, waited: float = 0.0, now: float | None = None,
            priority: int = 5) -> WaitingCall:
    """A call for the queue that entered it `waited` seconds before `now` (Redis time)."""
    at = None if now is None else now - waited
    return WaitingCall(str(tenant_id), queue, call_id, priority, (), at)


async def redis_now(acd: Acd) -> float:
    seconds, micros = await acd.redis.time()
    return seconds + micros / 1_000_000
