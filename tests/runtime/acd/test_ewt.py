"""Estimated wait time: the formula, and the figures it is fed from Redis (handle times, staffed agents)."""

from __future__ import annotations

import pytest

from hotline.runtime.acd import Acd, WaitEstimate, WaitingCall, estimate_wait

from ..acd_helpers import run_acd


def test_no_wait_when_an_agent_is_free_for_every_call_up_to_this_one():
    assert estimate_wait(2, [300], staffed=3, available=2) == 0.0


def test_calls_beyond_the_free_agents_each_take_one_handle_time_shared_by_the_staffed_agents():
    # 5th in line, 1 agent free: 4 calls to serve by 2 agents, 120 s each on average
    assert estimate_wait(5, [100, 140], staffed=2, available=1) == pytest.approx(4 * 120 / 2)


def test_unknown_when_nobody_who_could_take_the_call_is_logged_in():
    assert estimate_wait(1, [60], staffed=0, available=0) is None


def test_default_handle_time_without_history():
    assert estimate_wait(2, [], staffed=1, available=0, default_handle_seconds=90) == 180


def test_minutes_round_up_and_are_at_least_one():
    assert WaitEstimate(3, 61.0, 1, 0, 60).minutes == 2
    assert WaitEstimate(3, 5.0, 1, 0, 60).minutes == 1
    assert WaitEstimate(1, 0.0, 1, 1, 60).minutes == 0
    assert WaitEstimate(1, None, 0, 0, 60).minutes is None


@pytest.mark.redis
def test_estimate_reads_recent_handle_times_and_the_agents_holding_the_skills():
    async def scenario(acd: Acd):
        await acd.presence.login("busy", {"acme": {"care": 1}})
        await acd.presence.login("free", {"acme": {"care": 2}})
        await acd.presence.login("lunch", {"acme": {"care": 1}})
        await acd.presence.login("unskilled", {"acme": {}})
        await acd.presence.set_state("lunch", "break", "lunch")
        # one answered call of the queue, ended with 4 s of wrap-up: handle time = talk + 4
        first = WaitingCall("acme", "care", "done", 5, ("care",))
        await acd.queues.enqueue(first)
        await acd.presence.set_state("free", "break", "x")
        assert (await acd.queues.try_claim(first)).agent_id == "busy"
        await acd.distributor.agent_answered(first, "busy")
        await acd.distributor.call_ended("busy", 4)
        handle = await acd.estimator.handle_times("acme", "care")
        assert len(handle) == 1 and 4.0 <= handle[0] < 4.5
        await acd.presence.set_state("free", "available")
        estimate = await acd.estimator.estimate(WaitingCall("acme", "care", "c9", 5, ("care",)), position=3)
        assert (estimate.staffed, estimate.available) == (2, 1)  # busy (wrap-up) and free; not lunch
        assert estimate.seconds == pytest.approx((3 - 1) * handle[0] / 2)

    run_acd(scenario)
