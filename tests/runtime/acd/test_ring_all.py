"""Ring-all: every available agent rings at once; the first to answer takes the call, the others' offers
are withdrawn (they go back to available, in their old place of the idle order)."""

from __future__ import annotations

import pytest

from hotline.runtime.acd import Acd, Assigned, NotOffered, QueuePolicy, WaitingCall

from ..acd_helpers import run_acd

pytestmark = pytest.mark.redis
RING_ALL = QueuePolicy(strategy="ring_all")


def _call(call_id: str, **kw) -> WaitingCall:
    return WaitingCall("acme", "team", call_id, 5, policy=RING_ALL, **kw)


def test_ring_all_offers_the_call_to_every_available_agent_with_the_skills():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2", "u3"):
            await acd.presence.login(agent, {"acme": {"care": 1}})
        await acd.presence.login("other", {"acme": {}})
        await acd.presence.set_state("u3", "break", "lunch")
        waiting = _call("c1", skills=("care",))
        outcome = await acd.distributor.wait_for_agent(waiting, 5)
        assert isinstance(outcome, Assigned)
        assert set(outcome.agents) == {"u1", "u2"}
        states = {a: (await acd.presence.get(a)).state for a in ("u1", "u2", "u3", "other")}
        assert states == {"u1": "ringing", "u2": "ringing", "u3": "break", "other": "available"}

    run_acd(scenario)


def test_first_to_answer_takes_the_call_and_the_others_are_withdrawn_in_their_old_place():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2", "u3"):
            await acd.presence.login(agent, {"acme": {}})
        waiting = _call("c1")
        outcome = await acd.distributor.wait_for_agent(waiting, 5)
        assert outcome.agents == ("u1", "u2", "u3")
        await acd.distributor.agent_answered(waiting, "u2")
        assert (await acd.presence.get("u2")).state == "on_call"
        assert await acd.presence.idle_order("acme") == ["u1", "u3"]  # their old order, not re-stamped
        with pytest.raises(NotOffered):  # the slower agent's answer comes too late
            await acd.distributor.agent_answered(waiting, "u1")
        events = [(e.kind, e.get("agent"), e.get("agents")) for e in await acd.events("acme")
                  if e.kind.startswith("call_")]
        assert events == [("call_enqueued", None, None), ("call_offered", None, "u1:u2:u3"),
                          ("call_answered", "u2", None)]

    run_acd(scenario)


def test_caller_hanging_up_during_ring_all_frees_every_ringing_agent():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2"):
            await acd.presence.login(agent, {"acme": {}})
        waiting = _call("c1")
        await acd.distributor.wait_for_agent(waiting, 5)
        await acd.distributor.cancel(waiting)
        assert [(await acd.presence.get(a)).state for a in ("u1", "u2")] == ["available", "available"]
        assert await acd.presence.idle_order("acme") == ["u1", "u2"]

    run_acd(scenario)


def test_ring_all_nobody_answering_requeues_the_call_and_rings_them_all_again():
    async def scenario(acd: Acd):
        for agent in ("u1", "u2"):
            await acd.presence.login(agent, {"acme": {}})
        waiting = _call("c1")
        first = await acd.distributor.wait_for_agent(waiting, 5)
        assert await acd.distributor.release_no_answer(waiting, first.agent_id)
        again = await acd.distributor.wait_for_agent(waiting, 5)
        assert isinstance(again, Assigned) and again.agents == ("u1", "u2")

    run_acd(scenario)
