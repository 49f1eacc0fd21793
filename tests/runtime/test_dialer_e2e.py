"""The live dialer against the ESL simulator over TCP, with the real runtime, Redis and database: progressive
calls reach agents, failures are retried per the policy, a DNC number is never dialled, the 2-second rule plays
the message and counts an abandon, agentless calls store the keys pressed, and two dialers never dial one contact
twice."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, DialAttempt
from hotline.platform.outbound import dialing, dnc
from hotline.runtime.acd.presence import AgentPresence
from hotline.runtime.call import services as call_services
from hotline.runtime.dialer import Dialer
from hotline.runtime.dialer import answered as answered_calls
from hotline.runtime.dialer.answered import ABANDON_MESSAGE
from hotline.runtime.esl.inbound_link import InboundLink
from hotline.runtime.simswitch import AgentBehavior, CalleeProfile

from .e2e_helpers import OPEN, Stack, clone, require_redis, run, stack, wait_until

pytestmark = [pytest.mark.redis]
WINDOWS = {"timezone": "Asia/Shanghai", "windows": [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "08:00", "end": "21:00"}]}


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    require_redis()
    return clone(db, "express_delivery", f"dx{uuid.uuid4().hex[:8]}", [])


def _campaign(db: Database, tenant: int, phones: list[str], *, script: str = "return_visit",
              mode: str = "progressive", **values: object) -> int:
    with db.tenant(tenant) as session:
        contact_list = ContactList(name=f"l{uuid.uuid4().hex[:8]}", created_by="op")
        session.add(contact_list)
        session.flush()
        campaign = Campaign(name=f"c{uuid.uuid4().hex[:8]}", script=script, script_version=1, mode=mode,
                            status="running",
                            contact_list_id=contact_list.id, windows=WINDOWS, queue="outbound", min_gap_minutes=0,
                            retry_policy={"busy": {"delay_minutes": 30, "max": 2},
                                          "machine": {"delay_minutes": 240, "max": 1}}, **values)
        session.add(campaign)
        session.flush()
        for phone in phones:
            contact = Contact(list_id=contact_list.id, phone_e164=phone, name="李四", fields={"ticket_number": "T1"})
            session.add(contact)
            session.flush()
            session.add(CampaignEntry(campaign_id=campaign.id, contact_id=contact.id, phone_e164=phone))
        return campaign.id


def _attempts(db: Database, tenant: int, campaign: int) -> list[DialAttempt]:
    with db.tenant(tenant) as session:
        return list(session.scalars(select(DialAttempt).where(DialAttempt.campaign_id == campaign)
                                    .order_by(DialAttempt.id)))


def _entries(db: Database, tenant: int, campaign: int) -> dict[str, CampaignEntry]:
    with db.tenant(tenant) as session:
        return {e.phone_e164: e for e in session.scalars(select(CampaignEntry)
                                                          .where(CampaignEntry.campaign_id == campaign))}


@contextlib.asynccontextmanager
async def dialers(db: Database, s: Stack, count: int = 1) -> AsyncIterator[list[Dialer]]:
    started = time.monotonic()
    links = [InboundLink("127.0.0.1", s.switch.esl_port, "ClueCon") for _ in range(count)]
    def clock() -> datetime:  # Monday 10:00 in Beijing, running
        return OPEN + timedelta(seconds=time.monotonic() - started)

    made = [Dialer(db, s.runtime.redis, link, socket_address=("127.0.0.1", s.runtime.port),
                   acd_prefix=s.prefix, owner=f"dialer-{i}", clock=clock,
                   tick_seconds=0.05) for i, link in enumerate(links)]
    s.runtime.handler.campaign_calls.clock = clock
    tasks = [asyncio.create_task(link.run()) for link in links] + [asyncio.create_task(d.run()) for d in made]
    try:
        yield made
    finally:
        for dialer in made:
            await dialer.stop(grace_seconds=5)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


def _numbers(n: int) -> list[str]:
    base = uuid.uuid4().int % 10_000_000
    return [f"+86137{(base + i) % 100_000_000:08d}" for i in range(n)]


async def _held(s: Stack) -> AgentPresence | None:
    presence = await s.runtime.acd.presence.get("1001")
    return presence if presence is not None and presence.state == "wrap_up" else None


def test_progressive_calls_reach_agents_and_failures_follow_the_policy(db: Database, tenant: int,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 0)  # the desk's disposition would end it
    monkeypatch.setattr(answered_calls, "HOLD_WRAP_UP", False)  # no desk here: agents take the next call at once
    answer, busy, invalid, machine, listed = _numbers(5)
    people = _numbers(3)
    with db.tenant(tenant) as session:
        dnc.add(session, listed, "import", "op")
    campaign = _campaign(db, tenant, [answer, busy, invalid, machine, listed, *people])
    outcomes = {answer: "answer", busy: "busy", invalid: "invalid", machine: "machine", listed: "answer",
                **{p: "answer" for p in people}}
    # at time_scale 0.05 the 30 s ring timeout is 1.5 s of wall time and a person talks 5 s: room for a loaded
    # machine's pauses, so an answer is never cut as no answer nor a call ended before the agent's pickup
    callees = CalleeProfile(overrides=outcomes, ring_ms=(500, 2000), talk_ms=(100_000, 100_000))

    async def scenario() -> None:
        async with stack(db, agents={"1001": AgentBehavior(answer_after_ms=100), "1002": AgentBehavior(
                answer_after_ms=100)}, callees=callees, time_scale=0.05, extra_modules=("mod_amd",)) as s:
            for agent in ("1001", "1002"):
                await s.login(agent, tenant)
            async with dialers(db, s):
                def settled() -> bool:
                    attempts = _attempts(db, tenant, campaign)
                    return len(attempts) >= 8 and all(a.outcome != "dialing" and (
                        a.answered_at is None or a.ended_at is not None) for a in attempts)

                try:
                    await wait_until(lambda: asyncio.to_thread(settled), timeout=90, interval=0.1, what="every call")
                except AssertionError:
                    raise AssertionError([(a.phone_e164, a.outcome, a.answered_at, a.ended_at)
                                          for a in _attempts(db, tenant, campaign)]) from None
            dialled = dict(s.switch.switch.callee_dials)
        assert listed not in dialled  # never dialled, not even once
        by_phone: dict[str, list[DialAttempt]] = {}
        for attempt in _attempts(db, tenant, campaign):
            by_phone.setdefault(attempt.phone_e164, []).append(attempt)
        for phone, count in dialled.items():
            assert count == len([a for a in by_phone[phone] if a.outcome != "skipped"]), phone
        for phone in (answer, *people):
            (attempt,) = by_phone[phone]
            assert attempt.outcome == "answered" and attempt.agent in ("1001", "1002") and not attempt.abandoned
        entries = _entries(db, tenant, campaign)
        assert by_phone[busy][0].outcome == "busy" and entries[busy].state == "pending"
        assert entries[busy].next_attempt_at - by_phone[busy][0].ended_at == timedelta(minutes=30)
        assert (by_phone[invalid][0].outcome, entries[invalid].state) == ("invalid", "failed")
        assert by_phone[machine][0].outcome == "machine" and entries[machine].state == "pending"
        assert (entries[listed].state, by_phone[listed][0].outcome) == ("skipped", "skipped")
        assert "tenant" in entries[listed].closed_reason

    run(scenario(), timeout=150)


def test_without_mod_amd_an_answered_call_reaches_an_agent_and_no_amd_is_run(db: Database, tenant: int,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch built from docs/freeswitch has no mod_amd; `amd` there is an unknown application, which hangs
    the call up (DESTINATION_OUT_OF_ORDER): the dialer asks the switch first and skips detection."""
    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 0)
    (phone,) = _numbers(1)
    campaign = _campaign(db, tenant, [phone])
    callees = CalleeProfile(overrides={phone: "answer"}, ring_ms=(200, 200), talk_ms=(100_000, 100_000))

    async def scenario() -> tuple[DialAttempt, list[str], AgentPresence]:
        async with stack(db, agents={"1001": AgentBehavior(answer_after_ms=100)}, callees=callees,
                         time_scale=0.05) as s:
            await s.login("1001", tenant)
            async with dialers(db, s):
                def answered() -> DialAttempt | None:
                    found = _attempts(db, tenant, campaign)
                    return found[0] if found and found[0].agent else None

                try:
                    attempt = await wait_until(lambda: asyncio.to_thread(answered), timeout=30, interval=0.1,
                                               what="the agent")
                except AssertionError:
                    raise AssertionError([(a.outcome, a.agent, a.ended_at)
                                          for a in _attempts(db, tenant, campaign)]) from None

                def ended() -> DialAttempt | None:
                    found = _attempts(db, tenant, campaign)
                    return found[0] if found and found[0].ended_at else None

                await wait_until(lambda: asyncio.to_thread(ended), timeout=30, interval=0.1, what="the call's end")
                # the wrap-up waits for the desk's disposition: open, though the queue's wrap-up is 0 s, so the
                # ACD offers the agent no inbound call meanwhile (issue 13, task 13d #4)
                presence = await wait_until(lambda: _held(s), timeout=10, interval=0.1, what="the held wrap-up")
            apps = [app for record in s.switch.switch.records.values() for app, _arg in record.applications]
        return attempt, apps, presence

    attempt, apps, presence = run(scenario(), timeout=60)
    assert (attempt.outcome, attempt.agent) == ("answered", "1001")
    assert "amd" not in apps
    assert (presence.state, presence.wrap_until) == ("wrap_up", None)


