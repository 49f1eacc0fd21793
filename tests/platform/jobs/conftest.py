"""Fixtures for the job tests: a real Redis (database 15) with a unique queue prefix per test, a real RQ
worker run in bursts, the job context pointed at the test database, and a scripted HTTP receiver."""

from __future__ import annotations

import json
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import redis
from rq import SimpleWorker
from rq.job import Job
from rq.timeouts import TimerDeathPenalty

from hotline.platform.db import Database
from hotline.platform.jobs import Queues, reset_job_context
from tests.conftest import REDIS_URL
from tests.platform import factories


@pytest.fixture(scope="module")
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        return factories.tenant(session, "jobs").id


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
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
    reset_job_context()
    yield db
    reset_job_context()


@pytest.fixture
def queues(redis_client: redis.Redis, job_database: Database) -> Iterator[Queues]:
    q = Queues(redis_client, prefix=f"test-{uuid.uuid4().hex[:10]}-")
    yield q
    for queue in q.all():
        job_ids = set(queue.get_job_ids())
        for registry in (queue.finished_job_registry, queue.failed_job_registry, queue.scheduled_job_registry,
                         queue.started_job_registry, queue.deferred_job_registry, queue.canceled_job_registry):
            job_ids.update(registry.get_job_ids())
        for job_id in job_ids:
            redis_client.delete(Job.key_for(job_id), f"rq:results:{job_id}")
    redis_client.srem("rq:queues", *(queue.key for queue in q.all()))
    for key in redis_client.scan_iter(match=f"*{q.prefix}*"):
        redis_client.delete(key)


class BurstWorker:
    """A real rq.SimpleWorker run in burst passes (with RQ's scheduler) in the test's thread."""

    def __init__(self, queues: Queues) -> None:
        self.queues = queues

    def run(self, until: Callable[[], bool] | None = None, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            worker = SimpleWorker(self.queues.all(), connection=self.queues.connection)
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


@pytest.fixture
def worker(queues: Queues) -> BurstWorker:
    return BurstWorker(queues)


class Receiver:
    """A local HTTP server answering with a scripted status per request (the last one repeats)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "json": json.loads(body or b"null")})
                index = min(len(receiver.requests), len(receiver.statuses)) - 1
                status = receiver.statuses[index]
                reply = b"ok" if status < 300 else b"gateway says no"
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Callable[[list[int]], Receiver]]:
    started: list[Receiver] = []

    def start(statuses: list[int]) -> Receiver:
        started.append(Receiver(statuses))
        return started[-1]

    yield start
    for r in started:
        r.close()
