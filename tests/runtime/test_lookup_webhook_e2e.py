"""A lookup node on the tenant's tracking system, over real TCP on the simulator: answers cached for the node's
cache_seconds (shared by the runtime's calls, per tenant), and a tracking system that times out sends the
caller to an agent queue (issue 11, item 10)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from hotline.platform.db import Database
from hotline.runtime.simswitch import SILENCE, CallerScript

from .e2e_helpers import call_record, clone, publish_ivr, require_redis, run, stack, visited

pytestmark = [pytest.mark.redis]
DID = "4008001077"


class Tracking:
    """The tenant's tracking system: answers a waybill's status, or hangs when `slow` is set."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.slow = False
        tracking = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                key = parse_qs(urlparse(self.path).query).get("key", [""])[0]
                tracking.asked.append(key)
                if tracking.slow:
                    time.sleep(1.5)
                body = json.dumps({"status": "中转中", "location": f"杭州转运中心{key[-2:]}", "eta": "明天送达"},
                                  ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, *_args: Any) -> None:  # the runtime gave up on a slow answer: expected
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/track"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def tracking() -> Iterator[Tracking]:
    server = Tracking()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(scope="module")
def tenant(db: Database, tracking: Tracking) -> int:
    require_redis()
    tenant_id = clone(db, "express_delivery", "e2e-webhook", [DID])

    def to_webhook(body: dict[str, Any]) -> None:
        body["nodes"]["track_lookup"]["source"] = {"webhook": {"url": tracking.url, "timeout_ms": 400,
                                                               "cache_seconds": 300}}
        body["nodes"]["track_lookup"]["error"] = "tracking_queue"

    publish_ivr(db, tenant_id, to_webhook)
    return tenant_id


def _track(waybill: str, hangup_after: float | None = None) -> CallerScript:
    # hangup_after is simulated seconds (2 ms each here): the caller waiting in the queue gives up after ~5 s
    return CallerScript(did=DID, caller="13700000077", presses=["1", f"{waybill}#", SILENCE, SILENCE],
                        hangup_after=hangup_after)


def test_answers_are_cached_across_calls_and_a_timeout_reaches_an_agent_queue(
        db: Database, tenant: int, tracking: Tracking) -> None:
    tracking.slow, tracking.asked = False, []  # the server is shared by the SQLite and PostgreSQL runs

    async def scenario():
        async with stack(db) as s:
            first = await s.switch.place_call(_track("7730088880001"))
            again = await s.switch.place_call(_track("7730088880001"))
            tracking.slow = True
            down = await s.switch.place_call(_track("7730088880002", hangup_after=2500))
            return first, again, down

    first, again, down = run(scenario(), timeout=60)
    for record in (first, again):
        heard = "\n".join(record.prompts)
        assert "中转中" in heard and "杭州转运中心01" in heard, heard
    assert tracking.asked.count("7730088880001") == 1  # the second call was answered from the cache
    steps = {r.uuid: call_record(db, tenant, r.uuid).trace["steps"] for r in (first, again)}
    lookups = [next(s for s in steps[r.uuid] if s["node"] == "track_lookup") for r in (first, again)]
    assert [step["info"].get("cache") for step in lookups] == ["miss", "hit"], lookups

    cdr = call_record(db, tenant, down.uuid)
    assert "tracking_queue" in visited(cdr) and "track_result" not in visited(cdr)
    assert cdr.queue == "general"  # the tracking queue node's ACD queue
    assert any(e["node"] == "track_lookup" for e in cdr.trace["errors"])
