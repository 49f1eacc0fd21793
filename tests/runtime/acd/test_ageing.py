"""Priorities with ageing: a waiting call's effective priority is `priority + waited / ageing_seconds`,
so a low-priority call is never starved by a stream of high-priority ones."""

from __future__ import annotations

import asyncio
import time

import pytest

from hotline.runtime.acd import Acd, QueuePolicy, WaitingCall

from ..acd_helpers import run_acd

pytestmark = pytest.mark.redis


def _call(call_id: str, priority: int, ageing: float, enqueued_at: float | None = None) -> WaitingCall:
    return WaitingCall("acme", "general", call_id, priority, enqueued_at=enqueued_at,
                       policy=QueuePolicy(ageing_seconds=ageing))


def test_a_call_waiting_long_enough_outranks_a_new_call_of_higher_priority():
    async def scenario(acd: Acd):
        now = time.time()
        # 60 s per level: waiting 10 minutes at priority 0 counts as priority 10, above a fresh 9;
        # waiting 8 minutes at priority 0 counts as 8, below it
        await acd.queues.enqueue(_call("old_low", 0, 60, enqueued_at=now - 600))
        await acd.queues.enqueue(_call("less_old_low", 0, 60, enqueued_at=now - 480))
        await acd.queues.enqueue(_call("fresh_high", 9, 60))
        await acd.queues.enqueue(_call("fresh_mid", 5, 60))
        assert await acd.queues.waiting("acme", "general") == ["old_low", "fresh_high", "less_old_low", "fresh_mid"]

    run_acd(scenario)


def test_without_ageing_priority_bands_are_strict_whatever_the_wait():
    async def scenario(acd: Acd):
        now = time.time()
        await acd.queues.enqueue(_call("ancient_low", 0, 0, enqueued_at=now - 86_000))
        await acd.queues.enqueue(_call("fresh_high", 9, 0))
        assert await acd.queues.waiting("acme", "general") == ["fresh_high", "ancient_low"]

    run_acd(scenario)


async def _stream(acd: Acd, ageing: float, seconds: float, min_served: int = 0) -> tuple[float | None, int]:
    """One agent serves the head of the queue while a new priority-9 call arrives for each one served,
    with a backlog of five; returns when the old priority-1 call was served (None: never) and how many
    high-priority calls were served. The stream runs for `seconds` and, however slow the machine, until at
    least `min_served` high-priority calls were served."""
    await acd.presence.login("u1", {"acme": {}})
    low = _call("low", 1, ageing)
    await acd.queues.enqueue(low)
    started = time.monotonic()
    for i in range(5):
        await acd.queues.enqueue(_call(f"h{i}", 9, ageing))
    served_high, n = 0, 5
    while time.monotonic() - started < seconds or served_high < min_served:
        await acd.queues.enqueue(_call(f"h{n}", 9, ageing))
        n += 1
        head = (await acd.queues.waiting("acme", "general"))[0]
        waiting = low if head == "low" else _call(head, 9, ageing)
        result = await acd.queues.try_claim(waiting)
        assert result.agent_id == "u1", result
        await acd.distributor.agent_answered(waiting, "u1")
        await acd.distributor.call_ended("u1", 0)
        if head == "low":
            return time.monotonic() - started, served_high
        served_high += 1
        await asyncio.sleep(0.005)
    return None, served_high


def test_a_stream_of_high_priority_calls_does_not_starve_an_old_low_priority_one():
    # 0.05 s per level: the priority-1 call outranks new priority-9 calls after 8 * 0.05 = 0.4 s
    served_at, high = run_acd(lambda acd: _stream(acd, 0.05, 5.0))
    assert served_at is not None, "the low-priority call starved"
    assert 0.4 <= served_at < 2.0
    assert high >= 5  # the high-priority calls did go first while the low one was young


def test_without_ageing_the_same_stream_starves_the_low_priority_call():
    # The low call waits at least a second (well past the 0.4 s after which ageing would have let it through)
    # and through at least 30 high-priority calls, however slowly a loaded machine serves them.
    served_at, high = run_acd(lambda acd: _stream(acd, 0, 1.0, min_served=30))
    assert served_at is None and high >= 30
