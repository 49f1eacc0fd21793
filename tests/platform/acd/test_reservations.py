"""Preview reservations (platform/acd/reservations.py) with the real ACD on Redis: an agent who pressed 拨打 is not
offered an inbound call while their callee rings, and the reservation ends when the callee answers (the claim of
the preview call), when the dial fails (release) and by itself at its deadline."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis as sync_redis

from hotline.platform.acd import reservations
from hotline.runtime.acd import Acd, Assigned, TimedOut, WaitingCall

from ...runtime.acd_helpers import REDIS_URL, run_acd

pytestmark = pytest.mark.redis


def _inbound(call_id: str) -> WaitingCall:
    return WaitingCall("acme", "general", call_id)


def _preview_answer(call_id: str, agent: str) -> WaitingCall:
    """The answered preview call as answered.py enqueues it: for the agent who dialled, for the whole 2 s."""
    return WaitingCall("acme", "outbound", call_id, 9, agent=agent, agent_wait_seconds=2)


async def _reservation(acd: Acd, agent: str) -> list[bytes | None]:
    return await acd.redis.hmget(acd.keys.agent(agent), "reserved_for", "reserved_until")


def test_an_inbound_offer_skips_the_reserved_agent_and_the_answer_ends_the_reservation() -> None:
    async def scenario(acd: Acd) -> None:
        await acd.presence.login("u1", {"acme": {}})  # longest idle: an inbound call would go to u1 first
        await acd.presence.login("u2", {"acme": {}})
        assert await reservations.reserve(acd.redis, acd.keys.prefix, "u1", "pv-1", 60) == 1
        offered = await acd.distributor.wait_for_agent(_inbound("in-1"), 2)
        assert isinstance(offered, Assigned) and offered.agent_id == "u2"
        nobody = await acd.distributor.wait_for_agent(_inbound("in-2"), 0.3)  # u2 rings; u1 is held for pv-1
        assert isinstance(nobody, TimedOut)
        answered = await acd.distributor.wait_for_agent(_preview_answer("pv-1", "u1"), 2)
        assert isinstance(answered, Assigned) and answered.agent_id == "u1"
        assert await _reservation(acd, "u1") == [None, None]  # the answer ended it
        await acd.distributor.agent_answered(_preview_answer("pv-1", "u1"), "u1")
        await acd.distributor.call_ended("u1", 0)
        again = await acd.distributor.wait_for_agent(_inbound("in-3"), 2)  # free for inbound after the call
        assert isinstance(again, Assigned) and again.agent_id == "u1"

    run_acd(scenario)


def test_a_failed_dial_releases_the_agent_to_the_waiting_inbound_call_at_once() -> None:
    async def scenario(acd: Acd) -> None:
        await acd.presence.login("u1", {"acme": {}})
        await reservations.reserve(acd.redis, acd.keys.prefix, "u1", "pv-2", 60)
        waiting = asyncio.create_task(acd.distributor.wait_for_agent(_inbound("in-4"), 10))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        assert await reservations.release(acd.redis, acd.keys.prefix, "u1", "pv-other") == 0  # not that call
        released = time.monotonic()
        assert await reservations.release(acd.redis, acd.keys.prefix, "u1", "pv-2") == 1
        outcome = await waiting
        assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
        assert time.monotonic() - released < 1.0  # woken, not left to the 5 s poll

    run_acd(scenario, poll_seconds=5)


def test_a_reservation_nobody_ends_lapses_at_its_deadline() -> None:
    async def scenario(acd: Acd) -> None:
        await acd.presence.login("u1", {"acme": {}})
        reserved = time.monotonic()
        await reservations.reserve(acd.redis, acd.keys.prefix, "u1", "pv-3", 0.5)
        outcome = await acd.distributor.wait_for_agent(_inbound("in-5"), 5)
        assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
        assert time.monotonic() - reserved >= 0.45

    run_acd(scenario, poll_seconds=0.1)


def test_the_desks_synchronous_client_reserves_only_a_logged_in_agent_and_bounds_the_time() -> None:
    async def scenario(acd: Acd) -> None:
        await acd.presence.login("u1", {"acme": {}})
        client = sync_redis.Redis.from_url(REDIS_URL)
        try:
            assert reservations.reserve(client, acd.keys.prefix, "ghost", "pv-4", 30) == 0
            assert not client.exists(acd.keys.agent("ghost"))
            assert reservations.reserve(client, acd.keys.prefix, "u1", "pv-4", 10_000) == 1
            now_seconds, micros = client.time()
            until = float(client.hget(acd.keys.agent("u1"), "reserved_until"))
            assert until <= now_seconds + micros / 1e6 + reservations.MAX_SECONDS
        finally:
            client.close()
        with pytest.raises(ValueError):
            reservations.reserve(acd.redis, acd.keys.prefix, "a:b", "pv-5", 30)

    run_acd(scenario)


def test_a_reserved_agent_reads_reserved_so_the_dialer_does_not_pace_a_line_for_them() -> None:
    async def scenario(acd: Acd) -> None:
        await acd.presence.login("u1", {"acme": {}})
        await reservations.reserve(acd.redis, acd.keys.prefix, "u1", "pv-6", 60)
        (agent,) = await acd.presence.agents_in("acme")
        assert agent.state == "available" and agent.reserved
        await reservations.release(acd.redis, acd.keys.prefix, "u1", "pv-6")
        (agent,) = await acd.presence.agents_in("acme")
        assert not agent.reserved

    run_acd(scenario)
