"""Wrap-up: the end of a timed wrap-up wakes waiting calls at once, in every runtime process, even when
the wrap-up began after the call went to sleep (no waiting for the poll)."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis

from hotline.runtime.acd import Acd, Assigned, WaitingCall

from ..acd_helpers import REDIS_URL, delete_prefix, new_prefix, require_redis, run_acd

pytestmark = pytest.mark.redis


def test_a_wrap_up_that_starts_while_a_call_sleeps_wakes_it_when_it_ends():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        first = WaitingCall("acme", "general", "first")
        assert isinstance(await acd.distributor.wait_for_agent(first, 5), Assigned)
        await acd.distributor.agent_answered(first, "u1")
        waiting = asyncio.create_task(acd.distributor.wait_for_agent(WaitingCall("acme", "general", "second"), 10))
        await asyncio.sleep(0.2)  # the second call tried, found nobody, and sleeps for its 5 s poll
        ended = time.monotonic()
        await acd.distributor.call_ended("u1", 0.3)
        outcome = await waiting
        assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
        assert 0.3 <= time.monotonic() - ended < 0.6

    run_acd(scenario, poll_seconds=5)


def test_the_wake_at_the_end_of_a_wrap_up_reaches_another_runtime_process():
    require_redis()
    prefix = new_prefix()

    async def main():
        one, two = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
        try:
            async with Acd(one, prefix=prefix, poll_seconds=5) as a, Acd(two, prefix=prefix, poll_seconds=5) as b:
                await a.presence.login("u1", {"acme": {}})
                first = WaitingCall("acme", "general", "first")
                await a.distributor.wait_for_agent(first, 5)
                await a.distributor.agent_answered(first, "u1")
                waiting = asyncio.create_task(b.distributor.wait_for_agent(WaitingCall("acme", "general", "on_b"), 10))
                await asyncio.sleep(0.2)
                ended = time.monotonic()
                await a.distributor.call_ended("u1", 0.25)  # process A ends the call; B's caller waits
                outcome = await waiting
                return outcome, time.monotonic() - ended
        finally:
            await delete_prefix(one, prefix)
            await one.aclose()
            await two.aclose()

    outcome, took = asyncio.run(main())
    assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
    assert 0.25 <= took < 0.6


def test_a_held_wrap_up_offers_no_call_until_the_agent_ends_it():
    """An outbound call's wrap-up waits for its disposition (desk/script_runner.py): the agent is offered no
    inbound call meanwhile, consistent with the desk refusing presence changes until then (issue 13, 13d #4)."""
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        first = WaitingCall("acme", "outbound", "campaign-call")
        assert isinstance(await acd.distributor.wait_for_agent(first, 5), Assigned)
        await acd.distributor.agent_answered(first, "u1")
        assert await acd.distributor.call_ended("u1", 0.1, hold=True)
        await asyncio.sleep(0.3)  # longer than the queue's timed wrap-up: a held one does not end by itself
        assert (await acd.presence.get("u1")).state == "wrap_up"
        inbound = WaitingCall("acme", "general", "inbound")
        assert not isinstance(await acd.distributor.wait_for_agent(inbound, 0.5), Assigned)
        await acd.presence.set_state("u1", "available")  # the disposition recorded: the desk ends the wrap-up
        assert isinstance(await acd.distributor.wait_for_agent(inbound, 5), Assigned)

    run_acd(scenario, poll_seconds=0.2)
