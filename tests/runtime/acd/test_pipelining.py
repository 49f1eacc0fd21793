"""Auto-pipelining of the ACD's scripts: the scripts of one event-loop turn share one round trip, yet each
caller gets its own reply or its own error, and a script Redis has not seen is loaded and run (real Redis)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import pytest
from redis.exceptions import ResponseError

from hotline.runtime.acd import Acd, WaitingCall

from ..acd_helpers import run_acd

pytestmark = pytest.mark.redis


def test_concurrent_claims_share_round_trips_and_each_call_gets_its_own_agent():
    async def scenario(acd: Acd):
        await asyncio.gather(*(acd.presence.login(f"u{i:02d}", {"acme": {"general": 1}}) for i in range(30)))
        before = acd.scripts.batches
        placed = await asyncio.gather(*(acd.queues.enqueue(
            WaitingCall("acme", "general", f"call{i}", skills=("general",)), claim=True) for i in range(30)))
        return [p.agent_id for p in placed], acd.scripts.batches - before

    agents, batches = run_acd(scenario)
    assert sorted(agents) == [f"u{i:02d}" for i in range(30)]  # nobody twice, nobody left out
    assert batches <= 3, batches


def test_an_error_in_one_script_of_a_batch_reaches_only_its_caller():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        return await asyncio.gather(
            acd.scripts.run("login", "u2", "{not json", "available"),  # cjson fails inside Redis
            acd.queues.enqueue(WaitingCall("acme", "general", "good"), claim=True),
            return_exceptions=True)

    bad, good = run_acd(scenario)
    assert isinstance(bad, ResponseError)
    assert not isinstance(good, BaseException) and good.agent_id == "u1"


@pytest.mark.parametrize("together", [1, 5])
def test_a_script_redis_does_not_know_is_loaded_and_run_once(together: int):
    async def scenario(acd: Acd):
        scripts = acd.scripts
        # a body Redis has never seen (as after a restart, which forgets loaded scripts)
        scripts._bodies["login"] += f"\n-- {uuid.uuid4().hex}"
        scripts._shas["login"] = hashlib.sha1(scripts._bodies["login"].encode()).hexdigest()
        await asyncio.gather(*(acd.presence.login(f"n{i}", {"acme": {"general": 2}}) for i in range(together)))
        return [await acd.presence.get(f"n{i}") for i in range(together)], await acd.events("acme")

    agents, events = run_acd(scenario)
    assert all(a is not None and a.state == "available" for a in agents)
    logins = [e for e in events if e.kind == "agent_state"]
    assert len(logins) == together  # each login ran exactly once


def test_a_cancelled_caller_is_dropped_before_its_batch_is_sent():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        task = asyncio.ensure_future(acd.queues.enqueue(WaitingCall("acme", "general", "gone"), claim=True))
        await asyncio.sleep(0)  # the request is pending, not yet sent
        task.cancel()
        await asyncio.sleep(0.05)
        return await acd.queues.waiting("acme", "general"), await acd.presence.get("u1")

    waiting, agent = run_acd(scenario)
    assert waiting == [] and agent.state == "available"
