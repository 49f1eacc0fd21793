"""Runtime leases (issue 12): what a runtime process held in the ACD is freed when that process dies — a
real runtime process SIGKILLed mid-call leaves no agent on_call and no call in a queue, within the lease."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.runtime.acd import Acd, WaitingCall
from hotline.runtime.esl.inbound import InboundClient
from hotline.runtime.simswitch import AgentBehavior, CallerScript, SimSwitch, SimSwitchConfig, SocketTarget

from ...conftest import REDIS_URL
from ..acd_helpers import delete_prefix, new_prefix, require_redis
from ..e2e_helpers import clone, publish_ivr, run, wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[3]
LEASE = 1.0


def _start_runtime(url: str, prefix: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen([sys.executable, "-m", "tests.runtime.acd.runtime_process", url, prefix, str(LEASE)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("port "):
        process.kill()
        raise AssertionError(f"the runtime process did not start: {line!r}")
    return process, int(line.split()[1])


def _victim(db: Database, did_head: str) -> tuple[int, str, str, subprocess.Popen[str], int]:
    """A cloned tenant whose queue waits a minute, served by a runtime process that the test will SIGKILL."""
    did = f"{did_head}{uuid.uuid4().int % 10**6:06d}"
    tenant_id = clone(db, "express_delivery", f"lease-{uuid.uuid4().hex[:8]}", [did])
    publish_ivr(db, tenant_id, lambda body: body["nodes"]["agent_queue"].update({"timeout_seconds": 60}))
    prefix = new_prefix()
    process, port = _start_runtime(db.url, prefix)
    return tenant_id, did, prefix, process, port


def _reap(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(5)


@contextlib.asynccontextmanager
async def _survivor(prefix: str, port: int) -> AsyncIterator[tuple[Acd, SimSwitch]]:
    """The surviving runtime's ACD (whose sweeps free what the dead one held) and a switch whose agent a1
    answers and never hangs up; everything the test left in Redis goes afterwards."""
    client = aioredis.Redis.from_url(REDIS_URL)
    watcher = Acd(client, prefix=prefix, runtime_id="survivor", runtime_lease_seconds=LEASE)
    switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", port), time_scale=0.01,
                                       agents={"a1": AgentBehavior(answer_after_ms=100, talk_ms=None)}))
    try:
        yield watcher, switch
    finally:
        await switch.stop()
        await watcher.close()
        await delete_prefix(client, prefix)
        await client.aclose()


def _a1_is(watcher: Acd, state: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        found = await watcher.presence.get("a1")
        return found is not None and found.state == state

    return check


def test_agent_on_call_with_a_killed_runtime_is_available_again_within_the_lease(postgres_database: Database):
    """Before leases the agent stayed on_call for ever after its runtime crashed (issue 12)."""
    require_redis()
    db = postgres_database
    tenant_id, did, prefix, process, port = _victim(db, "4011")

    async def scenario() -> tuple[str, float, list[str]]:
        async with _survivor(prefix, port) as (watcher, switch):
            await watcher.presence.login("a1", {str(tenant_id): {"express_general": 1}})
            await switch.start()
            talking = switch.start_call(CallerScript(did=did, caller="13700000031", presses=["0"],
                                                     hangup_after=60_000))
            waiting = switch.start_call(CallerScript(did=did, caller="13700000032", presses=["0"],
                                                     hangup_after=60_000))

            await wait_until(_a1_is(watcher, "on_call"), timeout=15, what="a1 on the call")
            await wait_until(lambda: watcher.queues.waiting(str(tenant_id), "general"), timeout=15,
                             what="a second caller queued behind it")
            os.kill(process.pid, signal.SIGKILL)  # no goodbye: the runtime's lease simply stops being renewed
            process.wait(5)
            loop = asyncio.get_running_loop()
            killed_at = loop.time()
            await watcher.start()  # its sweeps (every half lease) free what the dead runtime held

            await wait_until(_a1_is(watcher, "available"), timeout=10 * LEASE, interval=0.05,
                             what="a1 available again")
            seconds = loop.time() - killed_at
            await wait_until(lambda: _empty(watcher, str(tenant_id)), timeout=5, what="the queue emptied")
            events = [e.kind for e in await watcher.events(str(tenant_id)) if e.get("reason") == "runtime_lost"]
            for task in (talking, waiting):
                task.cancel()
            return (await watcher.presence.get("a1")).state, seconds, events

    try:
        state, seconds, events = run(scenario(), timeout=60)
    finally:
        _reap(process)
    assert state == "available"
    assert seconds < 4 * LEASE, f"freed {seconds:.1f} s after the kill, lease {LEASE} s"
    assert events == ["call_left"]  # the queued caller's entry went with its runtime


def test_an_agent_whose_bridge_outlives_its_runtime_stays_busy_until_the_switch_ends_the_call(
        postgres_database: Database):
    """QA 12.1: after SIGKILL mid-bridge the sweep freed the agent while the bridge was still up in the switch,
    and the agent got a second call. The sweep asks the switch (uuid_exists) and keeps the agent busy."""
    require_redis()
    db = postgres_database
    tenant_id, did, prefix, process, port = _victim(db, "4012")

    async def scenario() -> tuple[str, str, str]:
        async with _survivor(prefix, port) as (watcher, switch):
            esl = None
            try:
                await watcher.presence.login("a1", {str(tenant_id): {"express_general": 1}})
                await switch.start()
                esl = await InboundClient.connect("127.0.0.1", switch.esl_port, "ClueCon")

                async def exists(call: str) -> bool:
                    return (await esl.api(f"uuid_exists {call}")).strip() == "true"

                assert watcher.lease is not None
                watcher.lease.channel_exists = exists
                talking = switch.start_call(CallerScript(did=did, caller="13700000033", presses=["0"],
                                                         hangup_after=60_000))

                await wait_until(_a1_is(watcher, "on_call"), timeout=15, what="a1 on the call")
                call = (await watcher.presence.get("a1")).call_id
                os.kill(process.pid, signal.SIGKILL)
                process.wait(5)
                await watcher.start()
                await asyncio.sleep(4 * LEASE)  # several sweeps after the lease ran out
                during = (await watcher.presence.get("a1")).state
                assert call and await exists(call), "the bridge should outlive the runtime in the switch"
                await esl.api(f"uuid_kill {call}")

                await wait_until(_a1_is(watcher, "available"), timeout=10 * LEASE, interval=0.05,
                                 what="a1 available once the call ended")
                talking.cancel()
                return during, (await watcher.presence.get("a1")).state, call
            finally:
                if esl is not None:
                    await esl.close()

    try:
        during, after, _ = run(scenario(), timeout=60)
    finally:
        _reap(process)
    assert during == "on_call"
    assert after == "available"


async def _empty(acd: Acd, tenant: str) -> bool:
    return await acd.queues.waiting(tenant, "general") == []


def test_a_sweep_frees_only_what_dead_runtimes_held():
    """Two runtimes share the ACD; one dies. Its ringing agent and waiting call are freed; the live
    runtime's agent and call are left alone; a second sweep finds nothing more."""
    require_redis()
    prefix = new_prefix()

    async def scenario():
        clients = [aioredis.Redis.from_url(REDIS_URL) for _ in range(2)]
        dead = Acd(clients[0], prefix=prefix, runtime_id="dead", runtime_lease_seconds=60)
        live = Acd(clients[1], prefix=prefix, runtime_id="live", runtime_lease_seconds=60)
        try:
            await dead.lease.renew()
            await live.lease.renew()
            for agent in ("d1", "l1"):
                await live.presence.login(agent, {"acme": {"care": 1}})
            await dead.queues.enqueue(WaitingCall("acme", "care", "dead-call"), claim=True)
            await live.queues.enqueue(WaitingCall("acme", "care", "live-call"), claim=True)
            await dead.queues.enqueue(WaitingCall("acme", "care", "dead-waiting"))
            rang = {a: (await live.presence.get(a)).state for a in ("d1", "l1")}
            await clients[0].delete(dead.keys.runtime("dead"))  # the lease ran out
            first = await live.lease.sweep()
            second = await live.lease.sweep()
            states = {a: (await live.presence.get(a)).state for a in ("d1", "l1")}
            return rang, first, second, states, await live.queues.waiting("acme", "care")
        finally:
            await delete_prefix(clients[0], prefix)
            for client in clients:
                await client.aclose()

    rang, first, second, states, waiting = asyncio.run(scenario())
    assert rang == {"d1": "ringing", "l1": "ringing"}
    assert (first.runtimes, first.agents, first.calls) == (("dead",), 1, 2)
    assert (second.runtimes, second.agents, second.calls) == ((), 0, 0)
    assert sorted(states.values()) == ["available", "ringing"]
    assert waiting == []


