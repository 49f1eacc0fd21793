"""Recording and a supervisor's live tools on the real switch (issue 15 items 1 and 3): what the simulator
accepts, FreeSWITCH must do too. A call recorded by the queue's policy leaves a stereo WAV whose length the call
record holds (RECORD_STEREO, RECORD_BRIDGE_REQ, record_session / stop_record_session, RECORD_STOP's record_ms);
a supervisor's leg joins an agent's call with the very originate the web page sends (`&eavesdrop(uuid)` with
eavesdrop_enable_dtmf), switches mode with the DTMF the page sends, and leaves with `*` while the call goes on.
Same set-up and skip rules as test_real_switch.py; docs/runtime.md records the runs."""

from __future__ import annotations

import asyncio
import uuid
import wave
from pathlib import Path

import pytest
import redis

from hotline.platform.db import Database
from hotline.platform.models import RecordingPolicy
from hotline.platform.services import live_listen
from hotline.platform.switch_commands import api, bgapi
from hotline.runtime.esl.switch_profile import SwitchProfile

from ...conftest import REDIS_URL
from ..acd.test_queues_e2e import _events, _tenant
from ..e2e_helpers import run
from .test_real_switch import HOST, PASSWORD, PORT, PROFILE, _record_of, call, real_stack

pytestmark = [pytest.mark.realfs, pytest.mark.redis, pytest.mark.slow]


async def _until(predicate, what: str, timeout: float = 60):
    for _ in range(int(timeout * 10)):
        found = await predicate()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"never {what}")


async def _on_call(runtime, agent: str):
    found = await runtime.acd.presence.get(agent)
    return found if found is not None and found.state == "on_call" else None


async def _agent_answers(runtime, client, tenant_id: int, did: str, caller: str) -> str:
    """Agent 1001 signed in, a caller who presses 0 for an agent; returns the caller's leg once 1001 is on the call."""
    await runtime.acd.presence.login("1001", {str(tenant_id): {"express_general": 1}})
    leg = await call(client, did, caller)
    await asyncio.sleep(2.0)
    await client.api(f"uuid_send_dtmf {leg} 0")
    await _until(lambda: _on_call(runtime, "1001"), "on a call")
    return leg


def _channel_application(leg: str) -> str:
    """The application the switch runs on a channel now (`show channels` has one row per channel)."""
    [listing] = api(HOST, int(PORT), PASSWORD, ["show channels as delim |"])
    rows = [line.split("|") for line in listing.splitlines() if line.strip()]
    header = rows[0]
    for row in rows[1:]:
        if row and row[0] == leg:
            return row[header.index("application")]
    return ""


def test_a_recorded_call_on_the_real_switch_leaves_a_stereo_wav_of_the_conversation(db: Database,
                                                                                     tmp_path: Path) -> None:
    tenant_id, did = _tenant(db, timeout_seconds=60)
    with db.tenant(tenant_id) as session:
        session.add(RecordingPolicy(queue="", mode="all", percent=100))
    root = tmp_path / "recordings"
    root.mkdir()
    root.chmod(0o777)  # the switch may run as its own user
    profile = SwitchProfile(agent_dial_string=PROFILE.agent_dial_string, recordings=str(root))

    async def scenario():
        async with real_stack(db, profile=profile) as (runtime, client):
            leg = await _agent_answers(runtime, client, tenant_id, did, "13700000151")
            await asyncio.sleep(5.0)  # the conversation: longer than RECORD_MIN_SEC (3 s)
            await client.api(f"uuid_kill {leg}")
            record = await _record_of(db, tenant_id, did)
            for _ in range(50):  # the record is written at hangup; RECORD_STOP may come just after
                if record.recording_seconds is not None:
                    break
                await asyncio.sleep(0.1)
                record = await _record_of(db, tenant_id, did)
            return record

    cdr = run(scenario(), timeout=90)
    assert [(q["status"], q["agent"]) for q in _events(cdr) if q["type"] == "queue"] == [("answered", "1001")]
    assert cdr.recording and cdr.recording.endswith(".wav"), cdr.recording
    path = root / cdr.recording
    assert path.is_file(), sorted(str(p) for p in root.rglob("*"))
    with wave.open(str(path)) as wav:
        channels, rate, width, frames = wav.getnchannels(), wav.getframerate(), wav.getsampwidth(), wav.getnframes()
    assert (channels, width) == (2, 2)  # stereo, 16-bit: caller left, agent right
    seconds = frames / rate
    assert 4.0 <= seconds <= 7.5, seconds  # the bridged time only, not the IVR or the ringing
    assert cdr.recording_seconds is not None and abs(cdr.recording_seconds - seconds) < 0.5, (
        cdr.recording_seconds, seconds)


def test_a_supervisor_joins_switches_mode_and_leaves_an_agents_call_on_the_real_switch(db: Database) -> None:
    tenant_id, did = _tenant(db, timeout_seconds=60)
    supervisor = str(uuid.uuid4())
    prefix = f"realfs{uuid.uuid4().hex[:6]}:acd"

    async def scenario():
        async with real_stack(db, prefix=prefix) as (runtime, client):
            leg = await _agent_answers(runtime, client, tenant_id, did, "13700000152")
            # the call the web page finds for the agent (the runtime's channel, bridged to the agent)
            target = live_listen.current_call(redis.Redis.from_url(REDIS_URL), prefix, tenant_id, "1001")
            assert target is not None
            command = live_listen.originate(PROFILE.agent_dial_string, "1009", target, "listen", "张主管",
                                            supervisor)
            job = await asyncio.to_thread(bgapi, HOST, int(PORT), PASSWORD, f"originate {command}")

            async def eavesdropping():
                return await asyncio.to_thread(_channel_application, supervisor) == "eavesdrop"

            await _until(eavesdropping, "eavesdropping", timeout=15)
            replies = []
            for mode in ("whisper", "barge", "listen"):
                replies += await asyncio.to_thread(api, HOST, int(PORT), PASSWORD,
                                                   live_listen.switch_commands(supervisor, mode))
                await asyncio.sleep(0.5)
                assert await eavesdropping(), mode  # a mode change keeps the one session
            await asyncio.to_thread(api, HOST, int(PORT), PASSWORD, [f"uuid_recv_dtmf {supervisor} *"])

            async def left():
                return await asyncio.to_thread(_channel_application, supervisor) != "eavesdrop"

            await _until(left, "left the eavesdrop", timeout=15)
            caller_up = (await client.api(f"uuid_exists {target}")).strip()
            still = await _on_call(runtime, "1001")
            await client.api(f"uuid_kill {supervisor}")
            await client.api(f"uuid_kill {leg}")
            return job, replies, caller_up, still, await _record_of(db, tenant_id, did)

    job, replies, caller_up, still, cdr = run(scenario(), timeout=90)
    assert job and all(reply.startswith("+OK") for reply in replies), replies
    assert caller_up == "true" and still is not None  # leaving the eavesdrop left the call as it was
    assert [(q["status"], q["agent"]) for q in _events(cdr) if q["type"] == "queue"] == [("answered", "1001")]
