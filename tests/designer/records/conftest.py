"""Fixtures for the records pages: the tenants' ids, a signed-in page client that sends the CSRF token in
forms, and real RQ queues on a real Redis (database 15, a unique prefix per test) with a burst worker."""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from rq import SimpleWorker
from rq.job import Job
from rq.timeouts import TimerDeathPenalty
from werkzeug.test import TestResponse

from hotline.platform.db import Database
from hotline.platform.jobs import Queues, reset_job_context
from hotline.platform.services.tenants import get_tenant
from tests.conftest import REDIS_URL
from tests.designer.conftest import PASSWORD, World


@pytest.fixture(scope="module")
def tenant_ids(db: Database, world: World) -> dict[str, int]:
    with db.platform() as session:
        return {"a": get_tenant(session, world.tenant_a).id, "b": get_tenant(session, world.tenant_b).id}


class Pages:
    """A signed-in browser-like client of the HTML pages: posts forms with the page's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def token(self) -> str:
        return self.client.get("/api/session").get_json()["csrf_token"]

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, csrf: bool = True, **kwargs: Any) -> TestResponse:
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.token()
        return self.client.post(url, data=data, **kwargs)

    def json(self, method: str, url: str, body: Any = None, csrf: bool = True) -> TestResponse:
        headers = {"X-CSRFToken": self.token()} if csrf else {}
        return self.client.open(url, method=method, json=body, headers=headers)


@pytest.fixture
def pages_as(app: Flask) -> Callable[..., Pages]:
    def sign_in(username: str, tenant: str | None = None) -> Pages:
        client = app.test_client()
        token = client.get("/api/session").get_json()["csrf_token"]
        body: dict[str, Any] = {"username": username, "password": PASSWORD}
        if tenant:
            body["tenant"] = tenant
        response = client.post("/api/session", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 200, response.get_json()
        return Pages(client)

    return sign_in


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
def queues(app: Flask, db: Database, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch) -> Iterator[Queues]:
    """Real queues for the app (jobs read HOTLINE_DATABASE_URL: the test database), cleaned up afterwards."""
    monkeypatch.setenv("HOTLINE_DATABASE_URL", db.url)
    reset_job_context()
    q = Queues(redis_client, prefix=f"test-{uuid.uuid4().hex[:10]}-")
    app.extensions["hotline.queues"] = q
    yield q
    reset_job_context()
    for queue in q.all():
        job_ids = set(queue.get_job_ids())
        for registry in (queue.finished_job_registry, queue.failed_job_registry, queue.scheduled_job_registry,
                         queue.started_job_registry):
            job_ids.update(registry.get_job_ids())
        for job_id in job_ids:
            redis_client.delete(Job.key_for(job_id), f"rq:results:{job_id}")
    redis_client.srem("rq:queues", *(queue.key for queue in q.all()))
    for key in redis_client.scan_iter(match=f"*{q.prefix}*"):
        redis_client.delete(key)


def run_worker(queues: Queues, until: Callable[[], bool] | None = None, timeout: float = 30.0) -> None:
    """A real rq.SimpleWorker in burst passes in the test's thread, until `until()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        worker = SimpleWorker(queues.all(), connection=queues.connection)
        worker.death_penalty_class = TimerDeathPenalty  # pytest-timeout owns SIGALRM
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
