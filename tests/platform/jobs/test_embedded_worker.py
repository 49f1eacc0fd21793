"""The embedded default: fakeredis stand-in and the in-process worker thread (no Redis server needed)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from rq import Retry

from hotline.platform.db import Database
from hotline.platform.jobs import Queues, queues_for
from hotline.platform.models import Notification
from hotline.platform.redis_conn import connect
from hotline.platform.services import notifications


def _wait(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the embedded worker did not finish in time"
        time.sleep(0.1)


def test_the_embedded_worker_thread_delivers_and_retries(db: Database, tenant_id: int, job_database: Database,
                                                         receiver) -> None:
    connections = connect("redis://127.0.0.1:1/0")  # nothing listens there: the in-process stand-in
    assert connections.embedded
    queues = queues_for(connections)
    thread = queues.worker_thread(poll_interval=0.1)
    hook = receiver([503, 200])
    thread.start()
    try:
        with db.tenant(tenant_id) as session:
            sms = notifications.queue_send(session, "sms", "13900000003", "hi", queue=queues.notifications).id
            hook_id = notifications.queue_send(session, "webhook", hook.url, "x", queue=queues.notifications,
                                               retry=Retry(max=2, interval=1)).id  # via the scheduler

        def status(notification_id: int) -> str:
            with db.tenant(tenant_id) as session:
                return session.get(Notification, notification_id).status

        _wait(lambda: status(sms) == "sent" and status(hook_id) == "sent")
    finally:
        thread.stop()
    assert not thread.running
    with db.tenant(tenant_id) as session:
        assert session.get(Notification, hook_id).attempts == 2
        assert session.get(Notification, sms).attempts == 1
    assert len(hook.requests) == 2



@pytest.mark.redis
def test_a_failing_notification_with_an_unresolvable_host_never_stops_the_stack(
        db: Database, tenant_id: int, queues: Queues) -> None:
    """QA of issue 11, item 9: `hotline up` shut itself down while an SMS provider's host did not resolve.

    The in-process worker's RQ maintenance (every ten minutes) forked a scheduler process and ended it with
    SIGTERM; the fork shared `hotline up`'s asyncio signal wakeup fd, so the parent's loop took the child's
    SIGTERM for its own. Here the loop of `hotline up` (its SIGTERM handler, as cli/context.until_stopped) runs
    while the worker retries a notification to a host that never resolves (.invalid, RFC 2606) across a
    maintenance pass: the notification fails with the reason, the worker goes on, the loop is never told
    to stop."""

    async def stack() -> tuple[bool, bool]:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        try:
            with db.tenant(tenant_id) as session:
                hook = notifications.queue_send(session, "webhook", "http://sms-gateway.invalid/send", "x",
                                                queue=queues.notifications, retry=Retry(max=1, interval=1)).id
            thread = queues.worker_thread(poll_interval=0.1)

            def passes() -> None:
                thread.run_once()  # the first pass runs RQ's maintenance
                thread.worker.last_cleaned_at = datetime.now(UTC) - timedelta(hours=1)  # due again
                for _ in range(40):  # the retry is scheduled a second later
                    thread.run_once()
                    time.sleep(0.1)

            await asyncio.to_thread(passes)
            await asyncio.sleep(0.5)  # a stray SIGTERM would have been delivered by now
            with db.tenant(tenant_id) as session:
                row = session.get(Notification, hook)
                failed = row is not None and row.status == "failed" and bool(row.last_error)
            return stop.is_set(), failed
        finally:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)

    told_to_stop, failed = asyncio.run(stack())
    assert failed  # the failure is recorded with its reason, as any other
    assert not told_to_stop
