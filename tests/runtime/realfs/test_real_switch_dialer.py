"""The outbound dialer on the real switch (issue 13 item 6): the campaign's `bgapi originate` with its channel
variables and `&socket(... async full)` is accepted, the answered call comes back to the runtime, which bridges it
to a free agent, and the attempt is recorded answered by that agent. Callees are the `callees` context's loopback
extensions of docs/freeswitch/conf (every number answers and stays on the line). The documented build has no
mod_amd, so this also checks that the dialer does not ask for `amd` there (it would end the call at answer).
Same set-up and skip rules as test_real_switch.py; docs/runtime.md records the runs."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import timedelta

import pytest

from hotline.platform.db import Database
from hotline.runtime.call import services as call_services
from hotline.runtime.dialer import Dialer
from hotline.runtime.dialer import answered as answered_calls
from hotline.runtime.esl.inbound_link import InboundLink
from hotline.runtime.esl.switch_profile import SwitchProfile

from ..e2e_helpers import OPEN, clone, run
from ..test_dialer_e2e import _attempts, _campaign
from .test_real_switch import HOST, PASSWORD, PORT, PROFILE, SOCKET_PORT, real_stack

pytestmark = [pytest.mark.realfs, pytest.mark.redis, pytest.mark.slow]
CALLEES = SwitchProfile(agent_dial_string=PROFILE.agent_dial_string, transfer_dial_string="loopback/{number}/callees")


def test_a_progressive_campaign_call_is_placed_answered_and_bridged_to_an_agent_on_the_real_switch(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(call_services, "WRAP_UP_SECONDS", 0)
    monkeypatch.setattr(answered_calls, "HOLD_WRAP_UP", False)  # no desk here to record the disposition
    tenant = clone(db, "express_delivery", f"rfd{uuid.uuid4().hex[:8]}", [])
    phone = f"+86137{uuid.uuid4().int % 10**8:08d}"
    campaign = _campaign(db, tenant, [phone])
    prefix = f"realfs{uuid.uuid4().hex[:6]}:acd"

    async def scenario():
        async with real_stack(db, profile=CALLEES, prefix=prefix) as (runtime, client):
            started = time.monotonic()

            def clock():
                return OPEN + timedelta(seconds=time.monotonic() - started)

            runtime.handler.campaign_calls.clock = clock
            await runtime.acd.presence.login("1001", {str(tenant): {}})
            link = InboundLink(HOST, int(PORT), PASSWORD)
            dialer = Dialer(db, runtime.redis, link, switch=CALLEES, socket_address=("127.0.0.1", SOCKET_PORT),
                            acd_prefix=prefix, owner="realfs-dialer", clock=clock, tick_seconds=0.1)
            tasks = [asyncio.create_task(link.run()), asyncio.create_task(dialer.run())]
            try:
                for _ in range(300):
                    found = await asyncio.to_thread(_attempts, db, tenant, campaign)
                    if found and found[0].agent:
                        break
                    await asyncio.sleep(0.1)
                await asyncio.sleep(2.0)  # a short conversation
                detects = await dialer.detects_machines()
                with contextlib.suppress(Exception):
                    await client.api(f"uuid_kill {found[0].call_uuid}" if found else "status")
                for _ in range(100):
                    found = await asyncio.to_thread(_attempts, db, tenant, campaign)
                    if found and found[0].ended_at is not None:
                        break
                    await asyncio.sleep(0.1)
            finally:
                await dialer.stop(grace_seconds=5)
                for task in tasks:
                    task.cancel()
                    with contextlib.suppress(BaseException):
                        await task
            return found, detects

    attempts, detects = run(scenario(), timeout=90)
    assert detects is False  # the documented build has no mod_amd
    assert [(a.phone_e164, a.outcome, a.agent) for a in attempts] == [(phone, "answered", "1001")], [
        (a.outcome, a.agent, a.abandoned, a.answered_at, a.ended_at) for a in attempts]
    assert attempts[0].ended_at is not None
