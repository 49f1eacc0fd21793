"""The embedded default: fakeredis stand-in and the in-process worker thread (no Redis server needed)."""

from __future__ import annotations

import time
from collections.abc import Callable

from rq import Retry

from hotline.platform.db import Database
from hotline.platform.jobs import queues_for
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

