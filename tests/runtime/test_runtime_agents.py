"""Calls that reach agents, end to end: the express template's "press 0", the simulator bridging
user/<agent>, the shared Redis ACD, and what the call record says afterwards."""

from __future__ import annotations

import asyncio

import pytest

from hotline.platform.db import Database
from hotline.runtime.call import services as call_services
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from .e2e_helpers import clone, publish_ivr, require_redis, run, stack, visited, wait_for_record, wait_until

pytestmark = [pytest.mark.redis]
DID = "4008002001"
#: The schema's smallest queue timeout; the template's 120 s would not fit a test.
QUEUE_TIMEOUT = 5


@pytest.fixture(scope="module")
def express(db: Database) -> int:
    require_redis()
    tenant_id = clone(db, "express_delivery", "agents-express", [DID])

    def short_queue(body: dict) -> None:
        body["nodes"]["agent_queue"]["timeout_seconds"] = QUEUE_TIMEOUT

    assert publish_ivr(db, tenant_id, short_queue) == 2
    return tenant_id


def bridged_agents(record) -> list[str]:
    return [bridge["target"].rsplit("/", 1)[-1] for bridge in record.bridges]


def test_press_0_reaches_a_logged_in_agent(db: Database, express: int) -> None:
    agents = {"a1": AgentBehavior(answer_after_ms=2000, talk_ms=30_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("a1", express, "express_general")
            record = await s.switch.place_call(CallerScript(did=DID, caller="13700000010", presses=["0", "4"]))
            cdr = await wait_for_record(db, express, record.uuid)
            return record, cdr, await s.runtime.acd.presence.get("a1"), await s.events(express)

    record, cdr, presence, events = run(scenario())
    assert bridged_agents(record) == ["a1"], record.summary()
    assert record.bridges[0]["target"].endswith("user/a1")
    assert cdr.ivr_version == 2 and cdr.outcome == "completed"
    assert cdr.queue == "general" and cdr.wait_seconds is not None and 0 <= cdr.wait_seconds < QUEUE_TIMEOUT
    queued = [e for e in cdr.trace["events"] if e["type"] == "queue"]
    # The agent's leg ended and the caller went on to the survey: the agent ended the talk (QA 12, item 4).
    assert queued == [{"type": "queue", "queue": "general", "status": "answered", "agent": "a1",
                       "wait_seconds": queued[0]["wait_seconds"], "talk_ended_by": "agent"}]
    assert {"type": "survey", "variable": "satisfaction", "score": 4} in cdr.trace["events"]
    path = visited(cdr)
    assert path[path.index("main_menu") + 1:] == ["agent_queue", "survey", "end"], path
    # The ACD saw the offer, the answer and the end of this call, with the agent.
    mine = [(e.kind, e.get("agent")) for e in events if e.get("call") == record.uuid]
    assert mine == [("call_enqueued", None), ("call_offered", "a1"), ("call_answered", "a1"),
                    ("call_ended", "a1")], mine
    assert presence.state in ("wrap_up", "available") and presence.call_id is None


def test_no_answer_requeues_at_the_head_and_the_next_agent_answers(db: Database, express: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """a1 rings out (on break afterwards) while call B waits behind call A; a2 logs in and gets A, the
    head of the queue, not B; B then overflows to the express overflow (busy_callback) at its timeout."""
    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 60)  # a2 must not come back for B
    agents = {"a1": AgentBehavior(answer_after_ms=None, ring_timeout_ms=200_000),  # 0.4 s of wall time
              "a2": AgentBehavior(answer_after_ms=1000, talk_ms=20_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            presence = s.runtime.acd.presence
            await s.login("a1", express, "express_general")
            call_a = s.switch.start_call(CallerScript(did=DID, caller="13700000011", presses=["0"]))
            await wait_until(lambda: _state(presence, "a1", "ringing", "break"), what="a1 ringing")
            call_b = s.switch.start_call(CallerScript(did=DID, caller="13700000012", presses=["0", "1"]))
            await wait_until(lambda: _enqueued(s, express, 2), what="call B in the queue")
            await wait_until(lambda: _state(presence, "a1", "break"), what="a1 on break after no answer")
            a1 = await presence.get("a1")
            await s.login("a2", express, "express_general")
            record_a, record_b = await asyncio.gather(call_a, call_b)
            cdr_a = await wait_for_record(db, express, record_a.uuid)
            cdr_b = await wait_for_record(db, express, record_b.uuid)
            return a1, record_a, record_b, cdr_a, cdr_b, await s.events(express)

    a1, record_a, record_b, cdr_a, cdr_b, events = run(scenario())
    assert a1.state == "break" and a1.reason == "no_answer"
    # Call A: a1 rang out, a2 answered.
    assert [f["target"].rsplit("/", 1)[-1] for f in record_a.of("bridge_failed")] == ["a1"], record_a.summary()
    assert bridged_agents(record_a) == ["a2"], record_a.summary()
    assert cdr_a.queue == "general"
    assert [(e["type"], e.get("agent")) for e in cdr_a.trace["events"] if e["type"] != "survey"] == \
        [("agent_no_answer", "a1"), ("queue", "a2")]
    of_a = [(e.kind, e.get("agent")) for e in events if e.get("call") == record_a.uuid]
    assert of_a[:4] == [("call_enqueued", None), ("call_offered", "a1"), ("call_requeued", "a1"),
                        ("call_offered", "a2")], of_a
    # Call B: never offered to anyone, left the queue at its timeout and reached the overflow.
    assert record_b.bridges == [], record_b.summary()
    of_b = [(e.kind, e.get("reason")) for e in events if e.get("call") == record_b.uuid]
    assert of_b == [("call_enqueued", None), ("call_left", "timeout")], of_b
    queued = [e for e in cdr_b.trace["events"] if e["type"] == "queue"]
    assert [(q["status"], q["agent"]) for q in queued] == [("timeout", None)]
    assert QUEUE_TIMEOUT - 0.5 <= queued[0]["wait_seconds"] < QUEUE_TIMEOUT + 2
    path = visited(cdr_b)
    assert path[path.index("agent_queue"):] == ["agent_queue", "busy_callback", "callback_thanks"], path
    assert any("座席全忙" in prompt for prompt in record_b.prompts), record_b.prompts
    assert {"type": "callback", "queue": "general", "number": "13700000012"} in cdr_b.trace["events"]


def test_caller_hanging_up_while_queued_leaves_the_queue_at_once(db: Database, express: int) -> None:
    async def scenario():
        async with stack(db) as s:  # nobody logged in: the call waits until the caller gives up
            loop = asyncio.get_running_loop()
            began = loop.time()
            record = await s.switch.place_call(CallerScript(did=DID, caller="13700000013", presses=["0"],
                                                            hangup_after=150))  # 0.3 s of wall time
            cdr = await wait_for_record(db, express, record.uuid, timeout=QUEUE_TIMEOUT + 5)
            return record, cdr, loop.time() - began, await s.events(express)

    record, cdr, took, events = run(scenario())
    # The runtime lets the socket go only when its call is over: a call still waiting in the queue after the
    # caller hung up would hold it until the queue timeout.
    assert took < QUEUE_TIMEOUT - 2, f"the call took {took:.1f}s although the caller hung up after 0.3s"
    assert cdr.outcome == "abandoned" and cdr.queue == "general"
    assert [(e["type"], e["status"]) for e in cdr.trace["events"]] == [("queue", "abandoned")]
    of_call = [(e.kind, e.get("reason")) for e in events if e.get("call") == record.uuid]
    assert of_call == [("call_enqueued", None), ("call_left", "cancelled")], of_call


def test_caller_hanging_up_during_the_conversation_frees_the_agent(db: Database, express: int) -> None:
    agents = {"a3": AgentBehavior(answer_after_ms=1000, talk_ms=None)}  # the agent waits for the caller

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("a3", express, "express_general")
            record = await s.switch.place_call(CallerScript(did=DID, caller="13700000014", presses=["0"],
                                                            hangup_after=150))
            cdr = await wait_for_record(db, express, record.uuid)
            return record, cdr, await s.runtime.acd.presence.get("a3"), await s.events(express)

    record, cdr, presence, events = run(scenario())
    assert bridged_agents(record) == ["a3"], record.summary()
    assert presence.state in ("wrap_up", "available"), presence
    of_call = [(e.kind, e.get("agent")) for e in events if e.get("call") == record.uuid]
    assert of_call[-1] == ("call_ended", "a3"), of_call
    assert cdr.outcome == "caller_hangup" and cdr.queue == "general"
    assert [(e["type"], e["status"], e["agent"]) for e in cdr.trace["events"]] == [("queue", "answered", "a3")]


async def _state(presence, agent: str, *states: str) -> bool:
    found = await presence.get(agent)
    return found is not None and found.state in states


async def _enqueued(s, tenant_id: int, count: int) -> bool:
    return sum(e.kind == "call_enqueued" for e in await s.events(tenant_id)) >= count