def test_a_runtime_killed_mid_call_leaves_call_records_for_its_calls(postgres_database: Database):
    """QA 12.1: the sweep freed the agents and queue entries of a SIGKILLed runtime, but its calls had no record
    at all. Now each call is kept under the lease (live_calls.py) and the sweeper writes its record: caller, DID,
    tenant, queue, times and the hangup cause runtime_lost."""
    from sqlalchemy import select

    from hotline.platform.lost_calls import write_lost_calls
    from hotline.platform.models import CallRecord

    require_redis()
    db = postgres_database
    tenant_id, did, prefix, process, port = _victim(db, "4013")

    async def scenario() -> tuple[float, float, int]:
        async with _survivor(prefix, port) as (watcher, switch):
            assert watcher.lease is not None
            watcher.lease.record_lost = lambda entries: asyncio.to_thread(write_lost_calls, db, entries)
            await watcher.presence.login("a1", {str(tenant_id): {"express_general": 1}})
            await switch.start()
            calls = [switch.start_call(CallerScript(did=did, caller=caller, presses=["0"], hangup_after=60_000))
                     for caller in ("13700000041", "13700000042")]

            await wait_until(_a1_is(watcher, "on_call"), timeout=15, what="a1 on the call")
            await wait_until(lambda: watcher.queues.waiting(str(tenant_id), "general"), timeout=15,
                             what="a second caller queued behind it")
            loop = asyncio.get_running_loop()
            killed = loop.time()
            os.kill(process.pid, signal.SIGKILL)
            process.wait(5)
            await watcher.start()

            def recorded() -> int:
                with db.tenant(tenant_id) as session:
                    return len(session.scalars(select(CallRecord.id)).all())

            async def both() -> bool:
                return await asyncio.to_thread(recorded) == 2

            await wait_until(both, timeout=10 * LEASE, interval=0.05, what="two call records")
            seconds = loop.time() - killed
            await asyncio.sleep(3 * LEASE)  # later sweeps write nothing twice
            again = await asyncio.to_thread(recorded)
            for task in calls:
                task.cancel()
            return seconds, LEASE, again

    try:
        seconds, lease, again = run(scenario(), timeout=60)
    finally:
        _reap(process)
    assert seconds < 4 * lease and again == 2
    with db.tenant(tenant_id) as session:
        records = {r.caller: r for r in session.scalars(select(CallRecord))}
    assert sorted(records) == ["13700000041", "13700000042"]
    for record in records.values():
        assert (record.did, record.tenant_id, record.queue) == (did, tenant_id, "general")
        assert (record.outcome, record.hangup_cause, record.hangup_by) == ("runtime_lost", "runtime_lost", "runtime")
        assert record.ended_at is not None and record.started_at <= record.ended_at
        assert record.ivr_document == "main" and record.wait_seconds is not None
        assert record.trace["lost"]["runtime"] == "victim"
    # whichever caller reached the queue first talked to a1 (answered) while the other waited
    assert sorted(r.answered_at is not None for r in records.values()) == [False, True]
