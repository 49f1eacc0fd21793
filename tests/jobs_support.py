"""Shared fixtures for tests that run RQ jobs for real: a Redis client on the test database (15), the job
context pointed at the test database, queues under a unique prefix (removed afterwards) and a real
rq.SimpleWorker run in burst passes in the test's thread. Registered for the whole suite by
`pytest_plugins` in tests/conftest.py, like tests/browser.py.
"""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from rq import SimpleWorker
from rq.job import Job
from rq.timeouts import TimerDeathPenalty

from hotline.platform.db import Database
from hotline.platform.jobs import Queues, reset_job_context
from tests.conftest import REDIS_URL, TEST_DATABASE_SECRET_KEY


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    """A client of the test Redis; the test is skipped, saying why, when no server answers."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    yield client
    client.close()


@pytest.fixture
def job_database(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """Jobs build their Database from HOTLINE_DATABASE_URL: point it at the test database."""
    monkeypatch.setenv("HOTLINE_DATABASE_URL", db.url)
    # ... and the secret key its provider secrets are sealed with, as a deployment gives every process
    monkeypatch.setenv("HOTLINE_WEB_SECRET_KEY", TEST_DATABASE_SECRET_KEY)
    reset_job_context()
    yield db
    reset_job_context()


@pytest.fixture
def queues(redis_client: redis.Redis, job_database: Database) -> Iterator[Queues]:
    """Real queues under a unique prefix; their jobs, registries and keys are deleted afterwards."""
    q = Queues(redis_client, prefix=f"test-{uuid.uuid4().hex[:10]}-")
    yield q
    drop_queues(redis_client, q)


def drop_queues(client: redis.Redis, q: Queues) -> None:
    """Deletes every job of `q` (waiting, finished, failed, scheduled, …) and every key under its prefix."""
    for queue in q.all():
        job_ids = set(queue.get_job_ids())
        for registry in (queue.finished_job_registry, queue.failed_job_registry, queue.scheduled_job_registry,
                         queue.started_job_registry, queue.deferred_job_registry, queue.canceled_job_registry):
            job_ids.update(registry.get_job_ids())
        for job_id in job_ids:
            client.delete(Job.key_for(job_id), f"rq:results:{job_id}")
    client.srem("rq:queues", *(queue.key for queue in q.all()))
    for key in client.scan_iter(match=f"*{q.prefix}*"):
        client.delete(key)


def run_worker(queues: Queues, until: Callable[[], bool] | None = None, timeout: float = 30.0) -> None:
    """A real rq.SimpleWorker (with RQ's scheduler) in burst passes in the test's thread, until `until()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        worker = SimpleWorker(queues.all(), connection=queues.connection)
        # pytest-timeout owns SIGALRM; RQ's signal handlers must not outlive the test
        worker.death_penalty_class = TimerDeathPenalty
        saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            worker.work(burst=True, with_scheduler=True, logging_level="WARNING")
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
        if until is None or until():
            return
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish the jobs in time")
        time.sleep(0.2)


class BurstWorker:
    """`run_worker` bound to one set of queues."""

    def __init__(self, queues: Queues) -> None:
        self.queues = queues

    def run(self, until: Callable[[], bool] | None = None, timeout: float = 15.0) -> None:
        run_worker(self.queues, until, timeout)


@pytest.fixture
def worker(queues: Queues) -> BurstWorker:
    return BurstWorker(queues)
