"""`hotline runtime` on SIGTERM gives calls in progress `[runtime] shutdown_grace_seconds` (issue 12), no
longer a constant 30 s: a real runtime process with a caller waiting in a queue for a minute and a 1 s grace
stops within seconds, and the call's record is written."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.runtime.acd import Acd
from hotline.runtime.simswitch import CallerScript, SimSwitch, SimSwitchConfig, SocketTarget
from tests.conftest import REDIS_URL
from tests.runtime.e2e_helpers import call_record, clone, publish_ivr, require_redis, run, wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sigterm_lets_calls_run_for_the_configured_grace_then_stops(postgres_database: Database) -> None:
    require_redis()
    db = postgres_database
    did = f"4013{uuid.uuid4().int % 10**6:06d}"
    tenant_id = clone(db, "express_delivery", f"grace-{uuid.uuid4().hex[:8]}", [did])

    def straight_to_the_queue(body: dict) -> None:  # no business hours: the test passes at any hour
        body["start"] = "agent_queue"
        body["nodes"]["agent_queue"]["timeout_seconds"] = 60

    publish_ivr(db, tenant_id, straight_to_the_queue)
    port = _free_port()
    env = {**os.environ, "HOTLINE_DATABASE_URL": db.url, "HOTLINE_REDIS_URL": REDIS_URL,
           "HOTLINE_RUNTIME_SOCKET_PORT": str(port), "HOTLINE_ESL_PORT": str(_free_port()),
           "HOTLINE_PROMPTS_TTS": "none", "HOTLINE_RUNTIME_SHUTDOWN_GRACE_SECONDS": "1"}
    process = subprocess.Popen([sys.executable, "-m", "hotline.cli", "runtime"], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    async def scenario() -> tuple[float, str]:
        client = aioredis.Redis.from_url(REDIS_URL)
        acd = Acd(client)  # the CLI's default prefix
        switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", port), time_scale=0.01))
        try:
            await switch.start()
            caller = switch.start_call(CallerScript(did=did, caller="13700000061", hangup_after=600_000))
            seen: list[str] = []

            async def queued() -> list[str]:  # keeps what it saw: the call may leave the queue a moment later
                seen[:] = await acd.queues.waiting(str(tenant_id), "general")
                return seen

            await wait_until(queued, timeout=30, what="the caller waiting in the queue")
            waiting = seen[0]
            loop = asyncio.get_running_loop()
            os.kill(process.pid, signal.SIGTERM)
            sent = loop.time()
            await loop.run_in_executor(None, process.wait, 20)
            caller.cancel()
            return loop.time() - sent, waiting
        finally:
            await switch.stop()
            await client.aclose()

    try:
        assert process.stdout is not None and "runtime" in process.stdout.readline()
        seconds, uuid_ = run(scenario(), timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
    assert process.returncode is not None
    assert seconds < 15, f"stopped {seconds:.1f} s after SIGTERM with a 1 s grace"
    assert call_record(db, tenant_id, uuid_) is not None  # the cut call still wrote its record
