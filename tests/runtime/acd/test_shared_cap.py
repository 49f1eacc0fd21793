"""The per-tenant cap on shared agents: a tenant holds at most N agents of the shared pool (agents serving
several tenants) at once, ringing or on a call; its own agents are not counted. Enforced in the claim."""

from __future__ import annotations

import pytest

from hotline.runtime.acd import Acd, QueuePolicy, WaitingCall

from ..acd_helpers import run_acd

pytestmark = pytest.mark.redis


def _call(call_id: str, cap: int | None, *, tenant: str = "acme", strategy: str = "longest_idle") -> WaitingCall:
    return WaitingCall(tenant, "general", call_id, 5, policy=QueuePolicy(strategy=strategy, shared_cap=cap))


async def _claim(acd: Acd, waiting: WaitingCall) -> str | None:
    await acd.queues.enqueue(waiting)
    return (await acd.queues.try_claim(waiting)).agent_id


def test_a_tenant_holds_no_more_shared_agents_than_its_cap():
    async def scenario(acd: Acd):
        for agent in ("s1", "s2", "s3"):
            await acd.presence.login(agent, {"acme": {}, "zenith": {}})
        assert await _claim(acd, _call("a1", 2)) == "s1"
        assert await _claim(acd, _call("a2", 2)) == "s2"
        assert await _claim(acd, _call("a3", 2)) is None  # s3 is free, but acme holds two already
        assert await _claim(acd, _call("z1", 2, tenant="zenith")) == "s3"  # the other tenant may take it

    run_acd(scenario)


def test_own_agents_are_not_counted_against_the_cap():
    async def scenario(acd: Acd):
        await acd.presence.login("s1", {"acme": {}, "zenith": {}})
        await acd.presence.login("own1", {"acme": {}})
        await acd.presence.login("own2", {"acme": {}})
        assert [await _claim(acd, _call(f"a{i}", 1)) for i in range(3)] == ["s1", "own1", "own2"]
        await acd.presence.login("s2", {"acme": {}, "zenith": {}})
        assert await _claim(acd, _call("a4", 1)) is None

    run_acd(scenario)


def test_a_shared_agent_counts_again_once_its_call_ends_or_its_offer_is_withdrawn():
    async def scenario(acd: Acd):
        for agent in ("s1", "s2"):
            await acd.presence.login(agent, {"acme": {}, "zenith": {}})
        first = _call("a1", 1)
        assert await _claim(acd, first) == "s1"
        await acd.distributor.agent_answered(first, "s1")  # ringing -> on_call: still held
        assert await _claim(acd, _call("a2", 1)) is None
        await acd.distributor.call_ended("s1", 0)
        waiting = _call("a2", 1)
        assert (await acd.queues.try_claim(waiting)).agent_id == "s2"
        await acd.distributor.cancel(waiting)  # the caller hung up while s2 rang
        assert (await acd.queues.try_claim(_call("a3", 1))).status == "gone"
        assert await _claim(acd, _call("a3", 1)) == "s2"  # withdrawn: s2 kept its place ahead of s1
        assert await acd.redis.smembers(acd.keys.held("acme")) == {b"s2"}

    run_acd(scenario)


def test_ring_all_rings_only_as_many_shared_agents_as_the_cap_leaves():
    async def scenario(acd: Acd):
        for agent in ("s1", "s2", "s3"):
            await acd.presence.login(agent, {"acme": {}, "zenith": {}})
        await acd.presence.login("own", {"acme": {}})
        waiting = _call("a1", 2, strategy="ring_all")
        await acd.queues.enqueue(waiting)
        result = await acd.queues.try_claim(waiting)
        assert result.agents == ("s1", "s2", "own")
        await acd.distributor.agent_answered(waiting, "s2")
        assert await acd.redis.smembers(acd.keys.held("acme")) == {b"s2"}

    run_acd(scenario)


def test_zero_cap_keeps_a_tenant_off_the_shared_pool():
    async def scenario(acd: Acd):
        await acd.presence.login("s1", {"acme": {}, "zenith": {}})
        assert await _claim(acd, _call("a1", 0)) is None
        assert await _claim(acd, _call("z1", None, tenant="zenith")) == "s1"

    run_acd(scenario)
