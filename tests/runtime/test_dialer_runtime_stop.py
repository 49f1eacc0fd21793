"""A campaign call cut by a runtime stop while the callee talks to an agent (as inbound calls since 1e98b02): the
attempt ends with the reason (runtime stopped), the agent keeps the answered call and its talk so far, and the
contact does not stay `dialing`; the runtime keeps the call under its lease meanwhile, so a crash leaves what the
sweep needs (platform/lost_calls.py). Through the ESL simulator with the real runtime, Redis and database."""

from __future__ import annotations

import asyncio
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.db import Database
from hotline.platform.models import Campaign, DialAttempt
from hotline.platform.outbound import measures, reasons
from hotline.platform.reports.outbound import outbound_report
from hotline.platform.reports.periods import Period
from hotline.runtime.acd import AcdKeys
from hotline.runtime.acd.lease_sweep_job import sweep_once
from hotline.runtime.call import services as call_services
from hotline.runtime.dialer import answered as answered_calls
from hotline.runtime.simswitch import AgentBehavior, CalleeProfile

from .e2e_helpers import run, stack, wait_until
from .test_dialer_e2e import _attempts, _campaign, _entries, _numbers, dialers, tenant  # noqa: F401
from .test_runtime_stop_waits_for_saves import table_locked

pytestmark = [pytest.mark.redis]


def test_a_campaign_call_cut_by_a_runtime_stop_mid_talk_credits_the_agent_and_settles_the_contact(
        db: Database, tenant: int, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 0)
    monkeypatch.setattr(answered_calls, "HOLD_WRAP_UP", False)
    (phone,) = _numbers(1)
    campaign = _campaign(db, tenant, [phone])
    callees = CalleeProfile(overrides={phone: "answer"}, ring_ms=(200, 200), talk_ms=(600_000, 600_000))

    async def scenario() -> dict[str, str]:
        async with stack(db, agents={"1001": AgentBehavior(answer_after_ms=100, talk_ms=None)}, callees=callees,
                         time_scale=0.05) as s:
            await s.login("1001", tenant)
            async with dialers(db, s):
                async def talking() -> str | None:
                    found = await s.runtime.acd.presence.get("1001")
                    return found.call_id if found is not None and found.state == "on_call" else None

                uuid = await wait_until(talking, timeout=30, interval=0.05, what="1001 on the campaign call")
                # what a crash would leave: the call under the runtime's lease, with its attempt and the agent
                raw = await s.redis.hgetall(AcdKeys(s.prefix).live(uuid))
                live = {k.decode(): v.decode() for k, v in raw.items()}
                await asyncio.sleep(0.3)  # some talk
                await s.runtime.stop()  # the whole runtime, no grace: the call is cut mid-talk
                assert not await s.redis.exists(AcdKeys(s.prefix).live(uuid))  # recorded: nothing left to sweep
        return live

    live = run(scenario(), timeout=90)
    assert live.get("attempt_id") and live.get("agent") == "1001" and live.get("tenant_id") == str(tenant), live
    (attempt,) = _attempts(db, tenant, campaign)
    assert isinstance(attempt, DialAttempt)
    assert (attempt.outcome, attempt.agent, attempt.abandoned) == ("answered", "1001", False)  # a connect, 1001's
    assert attempt.answered_at is not None and attempt.ended_at is not None and attempt.ended_at > attempt.answered_at
    assert reasons.decode(attempt.reason).get("code") == "reason.runtime_stopped", attempt.reason
    entry = _entries(db, tenant, campaign)[phone]
    assert entry.state == "done" and reasons.decode(entry.closed_reason).get("code") == "reason.runtime_stopped"
    with db.tenant(tenant) as session:  # the outbound report counts the connect; the handle time is the talk so far
        name = session.get(Campaign, campaign).name
        day = date(2026, 11, 23)
        report = outbound_report(session, tenant, Period(day, day, "total", ZoneInfo("Asia/Shanghai")), "campaign")
        measured = measures.measure(session, campaign, attempt.ended_at)
    (row,) = [r for r in report.rows if r["label"] == name]
    assert (row["attempts"], row["connects"], row["abandoned"]) == (1, 1, 0), row
    assert measured.handle_times and measured.handle_times[0] > 0


def test_a_stopping_runtime_keeps_its_lease_until_the_cut_attempt_is_written(
        db: Database, tenant: int, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The stop order for campaign calls (server.py Runtime.stop): the cut attempt's write, slowed by a lock on
    dial_attempt, is waited for before the lease goes, so no sweep closes the attempt as `runtime_lost` meanwhile.
    A guard, not a defect's test: the cut's shielded write was already awaited through the call's one cancellation
    (it passes on 14eacb1); the inbound call's ended-call save was not (test_runtime_stop_waits_for_saves.py)."""
    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 0)
    monkeypatch.setattr(answered_calls, "HOLD_WRAP_UP", False)
    (phone,) = _numbers(1)
    campaign = _campaign(db, tenant, [phone])
    callees = CalleeProfile(overrides={phone: "answer"}, ring_ms=(200, 200), talk_ms=(600_000, 600_000))

    async def scenario() -> dict[str, object]:
        async with stack(db, agents={"1001": AgentBehavior(answer_after_ms=100, talk_ms=None)}, callees=callees,
                         time_scale=0.05) as s:
            await s.login("1001", tenant)
            keys = AcdKeys(s.prefix)
            seen: dict[str, object] = {}
            async with dialers(db, s):
                async def talking() -> str | None:
                    found = await s.runtime.acd.presence.get("1001")
                    return found.call_id if found is not None and found.state == "on_call" else None

                uuid = await wait_until(talking, timeout=30, interval=0.05, what="1001 on the campaign call")
                lease = keys.runtime(s.runtime.runtime_id)
                with table_locked(db, "dial_attempt"):
                    stopping = asyncio.create_task(s.runtime.stop())  # no grace: the call is cut mid-talk
                    await asyncio.sleep(0.8)
                    seen["stopped_while_writing"] = stopping.done()
                    seen["lease_while_writing"] = bool(await s.redis.exists(lease))
                    seen["live_while_writing"] = bool(await s.redis.exists(keys.live(uuid)))
                    swept = await sweep_once(s.redis, db, s.prefix)  # a concurrent sweeper finds nobody dead
                    seen["swept"] = (swept.runtimes, swept.lost)
                await asyncio.wait_for(stopping, 10)
                seen["lease_after"] = bool(await s.redis.exists(lease))
                seen["lost_entries"] = await s.redis.llen(keys.lost_calls)
        return seen

    seen = run(scenario(), timeout=90)
    assert not seen["stopped_while_writing"] and seen["lease_while_writing"] and seen["live_while_writing"], seen
    assert seen["swept"] == ((), 0) and not seen["lease_after"] and seen["lost_entries"] == 0, seen
    (attempt,) = _attempts(db, tenant, campaign)
    assert reasons.decode(attempt.reason).get("code") == "reason.runtime_stopped", attempt.reason
