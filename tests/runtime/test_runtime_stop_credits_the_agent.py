"""Issue 14: a call cut by a runtime stop while the caller talks to an agent is credited to that agent in the
reports (answered, handle time), through the simulator and a real Runtime.stop()."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, ReportInterval
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from .acd.test_queues_e2e import _tenant
from .e2e_helpers import run, stack, wait_until

pytestmark = [pytest.mark.redis]


def _report_rows(db: Database, tenant_id: int) -> list[tuple[int, str, int, int, float]]:
    with db.tenant(tenant_id) as session:
        return [tuple(row) for row in session.execute(
            select(ReportInterval.agent_id, ReportInterval.extension, func.sum(ReportInterval.answered),
                   func.sum(ReportInterval.handle_count), func.sum(ReportInterval.handle_sum))
            .where(ReportInterval.tenant_id == tenant_id)
            .group_by(ReportInterval.agent_id, ReportInterval.extension)).all()]


def test_a_call_talking_to_an_agent_when_the_runtime_stops_is_credited_to_that_agent(db: Database) -> None:
    tenant_id, did = _tenant(db)
    agents = {"s1": AgentBehavior(answer_after_ms=100, talk_ms=None)}

    async def scenario() -> str:
        async with stack(db, agents=agents, time_scale=0.01) as s:
            await s.login("s1", tenant_id, "express_general")
            call = s.switch.start_call(CallerScript(did=did, caller="13700000071", presses=["0"],
                                                    hangup_after=60_000))

            async def talking() -> bool:
                found = await s.runtime.acd.presence.get("s1")
                return found is not None and found.state == "on_call"

            await wait_until(talking, timeout=15, what="s1 on the call")
            uuid = (await s.runtime.acd.presence.get("s1")).call_id
            await s.runtime.stop()  # the whole runtime, no grace: the call is cut mid-talk
            call.cancel()
            return uuid

    uuid = run(scenario(), timeout=60)
    with db.tenant(tenant_id) as session:
        cdr = session.scalar(select(CallRecord).where(CallRecord.uuid == uuid))
        assert cdr is not None, "no record of the call cut by the stop"
        assert cdr.hangup_cause == "runtime_stopped" and cdr.answered_at is not None
        assert cdr.ended_at is not None and cdr.talk_seconds, (cdr.talk_seconds, cdr.trace.get("events"))
    rows = _report_rows(db, tenant_id)
    credited = [r for r in rows if r[2] and (r[0] or r[1] == "s1")]
    assert credited and credited[0][2] == 1 and credited[0][3] == 1, rows
    assert not [r for r in rows if r[2] and not (r[0] or r[1])], rows  # nobody's answered call
