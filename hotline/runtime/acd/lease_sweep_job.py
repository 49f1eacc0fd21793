"""The lease sweep as a background job: dead runtimes' agents, queue entries and calls are freed (and the calls
recorded) even when no runtime is left to sweep.

Runtimes sweep each other (leases.py), so with a single runtime process that dies and is not restarted nothing
swept it: its agents stayed on_call on the wallboard and its calls had no record (QA 12.2). `hotline worker`
now schedules this job every half lease (one chain per queue prefix, by a Redis lock, like the dispatch sweep):
it runs the same sweep script, asks the switch (`uuid_exists`, a short ESL connection, only when a dead
runtime's agent is on a call) before freeing an agent whose bridge may live on, and writes the lost calls'
records (platform/lost_calls.py).

Here, not in platform/jobs, because it runs the ACD's scripts (the platform never imports the runtime); RQ
finds it by its dotted name.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import redis.asyncio as aioredis
from rq import get_current_job

from ...platform.acd.keys import DEFAULT_PREFIX, AcdKeys
from ...platform.db import Database
from ...platform.jobs.context import job_context
from ...platform.jobs.queues import Queues
from ...platform.lost_calls import write_lost_calls
from .leases import ChannelExists, RuntimeLease, SweepResult
from .scripts import AcdScripts

log = logging.getLogger("hotline.runtime.acd")
LOCK = "hotline:acd:lease-sweep:"
#: The sweeper's name in the ACD (it holds no lease and owns nothing).
SWEEPER = "lease-sweep-job"
#: Connection settings of the job's Redis client that an asyncio client takes as they are.
_REDIS_KWARGS = ("host", "port", "db", "username", "password", "unix_socket_path", "socket_timeout",
                 "socket_connect_timeout")


async def sweep_once(redis: Any, db: Database, prefix: str = DEFAULT_PREFIX,
                     channel_exists: ChannelExists | None = None) -> SweepResult:
    """One sweep of every expired lease under `prefix`, writing the lost calls' records to `db`."""
    scripts = AcdScripts(redis, prefix, batch=False)
    lease = RuntimeLease(redis, keys=AcdKeys(prefix), scripts=scripts, runtime_id=SWEEPER)
    lease.channel_exists = channel_exists
    lease.record_lost = lambda entries: asyncio.to_thread(write_lost_calls, db, entries)
    return await lease.sweep()


def _switch_check(settings: Any) -> ChannelExists:
    """`uuid_exists` over a short-lived ESL connection; an unreachable switch raises (the sweep keeps the agent)."""
    async def exists(call: str) -> bool:
        from ..esl.inbound import InboundClient

        client = await asyncio.wait_for(
            InboundClient.connect(settings.esl_host, settings.esl_port, settings.esl_password), 5)
        try:
            return (await asyncio.wait_for(client.api(f"uuid_exists {call}"), 5)).strip() == "true"
        finally:
            await client.close()

    return exists


def sweep_leases(queue_prefix: str = "", acd_prefix: str = DEFAULT_PREFIX,
                 every_seconds: float | None = None) -> dict[str, Any]:
    """The job: sweeps once, then (with `every_seconds`) schedules itself again."""
    job = get_current_job()
    try:
        context = job_context()
        if job is not None:
            kwargs = job.connection.connection_pool.connection_kwargs
            client = aioredis.Redis(**{k: v for k, v in kwargs.items() if k in _REDIS_KWARGS})
        else:
            client = aioredis.Redis.from_url(context.settings.redis_url)

        async def run() -> SweepResult:
            try:
                return await sweep_once(client, context.db, acd_prefix, _switch_check(context.settings))
            finally:
                await client.aclose()

        result = asyncio.run(run())
        return {"runtimes": list(result.runtimes), "agents": result.agents, "calls": result.calls,
                "lost": result.lost}
    finally:
        if every_seconds and job is not None:
            schedule_lease_sweep(Queues(job.connection, prefix=queue_prefix), every_seconds, acd_prefix=acd_prefix,
                                 release=True)


def schedule_lease_sweep(queues: Queues, every_seconds: float, *, acd_prefix: str = DEFAULT_PREFIX,
                         release: bool = False) -> Any:
    """Schedules the next sweep in `every_seconds` unless one is scheduled already; returns the Job or None."""
    lock = LOCK + queues.prefix + acd_prefix
    if release:
        queues.connection.delete(lock)
    if not queues.connection.set(lock, "1", nx=True, ex=max(3, int(every_seconds * 3))):
        return None
    return queues.default.enqueue_in(timedelta(seconds=every_seconds), sweep_leases, queues.prefix, acd_prefix,
                                     every_seconds, job_timeout=60, description="runtime lease sweep")
