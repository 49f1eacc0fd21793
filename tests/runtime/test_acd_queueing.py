"""Waiting calls: priority then FIFO order, positions, and claims only at the head of the queue."""

from __future__ import annotations

import time

import pytest

from hotline.runtime.acd import Acd, WaitingCall, WrongQueue

from .acd_helpers import call, run_acd

pytestmark = pytest.mark.redis


def test_higher_priority_first_then_first_come_first_served():
    async def scenario(acd: Acd):
        arrivals = [("low1", 1), ("mid1", 5), ("high1", 9), ("low2", 1), ("mid2", 5), ("high2", 9), ("zero", 0)]
        for call_id, priority in arrivals:
            await acd.queues.enqueue(call(call_id, priority=priority))
        assert await acd.queues.waiting("acme", "general") == ["high1", "high2", "mid1", "mid2", "low1", "low2", "zero"]

    run_acd(scenario)


def test_fifo_holds_for_calls_arriving_within_one_millisecond():
    async def scenario(acd: Acd):
        ids = [f"c{i:03d}" for i in range(200)]
        # back-to-back enqueues arrive several per millisecond; ids are chosen so that the lexical
        # order (Redis's tie-break for equal scores) is the reverse of the arrival order
        arrival = list(reversed(ids))
        for call_id in arrival:
            await acd.queues.enqueue(call(call_id))
        assert await acd.queues.waiting("acme", "general") == arrival

    run_acd(scenario)


def test_position_counts_from_the_head():
    async def scenario(acd: Acd):
        for call_id in ("a", "b", "c"):
            await acd.queues.enqueue(call(call_id))
        await acd.queues.enqueue(call("urgent", priority=9))
        assert [await acd.queues.position(call(i)) for i in ("urgent", "a", "b", "c")] == [1, 2, 3, 4]
        assert await acd.queues.position(call("never")) is None
        assert await acd.queues.position(call("a", queue="other")) is None

    run_acd(scenario)


def test_only_the_head_of_the_queue_is_claimed():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        await acd.queues.enqueue(call("first"))
        await acd.queues.enqueue(call("second"))
        result = await acd.queues.try_claim(call("second"))
        assert (result.status, result.position) == ("not_head", 2)
        assert (await acd.presence.get("u1")).state == "available"
        assert await acd.queues.waiting("acme", "general") == ["first", "second"]
        assert (await acd.queues.try_claim(call("first"))).agent_id == "u1"
        assert await acd.queues.waiting("acme", "general") == ["second"]

    run_acd(scenario)


def test_head_needing_a_missing_skill_holds_the_queue():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        await acd.queues.enqueue(call("rare", skills=("swahili",)))
        await acd.queues.enqueue(call("plain"))
        assert (await acd.queues.try_claim(call("rare"))).status == "no_agent"
        assert (await acd.queues.try_claim(call("plain"))).status == "not_head"
        await acd.queues.leave(call("rare"), "timeout")
        assert (await acd.queues.try_claim(call("plain"))).agent_id == "u1"

    run_acd(scenario)


def test_queues_are_separate_per_tenant_and_name():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}, "zenith": {}})
        await acd.queues.enqueue(call("a1", queue="general"))
        await acd.queues.enqueue(call("b1", queue="billing"))
        await acd.queues.enqueue(call("z1", tenant="zenith", queue="general"))
        assert await acd.queues.position(call("b1", queue="billing")) == 1
        assert await acd.queues.position(call("z1", tenant="zenith")) == 1
        assert await acd.queues.queue_names("acme") == ["billing", "general"]
        assert (await acd.queues.try_claim(call("z1", tenant="zenith"))).agent_id == "u1"

    run_acd(scenario)


def test_enqueueing_again_keeps_the_place_and_another_queue_is_refused():
    async def scenario(acd: Acd):
        first = await acd.queues.enqueue(call("a"))
        await acd.queues.enqueue(call("b"))
        again = await acd.queues.enqueue(call("a", priority=9))
        assert again.enqueued_at == first.enqueued_at
        assert await acd.queues.waiting("acme", "general") == ["a", "b"]
        with pytest.raises(WrongQueue):
            await acd.queues.enqueue(call("a", queue="billing"))

    run_acd(scenario)


def test_given_enqueue_time_keeps_a_moved_call_ahead_of_later_callers():
    async def scenario(acd: Acd):
        await acd.queues.enqueue(call("newer"))
        moved = WaitingCall("acme", "general", "moved", 5, (), enqueued_at=time.time() - 60)
        placed = await acd.queues.enqueue(moved)
        assert placed.server_now - placed.enqueued_at == pytest.approx(60, abs=5)
        assert await acd.queues.waiting("acme", "general") == ["moved", "newer"]

    run_acd(scenario)


def test_bad_calls_are_refused():
    for bad in (dict(priority=10), dict(priority=-1), dict(tenant="a:b"), dict(call_id="")):
        fields = {"tenant": "acme", "queue": "q", "call_id": "c", "priority": 5, **bad}
        with pytest.raises(ValueError):
            WaitingCall(**fields)


def test_timeout_that_loses_the_race_to_a_claim_keeps_the_agent():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        waiting = call("c1")
        await acd.queues.enqueue(waiting)
        assert (await acd.queues.try_claim(waiting)).agent_id == "u1"  # claimed just before the timeout
        left = await acd.queues.leave(waiting, "timeout")
        assert (left.status, left.agent_id) == ("offered", "u1")  # the caller gets u1, not the overflow
        assert (await acd.presence.get("u1")).call_id == "c1"
        cancelled = await acd.queues.leave(waiting, "cancelled")  # a hang-up instead frees the agent
        assert (cancelled.status, cancelled.agent_id) == ("released", "u1")
        assert (await acd.presence.get("u1")).state == "available"
        assert (await acd.queues.leave(waiting, "cancelled")).status == "gone"

    run_acd(scenario)
