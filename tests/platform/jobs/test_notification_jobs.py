"""Queued notifications delivered by a real RQ worker on a real Redis: retries, failure, idempotency."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rq import Retry
from rq.job import JobStatus

from hotline.platform.db import Database
from hotline.platform.jobs import Queues
from hotline.platform.jobs.notifications import enqueue_delivery
from hotline.platform.models import MessageProvider, Notification
from hotline.platform.services import notifications

pytestmark = pytest.mark.redis


def _row(db: Database, tenant_id: int, notification_id: int) -> Notification:
    with db.tenant(tenant_id) as session:
        return session.get(Notification, notification_id)


def test_a_queued_sms_is_enqueued_after_commit_and_delivered_by_the_worker(db, tenant_id, queues, worker) -> None:
    with db.tenant(tenant_id) as session:
        row = notifications.queue_send(session, "sms", "13900000001", "您的快递已到", origin={"call": "c1"},
                                       queue=queues.notifications)
        assert queues.notifications.count == 0  # not before the commit: the worker could not see the row
        notification_id = row.id
    assert row.status == "queued" and row.attempts == 0 and row.provider == "log"
    assert queues.notifications.count == 1
    worker.run()
    sent = _row(db, tenant_id, notification_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert sent.sent_at is not None


def test_a_rolled_back_transaction_enqueues_nothing(db, tenant_id, queues) -> None:
    with pytest.raises(RuntimeError), db.tenant(tenant_id) as session:
        notifications.queue_send(session, "sms", "13900000001", "x", queue=queues.notifications)
        raise RuntimeError("the caller failed after queueing")
    with db.tenant(tenant_id) as session:  # a later commit on another session must not pick it up either
        session.add(Notification(channel="sms", to="1", body="unrelated", status="sent"))
    assert queues.notifications.count == 0


def test_queue_send_refuses_bad_input(db, tenant_id, queues) -> None:
    with db.tenant(tenant_id) as session:
        with pytest.raises(ValueError, match="unknown notification channel"):
            notifications.queue_send(session, "pigeon", "x", "y", queue=queues.notifications)
        with pytest.raises(ValueError, match="http"):
            notifications.queue_send(session, "webhook", "ftp://example.org", "y", queue=queues.notifications)


def test_a_webhook_that_fails_twice_is_retried_with_backoff_and_sent(db, tenant_id, queues, worker, receiver) -> None:
    hook = receiver([503, 502, 200])
    with db.tenant(tenant_id) as session:
        # interval 1 s: the second retry goes through RQ's scheduler (ScheduledJobRegistry), not straight back
        notification_id = notifications.queue_send(
            session, "webhook", hook.url, "ticket 42 escalated", subject="SLA", origin={"ticket": "42"},
            queue=queues.notifications, retry=Retry(max=3, interval=[0, 1])).id
    worker.run(until=lambda: _row(db, tenant_id, notification_id).status != "queued")
    row = _row(db, tenant_id, notification_id)
    assert (row.status, row.attempts) == ("sent", 3)
    assert row.last_error == "DeliveryError: HTTP 502 Bad Gateway: gateway says no"  # the failure before success
    assert len(hook.requests) == 3
    first = hook.requests[0]
    assert first["json"] == {"id": notification_id, "channel": "webhook", "to": hook.url, "subject": "SLA",
                             "body": "ticket 42 escalated", "origin": {"ticket": "42"}}
    assert {r["headers"]["Idempotency-Key"] for r in hook.requests} == {
        f"hotline-notification-{tenant_id}-{notification_id}"}


def test_a_webhook_that_always_fails_ends_failed_with_the_last_error(db, tenant_id, queues, worker, receiver) -> None:
    hook = receiver([500])
    with db.tenant(tenant_id) as session:
        notification_id = notifications.queue_send(session, "webhook", hook.url, "x", queue=queues.notifications,
                                                   retry=Retry(max=2, interval=0)).id
    job_id = queues.notifications.get_job_ids()[0]
    worker.run(until=lambda: _row(db, tenant_id, notification_id).status != "queued")
    row = _row(db, tenant_id, notification_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error == "DeliveryError: HTTP 500 Internal Server Error: gateway says no"
    assert row.sent_at is None and len(hook.requests) == 3
    assert queues.notifications.fetch_job(job_id).get_status() == JobStatus.FAILED


def test_a_redirect_or_an_unreachable_receiver_is_a_failure(db, tenant_id, queues, worker, receiver) -> None:
    hook = receiver([302])
    with db.tenant(tenant_id) as session:
        redirected = notifications.queue_send(session, "webhook", hook.url, "x", queue=queues.notifications,
                                              retry=Retry(max=1)).id
        unreachable = notifications.queue_send(session, "webhook", "http://127.0.0.1:9/hook", "x",
                                               queue=queues.notifications, retry=Retry(max=1)).id
    worker.run()
    assert _row(db, tenant_id, redirected).status == "failed"
    assert "HTTP 302" in _row(db, tenant_id, redirected).last_error
    gone = _row(db, tenant_id, unreachable)
    assert (gone.status, gone.attempts) == ("failed", 2)
    assert "unreachable" in gone.last_error


def test_a_job_for_a_sent_notification_sends_nothing(db, tenant_id, queues, worker, receiver) -> None:
    hook = receiver([200])
    with db.tenant(tenant_id) as session:
        notification_id = notifications.queue_send(session, "webhook", hook.url, "once",
                                                   queue=queues.notifications).id
    worker.run()
    assert len(hook.requests) == 1
    duplicate = enqueue_delivery(queues.notifications, tenant_id, notification_id)  # e.g. a retry after a crash
    worker.run()
    assert duplicate.get_status(refresh=True) == JobStatus.FINISHED
    assert duplicate.return_value() == "already sent"
    assert len(hook.requests) == 1
    row = _row(db, tenant_id, notification_id)
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_job_of_another_tenant_cannot_reach_the_row(db, tenant_id, queues, worker) -> None:
    from tests.platform import factories

    with db.platform() as session:
        other = factories.tenant(session, "other").id
    with db.tenant(tenant_id) as session:
        notification_id = notifications.queue_send(session, "sms", "1390", "x", queue=queues.notifications).id
    stray = enqueue_delivery(queues.notifications, other, notification_id)
    worker.run()
    assert stray.return_value() == "missing"
    assert _row(db, tenant_id, notification_id).attempts == 1  # delivered once, by its own job


def test_an_rq_worker_process_delivers_with_the_settings_from_its_environment(db, tenant_id, queues) -> None:
    with db.tenant(tenant_id) as session:
        notification_id = notifications.queue_send(session, "sms", "13900000002", "hi",
                                                   queue=queues.notifications).id
    rq = Path(sys.executable).parent / "rq"
    env = {**os.environ, "HOTLINE_DATABASE_URL": db.url}
    url = queues.connection.connection_pool.connection_kwargs
    redis_url = f"redis://{url['host']}:{url['port']}/{url['db']}"
    done = subprocess.run([str(rq), "worker", "--burst", "--with-scheduler", "--url", redis_url,
                           *(q.name for q in queues.all())], env=env, capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[3])
    assert done.returncode == 0, done.stderr
    row = _row(db, tenant_id, notification_id)
    assert (row.status, row.attempts) == ("sent", 1), done.stderr


def test_queues_are_named_and_prefixed(queues: Queues) -> None:
    assert [q.name for q in queues.all()] == [queues.prefix + "notifications", queues.prefix + "default"]
    assert queues["default"] is queues.default


def test_a_template_over_the_render_bounds_fails_at_once_without_retries(db, tenant_id, queues, worker,
                                                                         receiver) -> None:
    """QA 10.4: a provider saved before the lint refused unbounded templates hits TemplateLimitError at send;
    the notification is failed with the reason at the first attempt, not left queued for retries."""
    hook = receiver([200])
    with db.tenant(tenant_id) as session:
        session.add(MessageProvider(name="unbounded", channel="sms", kind="http", active=True, settings={
            "url": hook.url, "method": "POST", "content_type": "application/json",
            "body_template": "{% for i in range(100000000) %}{{text}}{% endfor %}"}))
        session.flush()
        notification_id = notifications.queue_send(session, "sms", "13900000001", "x", queue=queues.notifications,
                                                   retry=Retry(max=3, interval=0)).id
    worker.run(until=lambda: _row(db, tenant_id, notification_id).status != "queued")
    row = _row(db, tenant_id, notification_id)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("TemplateLimitError:") and "range()" in row.last_error
    assert hook.requests == []
    assert queues.notifications.count == 0 and queues.notifications.scheduled_job_registry.count == 0
