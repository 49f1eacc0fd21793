"""Delivering queued notifications: one job per message, retried with back-off by RQ.

The job takes plain ids and runs against `job_context()`'s Database, in two short transactions around
the provider call (no database transaction stays open during an HTTP request):

1. claim — read the row in its tenant's session; if it is already "sent" do nothing (a duplicate job, or
   a retry after a crash that happened after the commit of "sent", must not send twice); otherwise count
   the attempt (`attempts += 1`) and commit;
2. send through the provider the row names (`services.notifications.PROVIDERS`);
3. record — "sent" + sent_at, or the reason in `last_error`; on the last attempt RQ will make, the status
   becomes "failed", before that it stays "queued". The job then re-raises so that RQ retries it.

While one worker is sending, a Redis lease (SET NX with the job timeout) keeps a second job for the same
notification from sending it concurrently. What cannot be excluded is a crash between the provider's
"accepted" and the commit of "sent": the retry will send again; HTTP receivers get the same
`Idempotency-Key` on every attempt to drop such a duplicate.
"""

from __future__ import annotations

import logging

from rq import Queue, Retry, get_current_job
from sqlalchemy import select

from ..models import Notification, utcnow
from ..services.notifications import resolve_provider
from ..templating import TemplateError
from .context import job_context

log = logging.getLogger("hotline.jobs.notifications")

#: Three retries after the first attempt, 10 s, 30 s and 90 s later.
DEFAULT_RETRY = Retry(max=3, interval=[10, 30, 90])
JOB_TIMEOUT = 60


class AlreadySending(RuntimeError):
    """Another worker holds the lease on this notification right now."""


def enqueue_delivery(queue: Queue, tenant_id: int, notification_id: int, *, retry: Retry | None = None):
    """Enqueues `deliver(tenant_id, notification_id)`; call it only after the row is committed.

    `retry` defaults to DEFAULT_RETRY. Returns the rq Job.
    """
    return queue.enqueue(deliver, tenant_id, notification_id, retry=retry or DEFAULT_RETRY, job_timeout=JOB_TIMEOUT,
                         description=f"deliver notification {notification_id} of tenant {tenant_id}",
                         meta={"tenant_id": tenant_id, "notification_id": notification_id})


def deliver(tenant_id: int, notification_id: int) -> str:
    """The job: sends one queued notification. Returns "sent", "already sent", "missing" or "failed" (a
    failure no retry can mend, such as a template over the render bounds)."""
    job = get_current_job()
    final = job is None or not job.retries_left  # RQ decrements retries_left after this attempt fails
    lease = None
    if job is not None:
        lease = f"hotline:notification-lease:{tenant_id}:{notification_id}"
        if not job.connection.set(lease, job.id, nx=True, ex=int(job.timeout or JOB_TIMEOUT) + 10):
            raise AlreadySending(f"notification {notification_id} is being sent by another worker")
    try:
        return _deliver(tenant_id, notification_id, final)
    finally:
        if lease is not None and job is not None:
            job.connection.delete(lease)


def _deliver(tenant_id: int, notification_id: int, final: bool) -> str:
    db = job_context().db
    with db.tenant(tenant_id) as session:
        row = session.scalar(select(Notification).where(Notification.id == notification_id).with_for_update())
        if row is None:
            log.warning("notification %s of tenant %s does not exist: nothing to send", notification_id, tenant_id)
            return "missing"
        if row.status == "sent":
            return "already sent"
        row.attempts += 1
        try:
            provider = resolve_provider(session, row.provider)
        except Exception as exc:  # a provider deleted or unknown: the attempt fails with the reason
            provider, unresolved = None, exc
    # Sent from a detached copy: the provider reads the committed values, no transaction stays open.
    try:
        if provider is None:
            raise unresolved
        provider.send(row)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        # A template that breaks the render bounds (or does not parse) fails the same way on every attempt:
        # failed now with the reason, not retried (QA of issue 10, item 4).
        permanent = isinstance(exc, TemplateError)
        with db.tenant(tenant_id) as session:
            current = session.get(Notification, notification_id)
            if current is not None and current.status != "sent":
                current.last_error = reason
                current.status = "failed" if final or permanent else "queued"
        log.warning("notification %s of tenant %s, attempt %s%s: %s", notification_id, tenant_id, row.attempts,
                    " (last)" if final or permanent else "", reason)
        if permanent:
            return "failed"
        raise
    with db.tenant(tenant_id) as session:
        current = session.get(Notification, notification_id)
        if current is not None:
            current.status, current.sent_at = "sent", utcnow()
    return "sent"
