"""The waiting loop and the call path: assignment, timeout, hang-up, no-answer, answer, wrap-up,
ticks, pub/sub wake-ups and the lease that keeps a dead process's call from blocking a queue."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis

from hotline.runtime.acd import Acd, Assigned, Cancelled, NotOffered, TimedOut

from .acd_helpers import REDIS_URL, call, run_acd, until

pytestmark = pytest.mark.redis


def test_waiting_call_gets_an_available_agent_at_once():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {"billing": 1}})
        outcome = await acd.distributor.wait_for_agent(call("c1", skills=("billing",)), 5)
        assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
        presence = await acd.presence.get("u1")
        assert (presence.state, presence.call_id) == ("ringing", "c1")
        assert await acd.queues.waiting("acme", "general") == []

    run_acd(scenario)


def test_timeout_removes_the_call_from_the_queue():
    async def scenario(acd: Acd):
        await acd.queues.enqueue(call("ahead"))
        started = time.monotonic()
        outcome = await acd.distributor.wait_for_agent(call("c1"), 0.3)
        assert isinstance(outcome, TimedOut)
        assert 0.25 <= time.monotonic() - started < 1.0
        assert outcome.waited_seconds == pytest.approx(0.3, abs=0.1)
        assert await acd.queues.waiting("acme", "general") == ["ahead"]
        assert [e.fields["reason"] for e in await acd.events("acme") if e.kind == "call_left"] == ["timeout"]

    run_acd(scenario, poll_seconds=0.05)


def test_caller_hang_up_cancels_the_wait_and_leaves_the_queue():
    async def scenario(acd: Acd):
        hangup = asyncio.Event()
        task = asyncio.create_task(acd.distributor.wait_for_agent(call("c1"), 30, hangup=hangup))
        await until(lambda: _is_waiting(acd, "c1"))
        hangup.set()
        outcome = await asyncio.wait_for(task, 1)
        assert isinstance(outcome, Cancelled)
        assert await acd.queues.waiting("acme", "general") == []
        # the agent who logs in afterwards is not given the dead call
        await acd.presence.login("u1", {"acme": {}})
        assert (await acd.presence.get("u1")).state == "available"

    run_acd(scenario, poll_seconds=5)


async def _is_waiting(acd: Acd, call_id: str) -> bool:
    return await acd.queues.position(call(call_id)) is not None


def test_cancelling_the_waiting_task_leaves_the_queue():
    async def scenario(acd: Acd):
        task = asyncio.create_task(acd.distributor.wait_for_agent(call("c1"), 30))
        await until(lambda: _is_waiting(acd, "c1"))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await acd.queues.waiting("acme", "general") == []

    run_acd(scenario, poll_seconds=5)


def test_hang_up_while_the_agent_rings_gives_the_agent_its_place_back():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        await acd.presence.login("u2", {"acme": {}})
        waiting = call("c1")
        assert (await acd.distributor.wait_for_agent(waiting, 5)).agent_id == "u1"
        await acd.distributor.cancel(waiting)
        assert (await acd.presence.get("u1")).state == "available"
        assert await acd.presence.idle_order("acme") == ["u1", "u2"]  # still the longest idle
        with pytest.raises(NotOffered):
            await acd.distributor.agent_answered(waiting, "u1")

    run_acd(scenario)


def test_no_answer_returns_the_call_to_the_head_and_the_agent_to_break():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        first = call("first")
        assert (await acd.distributor.wait_for_agent(first, 5)).agent_id == "u1"
        await acd.queues.enqueue(call("later1"))
        await acd.queues.enqueue(call("later2"))
        assert await acd.distributor.release_no_answer(first, "u1")
        assert await acd.queues.waiting("acme", "general") == ["first", "later1", "later2"]
        presence = await acd.presence.get("u1")
        assert (presence.state, presence.reason) == ("break", "no_answer")
        # the same agent is not offered the call again while on break; the next agent is
        assert (await acd.queues.try_claim(first)).status == "no_agent"
        await acd.presence.login("u2", {"acme": {}})
        assert (await acd.distributor.wait_for_agent(first, 5)).agent_id == "u2"
        assert not await acd.distributor.release_no_answer(first, "u1")  # no longer offered to u1

    run_acd(scenario)


def test_requeued_call_keeps_its_original_deadline():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        waiting = call("c1")
        await acd.distributor.wait_for_agent(waiting, 5)
        await asyncio.sleep(0.3)
        await acd.distributor.release_no_answer(waiting, "u1")
        outcome = await acd.distributor.wait_for_agent(waiting, 0.5)
        assert isinstance(outcome, TimedOut)
        assert outcome.waited_seconds == pytest.approx(0.5, abs=0.1)

    run_acd(scenario, poll_seconds=0.05)


def test_answer_then_end_with_wrap_up_then_available_again():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        waiting = call("c1")
        await acd.distributor.wait_for_agent(waiting, 5)
        await acd.distributor.agent_answered(waiting, "u1")
        on_call = await acd.presence.get("u1")
        assert (on_call.state, on_call.call_id) == ("on_call", "c1")
        assert await acd.distributor.call_ended("u1", 0.2)
        assert (await acd.presence.get("u1")).state == "wrap_up"
        await acd.queues.enqueue(call("c2"))
        assert (await acd.queues.try_claim(call("c2"))).status == "no_agent"
        outcome = await acd.distributor.wait_for_agent(call("c2"), 2)
        assert outcome == Assigned("u1", outcome.waited_seconds)
        assert not await acd.distributor.call_ended("u2-never-logged-in", 0)

    run_acd(scenario, poll_seconds=5)


def test_end_of_wrap_up_is_noticed_without_waiting_for_the_poll():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        await acd.presence.set_state("u1", "wrap_up", wrap_up_seconds=0.3)
        started = time.monotonic()
        outcome = await acd.distributor.wait_for_agent(call("c1"), 10)
        assert isinstance(outcome, Assigned)
        assert 0.25 < time.monotonic() - started < 1.0  # the poll interval is 5 s

    run_acd(scenario, poll_seconds=5)


def test_on_tick_reports_position_and_waited_time_and_may_be_async():
    async def scenario(acd: Acd):
        await acd.queues.enqueue(call("ahead"))
        ticks: list[tuple[int | None, float]] = []

        async def announce(position: int | None, waited: float) -> None:
            ticks.append((position, waited))
            await asyncio.sleep(0.01)  # playing a prompt takes time; claims go on meanwhile

        outcome = await acd.distributor.wait_for_agent(call("c1"), 0.55, announce, tick_seconds=0.2)
        assert isinstance(outcome, TimedOut)
        assert [p for p, _ in ticks] == [2, 2, 2]
        assert [w for _, w in ticks] == pytest.approx([0.0, 0.2, 0.4], abs=0.08)

    run_acd(scenario, poll_seconds=0.05)


def test_freed_agent_is_taken_by_a_waiting_call_within_milliseconds():
    async def scenario(acd: Acd):
        other_client = Redis.from_url(REDIS_URL)  # the agent desk: another process, another client
        try:
            desk = Acd(other_client, prefix=acd.keys.prefix)
            await desk.presence.login("u1", {"acme": {}})
            await desk.presence.set_state("u1", "break", "lunch")
            task = asyncio.create_task(acd.distributor.wait_for_agent(call("c1"), 30))
            await asyncio.sleep(0.3)  # the waiter has tried and gone to sleep for its 5 s poll
            freed_at = time.monotonic()
            await desk.presence.set_state("u1", "available")
            outcome = await asyncio.wait_for(task, 5)
            latency = time.monotonic() - freed_at
            assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
            assert latency < 0.25, f"took {latency:.3f}s"
        finally:
            await other_client.aclose()

    run_acd(scenario, poll_seconds=5)


def test_call_behind_a_leaving_head_is_woken_at_once():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        hangup = asyncio.Event()
        head = asyncio.create_task(acd.distributor.wait_for_agent(call("head", skills=("rare",)), 30, hangup=hangup))
        await until(lambda: _is_waiting(acd, "head"))
        second = asyncio.create_task(acd.distributor.wait_for_agent(call("second"), 30))
        await asyncio.sleep(0.3)  # both asleep for their 5 s poll
        left_at = time.monotonic()
        hangup.set()
        assert isinstance(await head, Cancelled)
        outcome = await asyncio.wait_for(second, 5)
        latency = time.monotonic() - left_at
        assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
        assert latency < 0.25, f"took {latency:.3f}s"

    run_acd(scenario, poll_seconds=5)


def test_call_of_a_dead_process_is_reaped_and_does_not_block_the_queue():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        await acd.presence.set_state("u1", "break", "meeting")
        await acd.queues.enqueue(call("orphan"))  # its process died: nobody renews its lease
        task = asyncio.create_task(acd.distributor.wait_for_agent(call("alive"), 10))
        await asyncio.sleep(0.2)
        await acd.presence.set_state("u1", "available")
        outcome = await asyncio.wait_for(task, 3)
        assert isinstance(outcome, Assigned) and outcome.agent_id == "u1"
        assert await acd.queues.position(call("orphan")) is None
        reasons = [e.fields for e in await acd.events("acme") if e.kind == "call_left"]
        assert reasons == [{"call": "orphan", "queue": "general", "reason": "lease_expired"}]

    run_acd(scenario, poll_seconds=0.1, lease_seconds=0.5)


def test_a_live_waiting_call_is_never_reaped():
    async def scenario(acd: Acd):
        first = asyncio.create_task(acd.distributor.wait_for_agent(call("first"), 10))
        await until(lambda: _is_waiting(acd, "first"))
        second = asyncio.create_task(acd.distributor.wait_for_agent(call("second"), 10))
        await asyncio.sleep(1.2)  # more than twice the lease: "first" renews it on every try
        await acd.presence.login("u1", {"acme": {}})
        assert (await asyncio.wait_for(first, 2)).agent_id == "u1"
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second

    run_acd(scenario, poll_seconds=0.1, lease_seconds=0.5)
