"""QA 12 on the real switch: a lost call still bridged in the switch got a record that ended before it was answered
(#1), and the sweep's warning named no runtime when the dead runtime was kept for that bridge (#3)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime

import pytest
import redis.asyncio as aioredis

from hotline.platform.lost_calls import record_fields
from hotline.runtime.acd import Acd, WaitingCall

from ...conftest import REDIS_URL
from ..acd_helpers import delete_prefix, new_prefix, require_redis


def test_a_lost_record_never_ends_before_it_was_answered_or_queued():
    """The runtime's last renewal (lost_at) came just before the agent answered: ended_at was before answered_at."""
    fields = record_fields({"uuid": "u1", "tenant_id": "1", "started_at": "2026-12-07T03:54:10+00:00",
                            "queued_at": "2026-12-07T03:54:20+00:00", "answered_at": "2026-12-07T03:54:38.687+00:00",
                            "lost_at": "2026-12-07T03:54:38.525+00:00"})
    assert fields["ended_at"] >= fields["answered_at"] >= fields["started_at"]
    assert fields["ended_at"] == datetime(2026, 12, 7, 3, 54, 38, 687000, tzinfo=UTC)
    assert fields["talk_seconds"] is None  # nothing known about the talk: the runtime died at the answer


def test_an_outlived_lost_call_records_its_talk_until_the_sweep_found_it_gone():
    fields = record_fields({"uuid": "u1", "tenant_id": "1", "answered_at": "2026-12-07T03:54:38+00:00",
                            "outlived": "2026-12-07T03:54:40+00:00", "lost_at": "2026-12-07T03:55:00+00:00"})
    assert fields["ended_at"] == datetime(2026, 12, 7, 3, 55, tzinfo=UTC)
    assert fields["talk_seconds"] == 22.0
    assert "bridge went on" in fields["trace"]["lost"]["why"]


@pytest.mark.redis
def test_a_lost_call_still_bridged_is_recorded_when_the_switch_ends_it(caplog: pytest.LogCaptureFixture):
    require_redis()
    prefix = new_prefix()
    bridged = {"dead-call": True}

    async def exists(call: str) -> bool:
        return bridged.get(call, False)

    async def scenario():
        clients = [aioredis.Redis.from_url(REDIS_URL) for _ in range(2)]
        dead = Acd(clients[0], prefix=prefix, runtime_id="dead-rt", runtime_lease_seconds=60)
        live = Acd(clients[1], prefix=prefix, runtime_id="live-rt", runtime_lease_seconds=60)
        try:
            await dead.lease.renew()
            await live.lease.renew()
            await live.presence.login("d1", {"acme": {"care": 1}})
            call = WaitingCall("acme", "care", "dead-call")
            await dead.queues.enqueue(call, claim=True)
            await dead.distributor.agent_answered(call, "d1")
            await dead.live_calls.start("dead-call", {"tenant_id": "7", "agent": "d1", "queue": "care",
                                                      "answered_at": "2026-12-07T03:54:38+00:00"})
            await dead.live_calls.start("dead-waiting", {"tenant_id": "7", "queue": "care"})  # lost at once
            await clients[0].delete(dead.keys.runtime("dead-rt"))  # the lease ran out
            live.lease.channel_exists = exists
            with caplog.at_level(logging.WARNING, logger="hotline.runtime.acd"):
                first = await live.lease.sweep()
            during = await clients[1].lrange(live.keys.lost_calls, 0, -1)
            state = (await live.presence.get("d1")).state
            bridged["dead-call"] = False  # the caller hangs up in the switch
            second = await live.lease.sweep()
            after = [json.loads(x) for x in await clients[1].lrange(live.keys.lost_calls, 0, -1)]
            return first, during, state, second, after, (await live.presence.get("d1")).state
        finally:
            await delete_prefix(clients[0], prefix)
            for client in clients:
                await client.aclose()

    first, during, state, second, after, state_after = asyncio.run(scenario())
    assert (first.runtimes, first.agents) == ((), 0) and state == "on_call"
    assert [json.loads(x)["uuid"] for x in during] == ["dead-waiting"]
    assert (second.runtimes, second.agents) == (("dead-rt",), 1) and state_after == "available"
    assert [e["uuid"] for e in after] == ["dead-waiting", "dead-call"] and after[1]["outlived"]
    assert after[1]["lost_at"] >= after[1]["outlived"]  # the end is when the call was found gone, not the death
    warnings = [r.getMessage() for r in caplog.records if "lease expired" in r.getMessage()]
    assert warnings and all("dead-rt" in w for w in warnings), warnings


@pytest.mark.redis
def test_a_sweep_that_could_not_ask_the_switch_asks_again_soon():
    """QA 12 #2: the first sweep ran before the ESL link was up, kept the agent on_call and waited a whole sweep
    interval (half the lease) before asking again."""
    require_redis()
    prefix = new_prefix()
    asked: list[str] = []

    async def exists(call: str) -> bool:
        asked.append(call)
        if len(asked) == 1:
            raise TimeoutError("inbound ESL not connected yet")
        return False

    async def scenario():
        clients = [aioredis.Redis.from_url(REDIS_URL) for _ in range(2)]
        dead = Acd(clients[0], prefix=prefix, runtime_id="dead-rt", runtime_lease_seconds=60)
        live = Acd(clients[1], prefix=prefix, runtime_id="live-rt", runtime_lease_seconds=60)  # sweeps every 30 s
        try:
            await dead.lease.renew()
            await live.presence.login("d1", {"acme": {"care": 1}})
            call = WaitingCall("acme", "care", "dead-call")
            await dead.queues.enqueue(call, claim=True)
            await dead.distributor.agent_answered(call, "d1")
            await clients[0].delete(dead.keys.runtime("dead-rt"))
            live.lease.channel_exists = exists
            await live.start()
            first = (await live.presence.get("d1")).state
            for _ in range(60):
                if (await live.presence.get("d1")).state == "available":
                    break
                await asyncio.sleep(0.1)
            return first, (await live.presence.get("d1")).state
        finally:
            await live.close()
            await delete_prefix(clients[0], prefix)
            for client in clients:
                await client.aclose()

    first, later = asyncio.run(scenario())
    assert first == "on_call" and later == "available" and len(asked) == 2
