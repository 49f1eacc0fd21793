"""A runtime killed while carrying campaign calls (SIGKILL: it writes nothing): the lease sweep of the next runtime or
the worker closes their attempts as it writes the records of lost inbound calls (platform/lost_calls.py, cause
`runtime_lost`) — the agent who was talking keeps the answered call and the talk to the last sign of life, a call
no agent had yet is an abandon (72 hours of quiet) — and writes no inbound call record for them. Real Redis and
database, the sweep's own code (lease_sweep_job.sweep_once)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import redis.asyncio as aioredis
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, CampaignEntry, DialAttempt
from hotline.platform.outbound import dialing, reasons
from hotline.runtime.acd import Acd
from hotline.runtime.acd.lease_sweep_job import sweep_once

from ..conftest import REDIS_URL
from .acd_helpers import delete_prefix, new_prefix
from .e2e_helpers import OPEN
from .test_dialer_e2e import _campaign, _numbers, tenant  # noqa: F401

pytestmark = [pytest.mark.redis]


def test_the_lease_sweep_closes_the_attempts_of_a_killed_runtimes_campaign_calls(
        db: Database, tenant: int) -> None:  # noqa: F811
    talking, waiting = _numbers(2)
    campaign = _campaign(db, tenant, [talking, waiting])
    with db.tenant(tenant) as session:
        orders = dialing.claim(session, campaign, "dialer-0", OPEN, 2).orders
        for order in orders:
            dialing.record_answer(session, order.attempt_id, OPEN + timedelta(seconds=5))
            dialing.record_arrival(session, order.attempt_id, OPEN + timedelta(seconds=6))
    by_phone = {order.phone_e164: order for order in orders}
    assert sorted(by_phone) == sorted([talking, waiting])
    prefix = new_prefix()

    async def crash_and_sweep() -> tuple[int, int]:
        client = aioredis.Redis.from_url(REDIS_URL)
        dead = Acd(client, prefix=prefix, runtime_id="dead", runtime_lease_seconds=60)
        try:
            await dead.lease.renew()
            for phone, order in by_phone.items():  # as runtime/dialer/answered.py keeps them
                await dead.live_calls.start(order.call_uuid, {"tenant_id": tenant, "attempt_id": order.attempt_id,
                                                              "campaign_id": campaign,
                                                              "started_at": OPEN + timedelta(seconds=6)})
                if phone == talking:
                    await dead.live_calls.update(order.call_uuid, agent="1001",
                                                 answered_at=OPEN + timedelta(seconds=7))
            await client.delete(dead.keys.runtime("dead"))  # SIGKILL: the lease runs out, nobody renews it
            first = await sweep_once(client, db, prefix)
            second = await sweep_once(client, db, prefix)
            return first.lost, second.lost
        finally:
            await delete_prefix(client, prefix)
            await client.aclose()

    first, second = asyncio.run(crash_and_sweep())
    assert (first, second) == (2, 0), (first, second)
    with db.tenant(tenant) as session:
        talked = session.get(DialAttempt, by_phone[talking].attempt_id)
        dropped = session.get(DialAttempt, by_phone[waiting].attempt_id)
        entries = {e.phone_e164: e for e in session.scalars(select(CampaignEntry)
                                                             .where(CampaignEntry.campaign_id == campaign))}
        uuids = [o.call_uuid for o in orders]
        assert session.scalars(select(CallRecord.id).where(CallRecord.uuid.in_(uuids))).all() == []
    assert (talked.outcome, talked.agent, talked.abandoned) == ("answered", "1001", False)
    assert talked.ended_at is not None and talked.ended_at > talked.answered_at  # the talk to the last renewal
    assert reasons.decode(talked.reason).get("code") == "reason.runtime_lost"
    assert entries[talking].state == "done"
    assert (dropped.outcome, dropped.abandoned) == ("abandoned", True)
    assert reasons.decode(dropped.reason).get("code") == "reason.runtime_lost_no_agent"
    assert entries[waiting].state == "pending"
    assert entries[waiting].next_attempt_at >= dropped.ended_at + timedelta(hours=72)
