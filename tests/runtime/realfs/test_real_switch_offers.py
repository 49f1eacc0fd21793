"""Offers that fail on the real switch, end to end (QA 12.8): an agent whose phone is busy (USER_BUSY), one
who rejects (CALL_REJECTED) and one who does not answer (NO_ANSWER after the ring time) - the caller goes back
to the head of the queue each time and is answered by the next agent; each agent ends in the state for its
cause (acd/offers.py). Agents are the `agents` context's loopback extensions of docs/freeswitch/conf
(agentbusy, agentreject, agentsilent, agent1001). Same set-up and skip rules as test_real_switch.py."""

from __future__ import annotations

import asyncio

import pytest

from hotline.platform.db import Database
from hotline.runtime.call import services as call_services

from ..acd.test_queues_e2e import _events, _tenant
from ..e2e_helpers import run
from .test_real_switch import _record_of, call, real_stack

pytestmark = [pytest.mark.realfs, pytest.mark.redis, pytest.mark.slow]


def test_busy_rejecting_and_silent_agents_return_the_caller_to_the_queue_head(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(call_services, "AGENT_RING_SECONDS", 3)  # the silent agent's ring, before NO_ANSWER
    tenant_id, did = _tenant(db, timeout_seconds=120)  # room for three failed offers before the answer
    skills = {str(tenant_id): {"express_general": 1}}

    async def scenario():
        async with real_stack(db) as (runtime, client):
            presence = runtime.acd.presence

            async def state(agent: str) -> str | None:
                found = await presence.get(agent)
                return None if found is None else found.state

            async def until(agent: str, wanted: str, timeout: float = 60) -> None:
                for _ in range(int(timeout * 10)):
                    if await state(agent) == wanted:
                        return
                    await asyncio.sleep(0.1)
                raise AssertionError(f"agent {agent} never {wanted} (now {await state(agent)})")

            await presence.login("busy", skills)
            leg = await call(client, did, "13700000080")
            await asyncio.sleep(2.0)
            await client.api(f"uuid_send_dtmf {leg} 0")  # to the agents during the welcome
            await until("busy", "break")  # USER_BUSY: a pause, the caller back at the head
            await presence.login("silent", skills)
            await until("silent", "break")  # nobody answered within the ring time: a pause
            await presence.login("reject", skills)
            for _ in range(100):  # CALL_REJECTED: available again, offered again, until the reject limit
                if (await presence.get("reject")).state == "break":
                    break
                await asyncio.sleep(0.1)
            await presence.login("1001", skills)
            try:
                await until("1001", "on_call")
            except AssertionError as exc:  # say what the call did instead
                await client.api(f"uuid_kill {leg}")
                record = await _record_of(db, tenant_id, did)
                raise AssertionError(f"{exc}: {record.outcome} {record.hangup_cause} {_events(record)} "
                                     f"{[(s['node'], s.get('digits')) for s in record.trace.get('steps', [])]}"
                                     ) from None
            up = (await client.api(f"uuid_exists {leg}")).strip()
            await asyncio.sleep(1.0)
            await client.api(f"uuid_kill {leg}")
            states = {agent: await state(agent) for agent in ("busy", "silent", "reject")}
            return up, states, await _record_of(db, tenant_id, did)

    up, states, cdr = run(scenario(), timeout=180)
    assert up == "true"  # the caller stayed on the line through every failed offer
    failed = {e["agent"]: e for e in _events(cdr) if e["type"] == "agent_no_answer"}
    assert (failed["busy"]["cause"], failed["busy"]["outcome"]) == ("USER_BUSY", "busy"), failed
    assert (failed["silent"]["cause"], failed["silent"]["outcome"]) in {("NO_ANSWER", "no_answer"),
                                                                         ("NO_USER_RESPONSE", "no_answer"),
                                                                         ("ALLOTTED_TIMEOUT", "no_answer")}, failed
    assert (failed["reject"]["cause"], failed["reject"]["outcome"]) == ("CALL_REJECTED", "rejected"), failed
    assert [(q["status"], q["agent"]) for q in _events(cdr) if q["type"] == "queue"] == [("answered", "1001")]
    # the state each failure left the agent in (a timed pause reads as available again once it runs out)
    assert failed["busy"]["agent_state"] == "break" and failed["silent"]["agent_state"] == "break", failed
    assert states["reject"] in ("available", "break"), states
    assert cdr.answered_at is not None and not cdr.trace.get("errors"), cdr.trace
