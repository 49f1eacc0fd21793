"""Why an offer failed decides where the agent goes (issue 12): busy, not registered, rejected, no answer.
The caller always goes back to the head of its queue. ACD scripts on a real Redis, then the runtime on the
simulator, which now fails a bridge to a user the directory does not know as the real switch does."""

from __future__ import annotations

import uuid

import pytest

from hotline.platform.db import Database
from hotline.platform.wallboard.live import AcdReader
from hotline.runtime.acd import Acd, OfferPolicy, offer_outcome
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from ..acd_helpers import call, run_acd
from ..e2e_helpers import clone, publish_ivr, require_redis, run, stack, wait_for_record

pytestmark = pytest.mark.redis


def test_hangup_causes_map_to_outcomes_as_the_real_switch_names_them():
    assert offer_outcome("USER_BUSY") == "busy"
    assert offer_outcome("SUBSCRIBER_ABSENT") == offer_outcome("USER_NOT_REGISTERED") == "not_registered"
    assert offer_outcome("CALL_REJECTED") == "rejected"
    assert offer_outcome("NO_ANSWER") == offer_outcome(None) == offer_outcome("") == "no_answer"
    assert offer_outcome("INVALID_GATEWAY") == offer_outcome("DESTINATION_OUT_OF_ORDER") == "unreachable"


async def _offer(acd: Acd, agent: str, call_id: str):
    waiting = call(call_id)
    outcome = await acd.distributor.wait_for_agent(waiting, 5)
    assert outcome.agent_id == agent
    return waiting


def test_each_cause_puts_the_agent_in_its_state_and_the_caller_back_at_the_head():
    async def scenario(acd: Acd):
        results = {}
        for agent, cause in (("busy", "USER_BUSY"), ("gone", "SUBSCRIBER_ABSENT"), ("quiet", "NO_ANSWER"),
                             ("broken", "INVALID_GATEWAY")):
            await acd.presence.login(agent, {"acme": {}})
            waiting = await _offer(acd, agent, f"c-{agent}")
            await acd.queues.enqueue(call(f"later-{agent}"))
            released, outcome, became = await acd.distributor.release_offer(waiting, agent, cause)
            presence = await acd.presence.get(agent)
            head = (await acd.queues.waiting("acme", "general"))[0]
            results[agent] = (released, outcome, became, presence.state, presence.reason,
                              None if presence.wrap_until is None else round(presence.wrap_until - presence.since),
                              head)
            await acd.queues.leave(waiting, "cancelled")
            await acd.queues.leave(call(f"later-{agent}"), "cancelled")
        return results

    results = run_acd(scenario, offers=OfferPolicy(pause_seconds={"busy": 15, "no_answer": 30, "unreachable": 60}))
    assert results == {
        "busy": (True, "busy", "break", "break", "busy", 15, "c-busy"),
        "gone": (True, "not_registered", "offline", "offline", "not_registered", None, "c-gone"),
        "quiet": (True, "no_answer", "break", "break", "no_answer", 30, "c-quiet"),
        "broken": (True, "unreachable", "break", "break", "unreachable", 60, "c-broken"),
    }


def test_a_short_pause_ends_by_itself_and_the_agent_is_offered_calls_again():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        waiting = await _offer(acd, "u1", "c1")
        await acd.distributor.release_offer(waiting, "u1", "NO_ANSWER")
        paused = (await acd.presence.get("u1")).state
        outcome = await acd.distributor.wait_for_agent(waiting, 3)  # the pause ends, u1 is claimed again
        return paused, outcome.agent_id

    assert run_acd(scenario, poll_seconds=0.05, offers=OfferPolicy(pause_seconds={"no_answer": 0.3})) == ("break",
                                                                                                        "u1")


