"""The runtime against a real FreeSWITCH built and configured from docs/freeswitch (issue 12 item 9).

Runs only where such a switch is up: event socket on 127.0.0.1:8021 (HOTLINE_REALFS_ESL=host:port:password
to point elsewhere), its dialplan handing DIDs to 127.0.0.1:8084 and the `agents` loopback context of
docs/freeswitch/conf. CI has no switch: every test here is skipped there, with the reason. Calls are
placed as FreeSWITCH loopback calls (the A leg is the caller; DTMF sent on it reaches the runtime's leg).
docs/runtime.md records which of these ran, when, and with what result.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.platform.prompt_tts import CommandTts
from hotline.runtime.esl.inbound import InboundClient
from hotline.runtime.esl.switch_profile import SwitchProfile
from hotline.runtime.server import Runtime

from ...conftest import REDIS_URL
from ..acd.test_queues_e2e import _events, _tenant
from ..e2e_helpers import OPEN, require_redis, run

pytestmark = [pytest.mark.realfs, pytest.mark.redis, pytest.mark.slow]
HOST, PORT, PASSWORD = (os.environ.get("HOTLINE_REALFS_ESL") or "127.0.0.1:8021:ClueCon").split(":", 2)
SOCKET_PORT = 8084  # the dialplan's $${hotline_runtime}
PROMPTS = Path(os.environ.get("HOTLINE_REALFS_PROMPTS") or "/var/lib/hotline/prompts")
PROFILE = SwitchProfile(agent_dial_string="loopback/agent{extension}/agents")


def _reachable(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


@pytest.fixture(autouse=True)
def real_switch() -> None:
    if not _reachable(HOST, int(PORT)):
        pytest.skip(f"no FreeSWITCH event socket at {HOST}:{PORT} (build one with docs/freeswitch; CI has none)")
    if _reachable("127.0.0.1", SOCKET_PORT):
        pytest.skip(f"127.0.0.1:{SOCKET_PORT} is taken: the switch's calls would reach another runtime")
    require_redis()


@contextlib.asynccontextmanager
async def real_stack(db: Database, *, rendered: bool = False,
                     profile: SwitchProfile = PROFILE,
                     prefix: str | None = None) -> AsyncIterator[tuple[Runtime, InboundClient]]:
    """The runtime on the dialplan's socket; `rendered`: text prompts rendered to files (espeak-ng) in the
    folder the switch reads (HOTLINE_REALFS_PROMPTS, else /var/lib/hotline/prompts)."""
    prefix = prefix or f"realfs{uuid.uuid4().hex[:6]}:acd"
    tts = {"tts": CommandTts(), "prompt_root": PROMPTS} if rendered else {}
    runtime = Runtime(db, aioredis.Redis.from_url(REDIS_URL), port=SOCKET_PORT, acd_prefix=prefix,
                      esl=(HOST, int(PORT), PASSWORD), switch=profile, clock=lambda: OPEN, **tts)
    await runtime.start()
    client = await InboundClient.connect(HOST, int(PORT), PASSWORD)
    try:
        yield runtime, client
    finally:
        await client.close()
        await runtime.stop()
        await runtime.redis.aclose()


async def call(client: InboundClient, did: str, caller: str) -> str:
    """Originates a loopback call into the public context; returns the caller leg's uuid."""
    leg = str(uuid.uuid4())
    reply = await client.api(f"originate {{origination_uuid={leg},origination_caller_id_number={caller}}}"
                             f"loopback/{did}/public &park()")
    assert reply.startswith("+OK"), reply
    return leg


@pytest.mark.parametrize("rendered", [False, True], ids=["live-tts", "rendered-files"])
def test_a_call_hears_its_prompts_and_reaches_a_loopback_agent_on_the_real_switch(db: Database,
                                                                                   rendered: bool) -> None:
    tenant_id, did = _tenant(db)

    async def scenario():
        async with real_stack(db, rendered=rendered) as (runtime, client):
            await runtime.acd.presence.login("1001", {str(tenant_id): {"express_general": 1}})
            leg = await call(client, did, "13700000050")
            await asyncio.sleep(2.0)
            await client.api(f"uuid_send_dtmf {leg} 0")  # during the welcome: typed ahead for the menu
            for _ in range(300):  # the agent is on the call once the prompts before the menu have played
                if (await runtime.acd.presence.get("1001")).state == "on_call":
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)
            await client.api(f"uuid_kill {leg}")
            return await _record_of(db, tenant_id, did)

    cdr = run(scenario(), timeout=60)
    assert not cdr.trace.get("errors"), cdr.trace
    assert any(step.get("prompts") for step in cdr.trace["steps"])
    assert [(q["status"], q["agent"]) for q in _events(cdr) if q["type"] == "queue"] == [("answered", "1001")]


def test_a_burst_of_keys_during_the_welcome_reaches_the_menu_and_the_collect_after_it(db: Database) -> None:
    """QA 12.4 on the real switch: the caller keys the tracking option and a waybill in one go during the welcome
    (loopback sends them one after the other); the menu gets 1 and the waybill collect every digit."""
    tenant_id, did = _tenant(db)

    async def scenario():
        async with real_stack(db) as (_runtime, client):
            leg = await call(client, did, "13700000052")
            await asyncio.sleep(2.0)
            await client.api(f"uuid_send_dtmf {leg} 1773001234560#")
            await asyncio.sleep(12.0)  # the keys, the lookup, its answer read out
            await client.api(f"uuid_kill {leg}")
            return await _record_of(db, tenant_id, did)

    cdr = run(scenario(), timeout=60)
    entered = {step["node"]: step.get("digits") for step in cdr.trace["steps"] if "digits" in step}
    assert entered.get("main_menu") == ["1"], cdr.trace["steps"]
    assert entered.get("track_collect") == ["773001234560"], cdr.trace["steps"]


def test_a_prompt_the_real_switch_cannot_play_fails_the_call_as_an_error(db: Database) -> None:
    tenant_id, did = _tenant(db)

    async def scenario():
        async with real_stack(db) as (_runtime, client):
            await client.api("unload mod_tts_commandline")
            try:
                await call(client, did, "13700000051")
                return await _record_of(db, tenant_id, did)
            finally:
                await client.api("load mod_tts_commandline")

    cdr = run(scenario(), timeout=60)
    assert cdr.outcome == "error"
    assert "PLAYBACK ERROR" in " ".join(error["reason"] for error in cdr.trace["errors"])


async def _record_of(db: Database, tenant_id: int, did: str):
    """The tenant's one call record (each test has its own tenant and DID)."""
    from sqlalchemy import select

    from hotline.platform.models import CallRecord

    def find():
        with db.tenant(tenant_id) as session:
            return session.scalar(select(CallRecord).where(CallRecord.did == did))

    for _ in range(300):
        record = await asyncio.to_thread(find)
        if record is not None:
            return record
        await asyncio.sleep(0.1)
    raise AssertionError(f"no call record for {did}")
