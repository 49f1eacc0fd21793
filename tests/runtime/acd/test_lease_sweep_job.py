"""QA 12.2: with a single runtime, expired leases were swept only by another runtime, so a lone runtime that died
left its agents on_call and its calls unrecorded until some runtime started again. The worker's scheduled lease
sweep (runtime/acd/lease_sweep_job.py) frees them and writes the records with no runtime running."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.jobs import Queues
from hotline.platform.models import CallRecord, Tenant
from hotline.runtime.acd import Acd, WaitingCall
from hotline.runtime.acd.lease_sweep_job import schedule_lease_sweep

from ...conftest import REDIS_URL
from ...jobs_support import run_worker
from ..acd_helpers import delete_prefix, new_prefix, require_redis

pytestmark = [pytest.mark.redis]


def test_the_workers_lease_sweep_frees_a_lone_dead_runtime_and_records_its_calls(queues: Queues,
                                                                                   job_database: Database) -> None:
    require_redis()
    db = job_database
    with db.platform() as session:
        tenant = Tenant(slug=f"sweep-{uuid.uuid4().hex[:8]}", title="扫除")
        session.add(tenant)
        session.flush()
        tenant_id = tenant.id
    prefix = new_prefix()
    t = str(tenant_id)

    async def die() -> None:
        """The only runtime: an agent ringing for one call, another call waiting, both in progress; then it dies."""
        client = aioredis.Redis.from_url(REDIS_URL)
        lone = Acd(client, prefix=prefix, runtime_id="lone", runtime_lease_seconds=60)
        try:
            await lone.lease.renew()
            await lone.presence.login("z1", {t: {"care": 1}})
            for call, caller in (("lone-call-1", "13900000001"), ("lone-call-2", "13900000002")):
                await lone.live_calls.start(call, {"tenant_id": tenant_id, "caller": caller, "did": "4000000001",
                                                   "ivr_document": "main"})
                await lone.live_calls.update(call, queue="care")
                await lone.queues.enqueue(WaitingCall(t, "care", call), claim=True)
            await client.delete(lone.keys.runtime("lone"))  # SIGKILL: the lease runs out, nobody renews it
        finally:
            await client.aclose()

    async def state() -> tuple[str | None, list[str]]:
        client = aioredis.Redis.from_url(REDIS_URL)
        reader = Acd(client, prefix=prefix)
        try:
            agent = await reader.presence.get("z1")
            return (agent.state if agent else None), await reader.queues.waiting(t, "care")
        finally:
            await client.aclose()

    def records() -> list[CallRecord]:
        with db.tenant(tenant_id) as session:
            return list(session.scalars(select(CallRecord).order_by(CallRecord.caller)))

    asyncio.run(die())
    assert asyncio.run(state())[0] == "ringing"
    try:
        assert schedule_lease_sweep(queues, 0.2, acd_prefix=prefix) is not None
        assert schedule_lease_sweep(queues, 0.2, acd_prefix=prefix) is None  # one chain per prefix
        run_worker(queues, until=lambda: len(records()) == 2, timeout=30)
        agent, waiting = asyncio.run(state())
        lost = records()
    finally:
        async def clean() -> None:
            client = aioredis.Redis.from_url(REDIS_URL)
            await delete_prefix(client, prefix)
            await client.aclose()

        asyncio.run(clean())
    assert agent == "available" and waiting == []
    assert [(r.caller, r.did, r.queue, r.outcome, r.hangup_cause) for r in lost] == [
        ("13900000001", "4000000001", "care", "runtime_lost", "runtime_lost"),
        ("13900000002", "4000000001", "care", "runtime_lost", "runtime_lost")]
