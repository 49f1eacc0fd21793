"""Fixtures for the job tests: the tenant and a scripted HTTP receiver. The real Redis (database 15), the
queues under a unique prefix per test, the burst worker and the job context pointed at the test database are
tests/jobs_support.py's (re-exported here for the conftests that import them from this module)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hotline.platform.db import Database
from tests.jobs_support import BurstWorker, job_database, queues, redis_client, worker
from tests.platform import factories

__all__ = ["BurstWorker", "job_database", "queues", "receiver", "redis_client", "tenant_id", "worker"]


@pytest.fixture(scope="module")
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        return factories.tenant(session, "jobs").id


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
