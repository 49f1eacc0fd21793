"""Agent presence: login with per-tenant skills, transitions with `since`, wrap-up expiry, visibility."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from hotline.runtime.acd import Acd, AgentBusy, UnknownAgent

from .acd_helpers import REDIS_URL, call, run_acd

pytestmark = pytest.mark.redis


def test_login_stores_per_tenant_skills_and_lists_the_agent_in_each_tenant():
    async def scenario(acd: Acd):
        presence = await acd.presence.login("u1", {"acme": {"billing": 3}, "zenith": {"claims": 1}})
        assert presence.state == "available"
        assert presence.skills == {"acme": {"billing": 3}, "zenith": {"claims": 1}}
        acme = await acd.presence.agents_in("acme")
        assert [(p.agent_id, dict(p.skills)) for p in acme] == [("u1", {"acme": {"billing": 3}})]
        zenith = await acd.presence.agents_in("zenith")
        assert [(p.agent_id, dict(p.skills)) for p in zenith] == [("u1", {"zenith": {"claims": 1}})]
        assert await acd.presence.get("nobody") is None

    run_acd(scenario)


def test_login_again_replaces_tenants_and_skills():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {"billing": 3}, "zenith": {"claims": 1}})
        await acd.presence.login("u1", {"acme": {"vip": 2}})
        assert await acd.presence.agents_in("zenith") == []
        assert await acd.presence.idle_order("zenith") == []
        assert (await acd.presence.get("u1")).skills == {"acme": {"vip": 2}}

    run_acd(scenario)


def test_state_changes_keep_since_and_reason():
    async def scenario(acd: Acd):
        first = await acd.presence.login("u1", {"acme": {}})
        again = await acd.presence.set_state("u1", "available")
        assert again.since == first.since  # pressing "ready" twice keeps the place in the idle order
        lunch = await acd.presence.set_state("u1", "break", "lunch")
        assert (lunch.state, lunch.reason) == ("break", "lunch")
        assert lunch.since > first.since
        meeting = await acd.presence.set_state("u1", "break", "meeting")
        assert meeting.since > lunch.since
        back = await acd.presence.set_state("u1", "available")
        assert back.since > meeting.since and back.reason is None
        off = await acd.presence.logout("u1")
        assert off.state == "offline"
        assert await acd.presence.idle_order("acme") == []

    run_acd(scenario)


def test_timed_wrap_up_reads_as_available_from_its_deadline():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        wrap = await acd.presence.set_state("u1", "wrap_up", wrap_up_seconds=0.3)
        assert wrap.state == "wrap_up"
        assert wrap.wrap_until == pytest.approx(wrap.since + 0.3, abs=1e-3)
        assert await acd.presence.idle_order("acme") == []
        await asyncio.sleep(0.35)
        after = await acd.presence.get("u1")
        assert (after.state, after.since, after.wrap_until) == ("available", wrap.wrap_until, None)
        assert await acd.presence.idle_order("acme") == ["u1"]

    run_acd(scenario)


def test_open_wrap_up_lasts_until_the_agent_changes_it():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        await acd.presence.set_state("u1", "wrap_up")
        await asyncio.sleep(0.05)
        assert (await acd.presence.get("u1")).state == "wrap_up"
        assert await acd.presence.idle_order("acme") == []

    run_acd(scenario)


def test_agent_in_a_call_cannot_pick_a_state_but_can_go_offline():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        waiting = call("c1")
        assert (await acd.distributor.wait_for_agent(waiting, 1)).agent_id == "u1"
        for state in ("available", "break", "wrap_up"):
            with pytest.raises(AgentBusy):
                await acd.presence.set_state("u1", state)
        again = await acd.presence.login("u1", {"acme": {"new": 1}})
        assert (again.state, again.call_id) == ("ringing", "c1")
        assert again.skills == {"acme": {"new": 1}}
        assert (await acd.presence.set_state("u1", "offline")).state == "offline"
        assert await acd.presence.idle_order("acme") == []

    run_acd(scenario)


def test_unknown_agent_and_bad_input_are_refused():
    async def scenario(acd: Acd):
        with pytest.raises(UnknownAgent):
            await acd.presence.set_state("ghost", "available")
        with pytest.raises(ValueError):
            await acd.presence.set_state("ghost", "on_call")
        with pytest.raises(ValueError):
            await acd.presence.login("a:b", {"acme": {}})
        with pytest.raises(ValueError):
            await acd.presence.login("u1", {"acme": {"billing": 0}})
        with pytest.raises(ValueError):
            await acd.presence.login("u1", {"ac:me": {}})

    run_acd(scenario)


def test_tenant_view_hides_another_tenants_call():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}, "zenith": {}})
        await acd.distributor.wait_for_agent(call("c1", tenant="acme"), 1)
        [in_acme] = await acd.presence.agents_in("acme")
        [in_zenith] = await acd.presence.agents_in("zenith")
        assert (in_acme.state, in_acme.call_id) == ("ringing", "c1")
        assert (in_zenith.state, in_zenith.call_id) == ("ringing", None)

    run_acd(scenario)


def test_presence_change_is_seen_at_once_by_another_process_client():
    async def scenario(acd: Acd):
        other_client = Redis.from_url(REDIS_URL)
        try:
            other = Acd(other_client, prefix=acd.keys.prefix)
            await acd.presence.login("u1", {"acme": {}})
            assert (await other.presence.get("u1")).state == "available"
            await acd.presence.set_state("u1", "break", "training")
            seen = await other.presence.get("u1")
            assert (seen.state, seen.reason) == ("break", "training")
            await other.presence.set_state("u1", "available")
            assert (await acd.presence.get("u1")).state == "available"
        finally:
            await other_client.aclose()

    run_acd(scenario)
