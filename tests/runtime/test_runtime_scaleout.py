"""Two runtime processes sharing one Redis ACD: many concurrent calls, a few agents, never one agent on two
calls at once (DESIGN §4: several stateless runtime processes sharing Redis)."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord
from hotline.runtime.call import services as call_services
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from .e2e_helpers import clone, publish_ivr, require_redis, run, stack, wait_until

pytestmark = [pytest.mark.redis]
DIDS = ["4008003001", "4008003002"]
CALLS = 20
AGENTS = ("s1", "s2", "s3")


@pytest.fixture(scope="module")
def express(db: Database) -> int:
    require_redis()
    tenant_id = clone(db, "express_delivery", "scale-express", DIDS)

    def short_queue(body: dict) -> None:  # a stuck call overflows in seconds instead of two minutes
        body["nodes"]["agent_queue"]["timeout_seconds"] = 5

    publish_ivr(db, tenant_id, short_queue)
    return tenant_id


def test_two_runtimes_never_give_one_agent_two_calls(db: Database, express: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # No wrap-up: an agent is available again the moment its call ends, so claims from both processes race.
    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 0)
    agents = {name: AgentBehavior(answer_after_ms=500, talk_ms=40_000) for name in AGENTS}  # ~80 ms talks

    async def scenario():
        async with stack(db, agents=agents, runtimes=2, spread=DIDS) as s:
            for name in AGENTS:
                await s.login(name, express, "express_general")
            calls = [s.switch.start_call(CallerScript(did=DIDS[i % 2], caller=f"1370001{i:04d}", presses=["0"]))
                     for i in range(CALLS)]
            records = await asyncio.gather(*calls)
            # The switch is done with every call before the runtimes have finished theirs (the record written,
            # the agent released in the ACD): wait for that, as a loaded machine takes its time.
            uuids = [r.uuid for r in records]

            async def all_recorded() -> bool:
                return await asyncio.to_thread(_recorded, db, express, uuids) == CALLS

            async def settled() -> bool:
                states = [(await s.runtime.acd.presence.get(name)).state for name in AGENTS]
                return all(runtime.handler.active == 0 for runtime in s.runtimes) and all(
                    state in ("available", "wrap_up") for state in states)

            await wait_until(all_recorded, timeout=60, interval=0.05, what="every call's record")
            await wait_until(settled, timeout=60, what="both runtimes idle and every agent free")
            handled = [runtime.handler.handled for runtime in s.runtimes]
            states = [(await s.runtime.acd.presence.get(name)).state for name in AGENTS]
            return records, handled, states, await s.events(express)

    records, handled, states, events = run(scenario(), timeout=120)
    assert all(count > 0 for count in handled) and sum(handled) == CALLS, handled

    # The simulator's view: per agent phone, the bridges never overlap in time.
    spans: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for record in records:
        bridge = [s for s in record.steps if s.kind == "bridge"]
        unbridge = [s for s in record.steps if s.kind == "unbridge"]
        assert len(bridge) <= 1 and len(unbridge) == len(bridge), record.summary()
        if bridge:
            agent = bridge[0].data["target"].rsplit("/", 1)[-1]
            spans[agent].append((bridge[0].at, unbridge[0].at, record.uuid))
    for agent, intervals in spans.items():
        intervals.sort()
        for (_, end, first), (start, _, second) in itertools.pairwise(intervals):
            assert start >= end, f"{agent} was bridged to {second} while still on {first}"
    assert set(spans) == set(AGENTS), spans  # longest-idle distribution uses every agent

    # The ACD's own log (one atomic stream): an agent is offered a call only when it holds none.
    holding: dict[str, str] = {}
    for event in events:
        agent, call = event.get("agent"), event.get("call")
        if event.kind == "call_offered":
            assert agent not in holding, f"{agent} offered {call} while holding {holding.get(agent)}"
            holding[agent] = call
        elif event.kind in ("call_ended", "call_requeued") or (event.kind == "call_left" and agent):
            assert holding.pop(agent, None) == call, event
    assert holding == {} and all(state in ("available", "wrap_up") for state in states), (holding, states)

    # Every call was answered by an agent or overflowed at its timeout; none was lost.
    with db.tenant(express) as session:
        cdrs = {c.uuid: c for c in session.scalars(select(CallRecord).where(
            CallRecord.uuid.in_([r.uuid for r in records])))}
    assert len(cdrs) == CALLS
    statuses = []
    for record in records:
        cdr = cdrs[record.uuid]
        queued = [e for e in cdr.trace["events"] if e["type"] == "queue"]
        assert cdr.outcome == "completed" and cdr.queue == "general" and len(queued) == 1, cdr.trace
        statuses.append(queued[0]["status"])
        if queued[0]["status"] == "answered":
            assert record.bridges and record.bridges[0]["target"].endswith(f"user/{queued[0]['agent']}")
        else:
            assert queued[0]["status"] == "timeout" and not record.bridges
            assert "busy_callback" in [step["node"] for step in cdr.trace["steps"]]
    assert statuses.count("answered") == sum(map(len, spans.values())) >= len(AGENTS), statuses


def _recorded(db: Database, tenant_id: int, uuids: list[str]) -> int:
    """How many of these calls the runtimes have recorded."""
    with db.tenant(tenant_id) as session:
        return len(session.scalars(select(CallRecord.uuid).where(CallRecord.uuid.in_(uuids))).all())