def test_rejects_in_a_row_put_the_agent_on_a_break_until_it_is_ready_again():
    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        states = []
        for i in range(3):
            waiting = await _offer(acd, "u1", f"c{i}")
            _, _, became = await acd.distributor.release_offer(waiting, "u1", "CALL_REJECTED")
            presence = await acd.presence.get("u1")
            states.append((became, presence.reason or ""))
            await acd.queues.leave(waiting, "cancelled")
        # an answer in between starts the count again
        return states

    states = run_acd(scenario, offers=OfferPolicy(reject_limit=3))
    assert states == [("available", ""), ("available", ""), ("break", "rejected")]


def test_the_wallboard_reads_an_expired_pause_as_available():
    """The wallboard's own Lua reading (platform/wallboard/live.py) applies the same rule as Presence."""
    import redis as sync_redis

    from ..acd_helpers import REDIS_URL

    async def scenario(acd: Acd):
        await acd.presence.login("u1", {"acme": {}})
        await acd.presence.login("u2", {"acme": {}})
        first = await _offer(acd, "u1", "c1")
        await acd.distributor.release_offer(first, "u1", "USER_BUSY")  # pause 0.001 s: over at once
        second = await _offer(acd, "u2", "c1")
        await acd.distributor.release_offer(second, "u2", "NO_ANSWER")  # pause 60 s
        client = sync_redis.Redis.from_url(REDIS_URL)
        try:
            snapshot = AcdReader(client, acd.keys.prefix).snapshot("acme")
        finally:
            client.close()
        return {a.agent_id: (a.state, a.reason) for a in snapshot.agents}

    states = run_acd(scenario, offers=OfferPolicy(pause_seconds={"busy": 0.001, "no_answer": 60}))
    assert states == {"u1": ("available", "busy"), "u2": ("break", "no_answer")}


def test_a_bridge_to_an_agent_the_directory_does_not_know_sends_it_offline_and_the_caller_to_the_next(db: Database):
    """On the real switch user/<unknown> fails SUBSCRIBER_ABSENT at once (04-bridge-failures); the simulator
    used to answer any user. The runtime sends the agent offline (not registered) and the caller, back at
    the head of the queue, to the next agent."""
    require_redis()
    did = f"4012{uuid.uuid4().int % 10**6:06d}"
    tenant_id = clone(db, "express_delivery", f"offer-{uuid.uuid4().hex[:8]}", [did])
    publish_ivr(db, tenant_id, lambda body: body["nodes"]["agent_queue"].update({"timeout_seconds": 20}))

    async def scenario():
        async with stack(db, agents={"real": AgentBehavior(answer_after_ms=100, talk_ms=500)}) as s:
            await s.login("ghost", tenant_id, "express_general")  # logged in on the desk, no phone registered
            await s.login("real", tenant_id, "express_general")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000051", presses=["0", "4"]))
            cdr = await wait_for_record(db, tenant_id, record.uuid)
            return cdr, await s.runtime.acd.presence.get("ghost")

    cdr, ghost = run(scenario())
    refused = [e for e in cdr.trace["events"] if e["type"] == "agent_no_answer"]
    assert refused == [{"type": "agent_no_answer", "agent": "ghost", "cause": "SUBSCRIBER_ABSENT",
                        "outcome": "not_registered", "agent_state": "offline"}], cdr.trace
    assert (ghost.state, ghost.reason) == ("offline", "not_registered")
    assert [(e["status"], e["agent"]) for e in cdr.trace["events"] if e["type"] == "queue"] == [("answered", "real")]


def test_the_wallboard_shows_the_reasons_as_labels_in_both_languages():
    from hotline.designer.wallboard.strings import board_texts

    zh, en = board_texts("zh_CN"), board_texts("en")
    assert [zh[r] for r in ("not_registered", "busy", "no_answer", "rejected", "unreachable")] == [
        "未注册", "占线", "未接听", "拒接，未就绪", "无法接通"]
    assert en["not_registered"] == "Phone not registered" and en["busy"] == "Busy"
