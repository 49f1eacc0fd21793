"""A runtime process for the lease tests: the real Runtime in its own OS process, so a test can SIGKILL it
mid-call. Run as ``python -m tests.runtime.acd.runtime_process DATABASE_URL ACD_PREFIX LEASE_SECONDS [PORT
[AGENT_DIAL_STRING]]`` (port 0: any free one); it prints ``port <n>`` once it serves calls, then runs until
killed. The realfs lane runs it on the real switch's socket port with loopback agents."""

from __future__ import annotations

import asyncio
import sys

import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.runtime.esl.switch_profile import SwitchProfile
from hotline.runtime.server import Runtime

from ...conftest import REDIS_URL
from ..e2e_helpers import OPEN


async def main(url: str, prefix: str, lease_seconds: float, port: int = 0, dial: str | None = None) -> None:
    switch = SwitchProfile(agent_dial_string=dial) if dial else None
    runtime = Runtime(Database(url), aioredis.Redis.from_url(REDIS_URL), port=port, acd_prefix=prefix,
                      clock=lambda: OPEN, lease_seconds=lease_seconds, runtime_id="victim", switch=switch)
    await runtime.start()
    print(f"port {runtime.port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    extra = sys.argv[4:]
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(extra[0]) if extra else 0,
                     extra[1] if len(extra) > 1 else None))
