"""The attendance job: copies the ACD's agent-state stream into the database every minute (schedules/presence_log.py),
so a busy day's changes are kept before the stream's trimming drops them."""

from __future__ import annotations

from datetime import timedelta

from rq import get_current_job

from ..acd.keys import DEFAULT_PREFIX
from ..schedules.presence_log import copy_all_tenants
from .context import job_context
from .queues import Queues

LOCK = "hotline:attendance:copy:"


def copy_presence(prefix: str = "", every_seconds: int | None = None, acd_prefix: str = DEFAULT_PREFIX) -> int:
    """Copies every tenant's new state changes from the job's Redis; with `every_seconds`, runs again after that."""
    job = get_current_job()
    if job is None:
        raise RuntimeError("copy_presence runs as a job (it reads the ACD stream on the job's Redis)")
    try:
        return copy_all_tenants(job_context().db, job.connection, acd_prefix)
    finally:
        if every_seconds:
            schedule(Queues(job.connection, prefix=prefix), every_seconds, release=True, acd_prefix=acd_prefix)


def schedule(queues: Queues, every_seconds: int = 60, *, release: bool = False, acd_prefix: str = DEFAULT_PREFIX):
    """Schedules the next copy unless one is scheduled already (one chain per queue prefix, by a Redis lock)."""
    lock = LOCK + queues.prefix
    if release:
        queues.connection.delete(lock)
    if not queues.connection.set(lock, "1", nx=True, ex=every_seconds * 3):
        return None
    return queues.default.enqueue_in(timedelta(seconds=every_seconds), copy_presence, queues.prefix, every_seconds,
                                     acd_prefix, description="copy agent-state changes for attendance")
