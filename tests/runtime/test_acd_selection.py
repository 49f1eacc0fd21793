"""Agent selection by the claim: longest idle among available agents holding every required skill of
the call's tenant."""

from __future__ import annotations

import asyncio

import pytest

from hotline.runtime.acd import Acd

from .acd_helpers import call, run_acd

pytestmark = pytest.mark.redis


async def _claim(acd: Acd, waiting):
    await acd.queues.enqueue(waiting)
    return await acd.queues.try_claim(waiting)


def test_longest_idle_agent_is_chosen_first():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2", "u3"):
            await acd.presence.login(agent, {"acme": {}})
        await acd.presence.set_state("u1", "break", "coffee")
        await acd.presence.set_state("u1", "available")  # u1 is now the most recently idle
        assert await acd.presence.idle_order("acme") == ["u2", "u3", "u1"]
        chosen = [(await _claim(acd, call(f"c{i}"))).agent_id for i in range(3)]
        assert chosen == ["u2", "u3", "u1"]
        assert (await _claim(acd, call("c4"))).status == "no_agent"

    run_acd(scenario)


def test_agent_back_from_a_call_goes_to_the_end_of_the_idle_line():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2"):
            await acd.presence.login(agent, {"acme": {}})
        first = await _claim(acd, call("c1"))
        assert first.agent_id == "u1"
        await acd.distributor.agent_answered(call("c1"), "u1")
        await acd.distributor.call_ended("u1", 0)
        assert (await _claim(acd, call("c2"))).agent_id == "u2"

    run_acd(scenario)


def test_expired_wrap_up_counts_as_idle_since_its_deadline():
    async def scenario(acd: Acd):
        await acd.presence.login("wrapped", {"acme": {}})
        await acd.presence.set_state("wrapped", "wrap_up", wrap_up_seconds=0.3)
        await acd.presence.login("before", {"acme": {}})  # idle before the wrap-up ends
        await asyncio.sleep(0.35)
        await acd.presence.login("after", {"acme": {}})  # idle after it ended
        chosen = [(await _claim(acd, call(f"c{i}"))).agent_id for i in range(3)]
        assert chosen == ["before", "wrapped", "after"]
        assert (await acd.presence.get("wrapped")).state == "ringing"

    run_acd(scenario)


def test_agents_not_available_are_never_chosen():
    async def scenario(acd: Acd):
        for agent in ("on_break", "gone", "wrapping"):
            await acd.presence.login(agent, {"acme": {}})
        await acd.presence.set_state("on_break", "break", "lunch")
        await acd.presence.logout("gone")
        await acd.presence.set_state("wrapping", "wrap_up", wrap_up_seconds=30)
        assert (await _claim(acd, call("c1"))).status == "no_agent"
        await acd.presence.login("ready", {"acme": {}})
        assert (await acd.queues.try_claim(call("c1"))).agent_id == "ready"
        # ringing now: not chosen for the next call
        assert (await _claim(acd, call("c2"))).status == "no_agent"

    run_acd(scenario)


def test_agent_lacking_one_required_skill_is_never_chosen():
    async def scenario(acd: Acd):
        await acd.presence.login("mandarin_only", {"acme": {"mandarin": 5}})
        await acd.presence.login("claims_only", {"acme": {"claims": 5}})
        await acd.presence.login("both", {"acme": {"mandarin": 1, "claims": 1}})
        result = await _claim(acd, call("c1", skills=("mandarin", "claims")))
        assert result.agent_id == "both"  # though the other two have been idle longer
        assert (await _claim(acd, call("c2", skills=("mandarin", "claims")))).status == "no_agent"
        assert (await acd.queues.try_claim(call("c2"))).status == "no_agent"
        assert (await _claim(acd, call("c3", queue="other", skills=("claims",)))).agent_id == "claims_only"

    run_acd(scenario)


def test_skills_are_per_tenant():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {"billing": 3}, "zenith": {}})
        await acd.presence.login("u2", {"zenith": {"billing": 1}})
        # u1 has billing for acme only: for zenith's billing call it is not a candidate
        assert (await _claim(acd, call("z1", tenant="zenith", skills=("billing",)))).agent_id == "u2"
        assert (await _claim(acd, call("z2", tenant="zenith", skills=("billing",)))).status == "no_agent"
        # and an agent that does not serve a tenant is never chosen for it, skills or not
        assert (await _claim(acd, call("o1", tenant="omega"))).status == "no_agent"
        assert (await _claim(acd, call("a1", tenant="acme", skills=("billing",)))).agent_id == "u1"

    run_acd(scenario)


def test_shared_agent_busy_for_one_tenant_is_busy_for_all():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}, "zenith": {}})
        assert (await _claim(acd, call("a1", tenant="acme"))).agent_id == "u1"
        assert (await _claim(acd, call("z1", tenant="zenith"))).status == "no_agent"
        await acd.distributor.agent_answered(call("a1", tenant="acme"), "u1")
        await acd.distributor.call_ended("u1", 0)
        assert (await acd.queues.try_claim(call("z1", tenant="zenith"))).agent_id == "u1"

    run_acd(scenario)


def test_a_call_for_one_agent_waits_for_them_then_goes_to_anyone():
    """Issue 13, item 2: a callback booked with an agent is offered to that agent first; after the call's wait for
    them, the queue's strategy serves it like any call."""
    from dataclasses import replace

    async def scenario(acd: Acd):
        for agent in ("longest", "booked"):
            await acd.presence.login(agent, {"acme": {}})
        for_booked = replace(call("cb1"), agent="booked", agent_wait_seconds=30)
        assert (await _claim(acd, for_booked)).agent_id == "booked"  # not the longest idle agent
        await acd.distributor.agent_answered(for_booked, "booked")
        await acd.distributor.call_ended("booked", 0)
        await acd.presence.set_state("booked", "break", "lunch")
        waiting = replace(call("cb2"), agent="booked", agent_wait_seconds=0.3)
        first = await _claim(acd, waiting)
        assert first.status == "no_agent" and first.next_at is not None  # tried again when the wait ends
        assert first.next_at - first.server_now <= 0.3
        await asyncio.sleep(0.35)
        assert (await acd.queues.try_claim(waiting)).agent_id == "longest"
        # a call for an agent lacking its skill is nobody's until the wait ends
        skilled = replace(call("cb3", skills=("cantonese",)), agent="booked", agent_wait_seconds=30)
        await acd.presence.set_state("booked", "available")
        assert (await _claim(acd, skilled)).status == "no_agent"

    run_acd(scenario)
