"""The recordings' periodic jobs: moving finished recordings into the bucket (every minute, with an S3 store)
and deleting recordings past each tenant's retention (every hour), so neither depends on someone's cron.

Each chain reschedules itself and is guarded by a Redis lock, like the other periodic jobs (periodic.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rq import get_current_job
from sqlalchemy import select

from ..models import Tenant
from ..services import recording_stores, recordings
from .context import job_context
from .queues import Queues

OFFLOAD_LOCK = "hotline:recordings:offload:"
PURGE_LOCK = "hotline:recordings:purge:"


def offload_recordings(prefix: str = "", every_seconds: int | None = None) -> int:
    """Moves finished recordings into the bucket (nothing with a local store); then schedules the next run."""
    try:
        context = job_context()
        return len(recording_stores.offload(context.db, recording_stores.store_for(context.settings)))
    finally:
        job = get_current_job()
        if every_seconds and job is not None:
            schedule_offload(Queues(job.connection, prefix=prefix), every_seconds, release=True)


def purge_recordings(prefix: str = "", every_seconds: int | None = None) -> int:
    """Deletes every tenant's recordings past its retention (audited per tenant); then schedules the next run."""
    try:
        context = job_context()
        with context.db.platform() as session:
            tenants = list(session.scalars(select(Tenant.id).order_by(Tenant.id)))
        done = recordings.purge_all(context.db, tenants, recording_stores.store_for(context.settings),
                                    datetime.now(UTC))
        return sum(done.values())
    finally:
        job = get_current_job()
        if every_seconds and job is not None:
            schedule_purge(Queues(job.connection, prefix=prefix), every_seconds, release=True)


def _schedule(queues: Queues, lock: str, every_seconds: int, release: bool, func: object, what: str) -> object:
    key = lock + queues.prefix
    if release:
        queues.connection.delete(key)
    if not queues.connection.set(key, "1", nx=True, ex=every_seconds * 3):
        return None
    return queues.default.enqueue_in(timedelta(seconds=every_seconds), func, queues.prefix, every_seconds,
                                     description=what)


def schedule_offload(queues: Queues, every_seconds: int = 60, *, release: bool = False) -> object:
    return _schedule(queues, OFFLOAD_LOCK, every_seconds, release, offload_recordings,
                     "move finished recordings into the bucket")


def schedule_purge(queues: Queues, every_seconds: int = 3600, *, release: bool = False) -> object:
    return _schedule(queues, PURGE_LOCK, every_seconds, release, purge_recordings,
                     "delete recordings past each tenant's retention")
