"""A runtime process for the lease tests: the real Runtime in its own OS process, so a test can SIGKILL it
mid-call. Run as ``python -m tests.runtime.acd.runtime_process DATABASE_URL ACD_PREFIX LEASE_SECONDS``; it
prints ``port <n>`` once it serves calls, then runs until killed."""

from __future__ import annotations

import asyncio
import sys

import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.runtime.server import Runtime

from ...conftest import REDIS_URL
from ..e2e_helpers import OPEN


async def main(url: str, prefix: str, lease_seconds: float) -> None:
    runtime = Runtime(Database(url), aioredis.Redis.from_url(REDIS_URL), port=0, acd_prefix=prefix,
                      clock=lambda: OPEN, lease_seconds=lease_seconds, runtime_id="victim")
    await runtime.start()
    print(f"port {runtime.port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
