"""The runtime's failures on the real switch (issue 12 item 9): a runtime process killed while its agent talks
(the agent is freed by the lease, the switch carries the caller to the dialplan's fallback) and a switch
restart (the runtime's inbound link comes back and the next call is served). Same set-up and skip rules as
test_real_switch.py; docs/runtime.md records the runs."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.platform.lost_calls import write_lost_calls
from hotline.runtime.acd import Acd
from hotline.runtime.esl.inbound import InboundClient

from ...conftest import REDIS_URL
from ..acd.test_queues_e2e import _tenant
from ..e2e_helpers import run
from .test_real_switch import HOST, PASSWORD, PORT, SOCKET_PORT, _record_of, call, real_stack

pytestmark = [pytest.mark.realfs, pytest.mark.redis, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[3]
FREESWITCH = Path(os.environ.get("HOTLINE_REALFS_BIN") or "/opt/freeswitch/bin/freeswitch")
PID_FILE = FREESWITCH.parent.parent / "var" / "run" / "freeswitch" / "freeswitch.pid"
LEASE = 2.0


async def _state(acd: Acd, agent: str) -> str | None:
    found = await acd.presence.get(agent)
    return None if found is None else found.state


async def _until(predicate, timeout: float, what: str):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_a_runtime_killed_mid_call_frees_its_agent_and_the_switch_keeps_the_caller(db: Database) -> None:
    if not db.url.startswith("postgresql"):
        pytest.skip("the runtime process reaches the database by URL: PostgreSQL only")
    tenant_id, did = _tenant(db)
    prefix = f"realfs{uuid.uuid4().hex[:6]}:acd"
    process = subprocess.Popen([sys.executable, "-m", "tests.runtime.acd.runtime_process", db.url, prefix, str(LEASE),
                                str(SOCKET_PORT), "loopback/agent{extension}/agents"],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().startswith("port ")

    async def scenario():
        client = aioredis.Redis.from_url(REDIS_URL)
        watcher = Acd(client, prefix=prefix, runtime_id="realfs-watcher", runtime_lease_seconds=LEASE)
        assert watcher.lease is not None  # the survivor writes the dead runtime's call record (QA 12.1)
        watcher.lease.record_lost = lambda entries: asyncio.to_thread(write_lost_calls, db, entries)
        esl = await InboundClient.connect(HOST, int(PORT), PASSWORD)
        try:
            await watcher.presence.login("1001", {str(tenant_id): {"express_general": 1}})
            leg = await call(esl, did, "13700000071")
            await asyncio.sleep(2.0)
            await esl.api(f"uuid_send_dtmf {leg} 0")
            await _until(lambda: _on_call(watcher), 30, "agent 1001 on the call")
            os.kill(process.pid, signal.SIGKILL)
            await asyncio.to_thread(process.wait, 5)
            loop = asyncio.get_running_loop()
            killed = loop.time()
            await watcher.start()
            await _until(lambda: _available(watcher), 10 * LEASE, "agent 1001 available again")
            freed_after = loop.time() - killed
            caller_up = (await esl.api(f"uuid_exists {leg}")).strip()
            await esl.api(f"uuid_kill {leg}")
            lost = await _record_of(db, tenant_id, did)
            return freed_after, caller_up, lost
        finally:
            await esl.close()
            await watcher.close()
            keys = [k async for k in client.scan_iter(f"{prefix}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()

    try:
        freed_after, caller_up, lost = run(scenario(), timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
    assert freed_after < 4 * LEASE, f"agent freed {freed_after:.1f} s after the kill (lease {LEASE} s)"
    assert (lost.outcome, lost.hangup_cause, lost.caller, lost.queue) == ("runtime_lost", "runtime_lost",
                                                                          "13700000071", "general")
    assert lost.answered_at is not None and lost.ended_at is not None
    print(f"agent freed {freed_after:.1f} s after the kill; caller leg still up: {caller_up}")


async def _on_call(acd: Acd) -> bool:
    return await _state(acd, "1001") == "on_call"


async def _available(acd: Acd) -> bool:
    return await _state(acd, "1001") == "available"


def test_after_a_switch_restart_the_runtime_reconnects_and_serves_the_next_call(db: Database) -> None:
    if os.environ.get("HOTLINE_REALFS_RESTART") != "1":
        pytest.skip("restarts the local FreeSWITCH: set HOTLINE_REALFS_RESTART=1 to allow it")
    tenant_id, did = _tenant(db)

    async def scenario():
        async with real_stack(db) as (runtime, client):
            await client.close()
            assert runtime.inbound is not None
            await asyncio.wait_for(runtime.inbound.connected.wait(), 10)
            before = runtime.inbound.attempts
            pid = int(PID_FILE.read_text().strip())
            stop = await asyncio.create_subprocess_exec(str(FREESWITCH), "-stop")
            await stop.wait()
            await _until(lambda: _lost(runtime), 30, "the inbound link to notice the switch is gone")
            await _until(lambda: _gone(pid), 60, "the old switch process to exit")  # else the start finds it
            start = await asyncio.create_subprocess_exec(str(FREESWITCH), "-ncwait", "-nonat",
                                                         stdout=asyncio.subprocess.DEVNULL)
            await asyncio.wait_for(start.wait(), 120)
            await asyncio.wait_for(runtime.inbound.connected.wait(), 60)
            reply = await runtime.inbound.api("status")
            esl = await InboundClient.connect(HOST, int(PORT), PASSWORD)
            try:
                await runtime.acd.presence.login("1001", {str(tenant_id): {"express_general": 1}})
                leg = await call(esl, did, "13700000072")
                await asyncio.sleep(2.0)
                await esl.api(f"uuid_send_dtmf {leg} 0")
                await _until(lambda: _on_call(runtime.acd), 30, "agent 1001 on the call after the restart")
                await esl.api(f"uuid_kill {leg}")
                return runtime.inbound.attempts - before, reply, await _record_of(db, tenant_id, did)
            finally:
                await esl.close()

    attempts, status, cdr = run(scenario(), timeout=240)
    assert attempts >= 1 and "UP" in status
    assert [(q["status"], q["agent"]) for q in cdr.trace["events"] if q["type"] == "queue"] == [("answered", "1001")]


async def _lost(runtime) -> bool:
    return not runtime.inbound.connected.is_set()


async def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_call_cut_by_a_runtime_stop_mid_talk_is_credited_to_its_agent_on_the_real_switch(db: Database) -> None:
    """Issue 14: the stopped runtime's record of a bridged call names its agent, so the reports credit the talk
    (the simulator's test is tests/runtime/test_runtime_stop_credits_the_agent.py)."""
    from sqlalchemy import func, select

    from hotline.platform.models import ReportInterval

    tenant_id, did = _tenant(db)

    async def scenario():
        async with real_stack(db) as (runtime, client):
            await runtime.acd.presence.login("1001", {str(tenant_id): {"express_general": 1}})
            leg = await call(client, did, "13700000072")
            await asyncio.sleep(2.0)
            await client.api(f"uuid_send_dtmf {leg} 0")
            await _until(lambda: _on_call(runtime.acd), 30, "agent 1001 on the call")
            await asyncio.sleep(1.0)
            await runtime.stop()  # mid-talk: no hang-up event reaches the runtime
            await client.api(f"uuid_kill {leg}")
            return await _record_of(db, tenant_id, did)

    record = run(scenario(), timeout=90)
    assert record.hangup_cause == "runtime_stopped" and record.answered_at is not None, record.hangup_cause
    assert record.talk_seconds and record.talk_seconds >= 1, record.talk_seconds
    with db.tenant(tenant_id) as session:
        rows = session.execute(select(ReportInterval.extension, func.sum(ReportInterval.answered))
                               .where(ReportInterval.tenant_id == tenant_id)
                               .group_by(ReportInterval.extension)).all()
    answered = {extension: count for extension, count in rows if count}
    assert answered == {"1001": 1}, rows
