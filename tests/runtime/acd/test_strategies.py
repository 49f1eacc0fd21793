"""Agent selection per queue strategy, each one atomic in the claim script (real Redis)."""

from __future__ import annotations

import pytest

from hotline.runtime.acd import Acd, QueuePolicy, WaitingCall

from ..acd_helpers import run_acd

pytestmark = pytest.mark.redis


def _call(call_id: str, strategy: str, *, skills: tuple[str, ...] = (), tenant: str = "acme") -> WaitingCall:
    return WaitingCall(tenant, "general", call_id, 5, skills, policy=QueuePolicy(strategy=strategy))


async def _serve(acd: Acd, waiting: WaitingCall) -> str | None:
    """Enqueue, claim, answer and end at once (agent available again): which agent took the call."""
    await acd.queues.enqueue(waiting)
    result = await acd.queues.try_claim(waiting)
    if result.agent_id is None:
        return None
    await acd.distributor.agent_answered(waiting, result.agent_id)
    await acd.distributor.call_ended(result.agent_id, 0)
    return result.agent_id


def test_round_robin_takes_agents_in_turn_even_when_another_has_been_idle_longer():
    async def scenario(acd: Acd):
        for agent in ("u3", "u1", "u2"):  # u3 is the longest idle
            await acd.presence.login(agent, {"acme": {}})
        chosen = [await _serve(acd, _call(f"c{i}", "round_robin")) for i in range(5)]
        assert chosen == ["u1", "u2", "u3", "u1", "u2"]

    run_acd(scenario)


def test_round_robin_skips_busy_agents_and_carries_on_after_the_last_one():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2", "u3"):
            await acd.presence.login(agent, {"acme": {}})
        assert await _serve(acd, _call("c1", "round_robin")) == "u1"
        await acd.presence.set_state("u2", "break", "lunch")
        assert await _serve(acd, _call("c2", "round_robin")) == "u3"
        assert await _serve(acd, _call("c3", "round_robin")) == "u1"

    run_acd(scenario)


def test_fewest_calls_today_picks_the_least_loaded_agent_then_the_longest_idle():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2", "u3"):
            await acd.presence.login(agent, {"acme": {}})
        # u1 takes two calls with longest idle; now u2 and u3 have none and u2 is idle longer
        for i in range(2):
            waiting = WaitingCall("acme", "general", f"warm{i}", 5)
            await acd.queues.enqueue(waiting)
            await acd.presence.set_state("u2", "break", "x")
            await acd.presence.set_state("u3", "break", "x")
            assert (await acd.queues.try_claim(waiting)).agent_id == "u1"
            await acd.distributor.agent_answered(waiting, "u1")
            await acd.distributor.call_ended("u1", 0)
        await acd.presence.set_state("u2", "available")
        await acd.presence.set_state("u3", "available")
        # u1 is now the longest idle, but has answered two calls today
        assert await acd.presence.idle_order("acme") == ["u1", "u2", "u3"]
        chosen = [await _serve(acd, _call(f"c{i}", "fewest_calls")) for i in range(4)]
        assert chosen == ["u2", "u3", "u2", "u3"]
        assert await _serve(acd, _call("c5", "fewest_calls")) == "u1"  # all at two: longest idle

    run_acd(scenario)


def test_skills_with_levels_picks_the_best_level_then_the_longest_idle():
    async def scenario(acd: Acd):
        await acd.presence.login("novice", {"acme": {"billing": 1}})
        await acd.presence.login("expert_b", {"acme": {"billing": 5}})
        await acd.presence.login("expert_a", {"acme": {"billing": 5}})
        await acd.presence.login("no_skill", {"acme": {"sales": 9}})
        chosen = []
        for i in range(3):
            waiting = _call(f"c{i}", "skills_levels", skills=("billing",))
            await acd.queues.enqueue(waiting)
            result = await acd.queues.try_claim(waiting)
            chosen.append(result.agent_id)
        assert chosen == ["expert_b", "expert_a", "novice"]
        waiting = _call("c9", "skills_levels", skills=("billing",))
        await acd.queues.enqueue(waiting)
        assert (await acd.queues.try_claim(waiting)).status == "no_agent"  # no_skill never qualifies

    run_acd(scenario)


def test_skills_with_levels_adds_the_levels_of_several_required_skills():
    async def scenario(acd: Acd):
        await acd.presence.login("lopsided", {"acme": {"billing": 9}})  # lacks english: not a candidate
        await acd.presence.login("balanced", {"acme": {"billing": 4, "english": 4}})
        await acd.presence.login("strong", {"acme": {"billing": 5, "english": 5}})
        waiting = _call("c1", "skills_levels", skills=("billing", "english"))
        await acd.queues.enqueue(waiting)
        assert (await acd.queues.try_claim(waiting)).agent_id == "strong"

    run_acd(scenario)


def test_longest_idle_stays_the_default_strategy():
    async def scenario(acd: Acd):
        for agent in ("u3", "u1", "u2"):
            await acd.presence.login(agent, {"acme": {}})
        chosen = [await _serve(acd, WaitingCall("acme", "general", f"c{i}")) for i in range(4)]
        assert chosen == ["u3", "u1", "u2", "u3"]

    run_acd(scenario)


def test_unknown_strategy_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match="round_robin"):
        QueuePolicy(strategy="random")


def test_the_queue_model_offers_exactly_the_acds_strategies():
    from hotline.platform.models.tenancy import QUEUE_STRATEGIES
    from hotline.runtime.acd import STRATEGIES

    assert QUEUE_STRATEGIES == STRATEGIES


def test_queue_settings_refuse_bad_values_saying_which_and_why():
    from hotline.platform.models import Queue, Tenant

    with pytest.raises(ValueError, match="'billing': strategy 'random' is not one of longest_idle"):
        Queue(name="billing", label="b", strategy="random")
    with pytest.raises(ValueError, match="overflow_after_seconds must be more than 0"):
        Queue(name="billing", label="b", overflow_after_seconds=0)
    with pytest.raises(ValueError, match="ageing_seconds must be 0 or more"):
        Queue(name="billing", label="b", ageing_seconds=-5)
    with pytest.raises(ValueError, match="shared_agent_cap must be 0 or more"):
        Tenant(slug="acme", title="Acme", shared_agent_cap=-1)