def test_no_agent_within_two_seconds_plays_the_message_and_counts_an_abandon(db: Database, tenant: int) -> None:
    (phone,) = _numbers(1)
    campaign = _campaign(db, tenant, [phone])

    async def scenario() -> None:
        callees = CalleeProfile(overrides={phone: "answer"}, ring_ms=(200, 200), talk_ms=(200_000, 200_000))
        async with stack(db, callees=callees, time_scale=0.05) as s, dialers(db, s) as (dialer,):
            dialer.stopping = True  # no pacing: this test places the one call by hand (nobody is logged in)
            with db.tenant(tenant) as session:
                (order,) = dialing.claim(session, campaign, "by-hand", OPEN, 1).orders
            await dialer.place(order)
            await dialer.flush()

            def ended() -> DialAttempt | None:
                (attempt,) = _attempts(db, tenant, campaign)
                return attempt if attempt.ended_at is not None else None

            attempt = await wait_until(lambda: asyncio.to_thread(ended), timeout=20, interval=0.1, what="abandon")
            record = s.switch.switch.records[order.call_uuid]
        assert (attempt.outcome, attempt.abandoned, attempt.agent) == ("abandoned", True, None)
        assert ABANDON_MESSAGE.text in " ".join(record.prompts)
        entry = _entries(db, tenant, campaign)[phone]
        assert entry.state == "pending" and entry.next_attempt_at >= attempt.ended_at + timedelta(hours=72)

    run(scenario(), timeout=60)


