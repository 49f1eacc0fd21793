"""The call record of an answered call says when the agent picked up and which user it was, so the
wallboard's talk and handle times have something to measure — real runtime, simulator, Redis, database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.models import AgentExtension, Membership, Role
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from ...platform import factories
from ..e2e_helpers import clone, publish_ivr, require_redis, run, stack, wait_for_record

pytestmark = [pytest.mark.redis]


def _tenant(db: Database) -> tuple[int, str]:
    require_redis()
    did = f"4007{uuid.uuid4().int % 10**6:06d}"
    tenant_id = clone(db, "express_delivery", f"cdr-{uuid.uuid4().hex[:8]}", [did])
    publish_ivr(db, tenant_id, lambda body: body["nodes"]["agent_queue"].update(timeout_seconds=5))
    return tenant_id, did


def _user_with_extension(db: Database, extension: str, tenant_id: int) -> int:
    """An agent of the tenant (a call is attributed only to a member of its tenant)."""
    with db.platform() as session:
        user = factories.user(session)
        session.add(AgentExtension(user_id=user.id, extension=extension))
        session.add(Membership(tenant_id=tenant_id, user_id=user.id, role=Role.AGENT))
        return user.id


def _answered_call(db: Database, tenant_id: int, did: str, agent: str, caller: str, presses: list[str]):
    agents = {agent: AgentBehavior(answer_after_ms=1000, talk_ms=30_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login(agent, tenant_id, "express_general")
            before = datetime.now(UTC)
            record = await s.switch.place_call(CallerScript(did=did, caller=caller, presses=presses))
            return before, await wait_for_record(db, tenant_id, record.uuid)

    return run(scenario())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_an_answered_call_records_when_the_agent_picked_up_and_the_agents_user(db: Database) -> None:
    tenant_id, did = _tenant(db)
    extension = f"x{uuid.uuid4().hex[:6]}"
    user_id = _user_with_extension(db, extension, tenant_id)
    before, cdr = _answered_call(db, tenant_id, did, extension, "13700000031", ["0", "4"])
    assert cdr.outcome == "completed", cdr.trace
    assert cdr.agent_id == user_id
    assert cdr.answered_at is not None and cdr.ended_at is not None
    started, answered, ended = _aware(cdr.started_at), _aware(cdr.answered_at), _aware(cdr.ended_at)
    assert before - timedelta(seconds=1) <= started <= answered <= ended
    # the simulator's agent answers after 1 s and talks 30 s, both scaled by 0.002 (2 ms and 60 ms)
    assert ended - answered >= timedelta(milliseconds=50)


def test_an_agent_without_a_user_records_the_answer_time_and_no_agent(db: Database) -> None:
    tenant_id, did = _tenant(db)
    _before, cdr = _answered_call(db, tenant_id, did, f"nobody{uuid.uuid4().hex[:4]}", "13700000032", ["0", "4"])
    assert cdr.answered_at is not None
    assert cdr.agent_id is None


def test_a_call_no_agent_answers_records_neither(db: Database) -> None:
    """The caller gives up while the only agent rings without answering: abandoned, no answer time, no agent."""
    tenant_id, did = _tenant(db)
    agents = {"r1": AgentBehavior(answer_after_ms=None, ring_timeout_ms=200_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("r1", tenant_id, "express_general")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000033", presses=["0"],
                                                            hangup_after=1500))  # 3 s of wall time
            return record, await wait_for_record(db, tenant_id, record.uuid, timeout=10)

    record, cdr = run(scenario())
    refused = [{k: e[k] for k in ("type", "agent")} for e in cdr.trace["events"] if e["type"] == "agent_no_answer"]
    assert not record.bridges and {"type": "agent_no_answer", "agent": "r1"} in refused, cdr.trace
    assert [e["status"] for e in cdr.trace["events"] if e["type"] == "queue"] == ["abandoned"]
    assert cdr.answered_at is None and cdr.agent_id is None
