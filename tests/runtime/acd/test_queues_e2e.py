"""Queue settings end to end on the simulator: overflow chains, ring-all, announcements of position and
estimated wait, per-queue wrap-up, and the dispatch-rule hook — real runtime, Redis and database."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallTask, Queue
from hotline.runtime.call import dispatch_hook
from hotline.runtime.call import services as call_services
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from ..e2e_helpers import clone, publish_ivr, require_redis, run, stack, visited, wait_for_record, wait_until

pytestmark = [pytest.mark.redis]
#: The schema's smallest queue timeout.
QUEUE_TIMEOUT = 5


def _tenant(db: Database, **node: Any) -> tuple[int, str]:
    """A fresh express tenant whose "press 0" queue node has the given properties; returns (id, DID)."""
    require_redis()
    did = f"4009{uuid.uuid4().int % 10**6:06d}"
    tenant_id = clone(db, "express_delivery", f"acd-{uuid.uuid4().hex[:8]}", [did])

    def edit(body: dict) -> None:
        body["nodes"]["agent_queue"].update({"timeout_seconds": QUEUE_TIMEOUT, **node})

    publish_ivr(db, tenant_id, edit)
    return tenant_id, did


def _queue(db: Database, tenant_id: int, name: str, **settings: Any) -> None:
    """Creates or changes a queue row of the tenant (the ACD settings live in the database)."""
    with db.tenant(tenant_id) as session:
        row = session.scalar(select(Queue).where(Queue.name == name))
        if row is None:
            row = Queue(name=name, label=name)
            session.add(row)
        for key, value in settings.items():
            setattr(row, key, value)


def _events(cdr) -> list[dict]:
    return [e for e in cdr.trace["events"] if e["type"] != "survey"]


def test_overflow_moves_the_call_to_the_next_queue_keeping_its_original_wait(db: Database) -> None:
    tenant_id, did = _tenant(db)
    _queue(db, tenant_id, "general", overflow_after_seconds=1, overflow_queue="backup")
    _queue(db, tenant_id, "backup", skills=["backup_team"])
    agents = {"b1": AgentBehavior(answer_after_ms=500, talk_ms=5_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("b1", tenant_id, "backup_team")  # only the backup team is staffed
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000020", presses=["0", "4"]))
            return record, await wait_for_record(db, tenant_id, record.uuid), await s.events(tenant_id)

    record, cdr, events = run(scenario())
    assert [b["target"].rsplit("/", 1)[-1] for b in record.bridges] == ["b1"], record.summary()
    assert cdr.outcome == "completed" and cdr.queue == "backup"
    overflow, queued = _events(cdr)
    assert (overflow["type"], overflow["from"], overflow["to"]) == ("overflow", "general", "backup")
    assert 1.0 <= overflow["wait_seconds"] < 2.0
    assert (queued["status"], queued["agent"]) == ("answered", "b1")
    assert queued["wait_seconds"] >= overflow["wait_seconds"]  # the whole wait, over both queues
    mine = [e for e in events if e.get("call") == record.uuid]
    assert [(e.kind, e.get("queue"), e.get("reason")) for e in mine][:4] == [
        ("call_enqueued", "general", None), ("call_left", "general", "overflow"),
        ("call_enqueued", "backup", None), ("call_offered", "backup", None)]
    assert mine[0].get("enqueued_at") == mine[2].get("enqueued_at")  # original entry time kept


def test_overflow_chain_ends_in_the_flows_callback_offer(db: Database) -> None:
    tenant_id, did = _tenant(db)
    _queue(db, tenant_id, "general", overflow_after_seconds=1, overflow_queue="backup")
    _queue(db, tenant_id, "backup", skills=["backup_team"], overflow_after_seconds=1, overflow_queue="general")

    async def scenario():
        async with stack(db) as s:  # nobody logged in anywhere
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000021", presses=["0", "1"]))
            return record, await wait_for_record(db, tenant_id, record.uuid, timeout=QUEUE_TIMEOUT + 5)

    record, cdr = run(scenario())
    steps = [(e["type"], e.get("from"), e.get("to") or e.get("status")) for e in _events(cdr)]
    # general -> backup -> (back to general would loop: the chain ends) -> the node's overflow at 5 s
    assert steps[:2] == [("overflow", "general", "backup"), ("queue", None, "timeout")], steps
    assert QUEUE_TIMEOUT - 0.5 <= _events(cdr)[1]["wait_seconds"] < QUEUE_TIMEOUT + 1.5
    path = visited(cdr)
    assert path[path.index("agent_queue"):] == ["agent_queue", "busy_callback", "callback_thanks"], path
    assert any("座席全忙" in prompt for prompt in record.prompts), record.prompts
    assert {"type": "callback", "queue": "general", "number": "13700000021"} in cdr.trace["events"]
    # the booking is dialled work: a call task of the tenant, written with the call record (issue 13 item 3)
    with db.tenant(tenant_id) as session:
        tasks = session.scalars(select(CallTask).where(CallTask.phone == "13700000021")).all()
        assert [(t.kind, t.queue, t.status, t.origin["call"], t.origin["cause"]) for t in tasks] == [
            ("callback", "general", "pending", record.uuid, "ivr_booking")]


def test_ring_all_rings_every_agent_and_the_first_to_answer_takes_the_call(db: Database,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    tenant_id, did = _tenant(db)
    _queue(db, tenant_id, "general", strategy="ring_all")
    monkeypatch.setattr(call_services, "AGENT_RING_SECONDS", 1000)  # 2 s of wall time
    # simulated times (x 0.002 of wall time): quick answers after 20 ms, slow would after 1 s
    agents = {"slow": AgentBehavior(answer_after_ms=500_000, talk_ms=5_000),
              "quick": AgentBehavior(answer_after_ms=10_000, talk_ms=5_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("slow", tenant_id, "express_general")
            await s.login("quick", tenant_id, "express_general")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000022", presses=["0", "4"]))
            cdr = await wait_for_record(db, tenant_id, record.uuid)
            presence = {a: (await s.runtime.acd.presence.get(a)).state for a in ("slow", "quick")}
            return record, cdr, presence, await s.events(tenant_id)

    record, cdr, presence, events = run(scenario())
    target = record.bridges[0]["target"]
    assert sorted(re.findall(r"\]([^,\[]+)", target)) == ["user/quick", "user/slow"], record.summary()
    assert target.count("[origination_uuid=") == 2  # each leg has its own id: the answered one names its agent
    assert record.bridges[0]["name"].split("@")[0].endswith("quick"), record.bridges
    assert [(q["status"], q["agent"]) for q in _events(cdr)] == [("answered", "quick")]
    assert presence["slow"] == "available"  # its offer was withdrawn when quick answered
    kinds = [(e.kind, e.get("agent"), e.get("agents")) for e in events if e.get("call") == record.uuid]
    assert ("call_answered", "quick", None) in kinds


def test_position_and_estimated_wait_are_announced_every_n_seconds(db: Database) -> None:
    tenant_id, did = _tenant(db, announce_wait_time=True, announce_every_seconds=5, timeout_seconds=30)
    agents = {"a1": AgentBehavior(answer_after_ms=200, talk_ms=None)}  # a1 talks until the caller hangs up

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("a1", tenant_id, "express_general")
            first = s.switch.start_call(CallerScript(did=did, caller="13700000023", presses=["0"],
                                                     hangup_after=4_000))  # simulated s: 8 s of wall time
            await wait_until(lambda: _state(s, "a1", "on_call"), what="a1 on the first call")
            # the second caller waits behind a busy a1 and gives up after ~6 s
            second = await s.switch.place_call(CallerScript(did=did, caller="13700000024", presses=["0"],
                                                            hangup_after=3_000))
            await first
            return second

    second = run(scenario(), timeout=40)
    announced = [p for p in second.prompts if "等待" in p]
    # nobody ahead, one agent staffing the queue and no handle times yet (180 s assumed): about 3 minutes
    assert announced[:2] == ["您是下一位，坐席接通后将立即为您服务，预计等待约3分钟，请稍候。"] * 2, second.prompts


def test_wrap_up_seconds_of_the_queue_apply_after_its_calls(db: Database) -> None:
    tenant_id, did = _tenant(db)
    _queue(db, tenant_id, "general", wrap_up_seconds=30)
    agents = {"a1": AgentBehavior(answer_after_ms=200, talk_ms=1_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("a1", tenant_id, "express_general")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000025", presses=["0", "4"]))
            await wait_for_record(db, tenant_id, record.uuid)
            return await s.runtime.acd.presence.get("a1")

    presence = run(scenario())
    assert presence.state == "wrap_up" and presence.wrap_until - presence.since == pytest.approx(30, abs=0.1)


class _Rules:
    """Stands in for hotline.platform.dispatch.call_events at the module boundary the runtime calls."""

    def __init__(self, decision: Any = None, error: Exception | None = None) -> None:
        self.decision, self.error = decision, error
        self.routed: list[dict] = []
        self.abandoned: list[dict] = []

    def route_call(self, session, tenant_id: int, call: dict):
        self.routed.append(call)
        if self.error is not None:
            raise self.error
        return self.decision

    def call_abandoned(self, session, tenant_id: int, call: dict) -> None:
        self.abandoned.append(call)


def test_a_dispatch_rule_routes_the_call_to_another_queue_with_its_priority(db: Database,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    tenant_id, did = _tenant(db)
    rules = _Rules({"queue": "vip", "priority": 9, "skills": ["vip_team"], "rules": ["vip callers"]})
    monkeypatch.setattr(dispatch_hook, "_module", lambda: rules)
    agents = {"v1": AgentBehavior(answer_after_ms=200, talk_ms=2_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("v1", tenant_id, "vip_team")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000026", presses=["0", "4"]))
            return record, await wait_for_record(db, tenant_id, record.uuid)

    record, cdr = run(scenario())
    assert [b["target"].rsplit("/", 1)[-1] for b in record.bridges] == ["v1"], record.summary()
    assert rules.routed[0]["queue"] == "general" and rules.routed[0]["caller"] == "13700000026"
    assert [(e["type"], e.get("queue"), e.get("agent")) for e in _events(cdr)] == [
        ("dispatch", "vip", None), ("queue", "vip", "v1")]
    assert _events(cdr)[0]["rules"] == ["vip callers"] and _events(cdr)[0]["priority"] == 9


def test_a_failing_dispatch_rule_never_drops_the_call_and_abandons_are_reported(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    tenant_id, did = _tenant(db)
    rules = _Rules(error=RuntimeError("rule bug"))
    monkeypatch.setattr(dispatch_hook, "_module", lambda: rules)

    async def scenario():
        async with stack(db) as s:  # nobody logged in: the caller gives up while queued
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000027", presses=["0"],
                                                            hangup_after=500))
            return record, await wait_for_record(db, tenant_id, record.uuid)

    record, cdr = run(scenario())
    assert cdr.outcome == "abandoned" and cdr.queue == "general"  # queued as the IVR said, despite the error
    assert len(rules.abandoned) == 1 and rules.abandoned[0]["uuid"] == record.uuid
    assert rules.abandoned[0]["queue"] == "general" and rules.abandoned[0]["wait_seconds"] > 0


async def _state(s, agent: str, state: str) -> bool:
    found = await s.runtime.acd.presence.get(agent)
    return found is not None and found.state == state


def test_dispatch_hook_keeps_the_ivr_routing_when_no_rule_routes() -> None:
    given = dispatch_hook.Routing("general", 5, ("express_general",))
    decision = {"queue": None, "priority": None, "skills": (), "rules": ["log only"]}
    assert dispatch_hook._apply(decision, given, "u") == dispatch_hook.Routing(
        "general", 5, ("express_general",), ("log only",))
    assert dispatch_hook._apply({"queue": "x", "priority": 42}, given, "u").priority == 9
    assert dispatch_hook._apply({"queue": "x", "priority": "high"}, given, "u") == given


@pytest.mark.parametrize(("agent_talk_ms", "caller_hangs_up_ms", "ended_by"), [(1_000, 60_000, "agent"),
                                                                              (None, 3_000, "caller")])
def test_the_record_says_who_ended_the_talk(db: Database, agent_talk_ms, caller_hangs_up_ms, ended_by) -> None:
    """QA 12 #4: an agent who hung up first (the caller then did the survey) looked like any completed call."""
    tenant_id, did = _tenant(db)
    agents = {"a1": AgentBehavior(answer_after_ms=200, talk_ms=agent_talk_ms)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("a1", tenant_id, "express_general")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000029", presses=["0"],
                                                            hangup_after=caller_hangs_up_ms))
            return record, await wait_for_record(db, tenant_id, record.uuid)

    record, cdr = run(scenario())
    queued = [e for e in cdr.trace["events"] if e.get("type") == "queue"]
    assert [(e["status"], e["agent"], e.get("talk_ended_by")) for e in queued] == [("answered", "a1", ended_by)], \
        record.summary()