def test_two_dialers_never_dial_one_contact_twice_and_agentless_keys_are_stored(db: Database, tenant: int) -> None:
    phones = _numbers(24)
    campaign = _campaign(db, tenant, phones, script="satisfaction_survey", mode="agentless", max_lines=8)
    callees = CalleeProfile(overrides={p: "answer" for p in phones}, ring_ms=(100, 1500),
                            talk_ms=(600_000, 600_000), presses=("5", "1"))

    async def scenario() -> None:
        async with stack(db, callees=callees, time_scale=0.05) as s, dialers(db, s, count=2) as both:
            def done() -> bool:
                attempts = _attempts(db, tenant, campaign)
                return len(attempts) >= len(phones) and all(a.ended_at is not None for a in attempts)

            await wait_until(lambda: asyncio.to_thread(done), timeout=120, interval=0.2, what="every survey")
            if db.engine.dialect.name == "postgresql":  # SQLite serialises writers: one dialer may claim them all
                assert all(d.placed > 0 for d in both), [d.placed for d in both]  # both took part

            def finished() -> bool:  # every entry settled, no line in use: the dialer finishes the campaign
                with db.tenant(tenant) as session:
                    return session.get(Campaign, campaign).status == "finished"

            await wait_until(lambda: asyncio.to_thread(finished), timeout=30, interval=0.2, what="finished")
            dialled = dict(s.switch.switch.callee_dials)
        assert dialled == {p: 1 for p in phones}
        attempts = _attempts(db, tenant, campaign)
        assert len(attempts) == len(phones)
        for attempt in attempts:
            assert attempt.answers == {"overall": "5", "punctual": "yes"}, (attempt.answers, attempt.outcome)
            assert attempt.disposition == "completed"
        assert {e.state for e in _entries(db, tenant, campaign).values()} == {"done"}

    run(scenario(), timeout=180)


def test_a_preview_call_the_desk_asks_for_reaches_the_agent_who_chose_it(db: Database, tenant: int,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13, item 1: 拨打 on the desk queues the order in Redis; the dialer places it and the answered call goes
    to that agent, though another agent has been idle longer."""
    import redis as sync_redis

    from hotline.platform.outbound import preview
    from hotline.runtime.dialer import preview_orders

    from ..conftest import REDIS_URL

    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 0)
    monkeypatch.setattr(answered_calls, "HOLD_WRAP_UP", False)
    (phone,) = _numbers(1)
    campaign = _campaign(db, tenant, [phone], mode="preview")
    callees = CalleeProfile(overrides={phone: "answer"}, ring_ms=(200, 400), talk_ms=(100_000, 100_000))

    async def scenario() -> None:
        async with stack(db, agents={"1001": AgentBehavior(answer_after_ms=100), "1002": AgentBehavior(
                answer_after_ms=100)}, callees=callees, time_scale=0.05, extra_modules=("mod_amd",)) as s:
            for agent in ("1001", "1002"):  # 1001 is the longest idle
                await s.login(agent, tenant)
            with db.tenant(tenant) as session:
                offer = preview.offer(session, "1002", set(), OPEN)
                assert offer is not None and offer.campaign_id == campaign
                order = preview.dial(session, offer.attempt_id, "1002", OPEN)
            client = sync_redis.Redis.from_url(REDIS_URL)
            try:
                preview_orders.push(client, f"{s.prefix}:dialer", order)
            finally:
                client.close()
            async with dialers(db, s):
                def ended() -> DialAttempt | None:
                    (attempt,) = _attempts(db, tenant, campaign)
                    return attempt if attempt.agent is not None else None

                attempt = await wait_until(lambda: asyncio.to_thread(ended), timeout=30, interval=0.1,
                                           what="the preview call")
            dialled = dict(s.switch.switch.callee_dials)
        assert dialled == {phone: 1}
        assert (attempt.outcome, attempt.agent, attempt.abandoned) == ("answered", "1002", False)

    run(scenario(), timeout=60)
