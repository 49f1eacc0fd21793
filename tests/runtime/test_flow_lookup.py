"""Lookup node: table, built-in and webhook sources; found, not found, error target, timeouts.

The webhook tests talk HTTP to a real standard-library server on a loopback port; its /slow path
sleeps longer than the node's timeout to force one.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from hotline.runtime.flow import InMemoryServices, webhook_hanging, webhook_raising

from .flow_helpers import flow, run_flow

WAYBILLS = {"1234567890": {"status": "in transit", "city": "Hangzhou", "courier": {"name": "Li"}}}


class _Handler(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _reply(self, status: int, payload) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, key: str) -> None:
        path = urlparse(self.path).path
        self.seen.append({"method": self.command, "path": path, "key": key,
                          "token": self.headers.get("X-Token")})
        if path == "/slow":
            time.sleep(1.0)
        if path == "/broken":
            self._reply(500, {"error": "boom"})
        elif path == "/list":
            self._reply(200, [1, 2])
        elif key in WAYBILLS:
            self._reply(200, WAYBILLS[key])
        else:
            self._reply(404, {"error": "unknown waybill"})

    def do_GET(self):
        self._answer(parse_qs(urlparse(self.path).query).get("key", [""])[0])

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self._answer(json.loads(self.rfile.read(length))["key"])


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the client gave up on /slow: expected
        pass


@pytest.fixture(scope="module")
def webhook_url():
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _lookup_flow(source, *, key="{{waybill}}", with_error=True, assign=None):
    node = {"type": "lookup", "source": source, "key": key,
            "assign": assign if assign is not None else {"status": "status", "city": "city"},
            "found": "found", "not_found": "not_found"}
    if with_error:
        node["error"] = "lookup_error"
    return flow({
        "start": {"type": "set", "values": {"waybill": "1234567890"}, "next": "look"},
        "look": node,
        "found": {"type": "hangup", "prompt": {"text": "Your parcel is {{status}} in {{city}}."}},
        "not_found": {"type": "hangup", "prompt": {"text": "We cannot find {{waybill}}."}},
        "lookup_error": {"type": "hangup", "prompt": {"text": "Tracking is not available now."}},
    }, "start")


def _with_waybill(body, waybill):
    body["nodes"]["start"]["values"]["waybill"] = waybill
    return body


def test_table_found_assigns_fields_and_goes_to_found():
    services = InMemoryServices(tables={"waybills": WAYBILLS})
    result, channel, _ = run_flow(_lookup_flow({"table": "waybills"}), services=services)
    assert result.variables["status"] == "in transit"
    assert result.variables["city"] == "Hangzhou"
    assert channel.heard == ["Your parcel is in transit in Hangzhou."]
    assert result.trace.steps[1]["info"]["found"] is True


def test_table_not_found_goes_to_not_found():
    services = InMemoryServices(tables={"waybills": WAYBILLS})
    result, channel, _ = run_flow(_with_waybill(_lookup_flow({"table": "waybills"}), "999"), services=services)
    assert result.trace.path[-1] == "not_found"
    assert channel.heard == ["We cannot find 999."]
    assert "status" not in result.variables


def test_empty_key_is_not_found_without_asking_the_source():
    services = InMemoryServices(webhook=webhook_raising(AssertionError("must not be called")))
    body = _lookup_flow({"webhook": {"url": "http://127.0.0.1:9/x"}}, key="{{nothing}}")
    result, _, _ = run_flow(body, services=services)
    assert result.trace.path[-1] == "not_found"
    assert services.webhook_calls == []


def test_dotted_assign_reaches_nested_fields_and_missing_fields_read_empty():
    services = InMemoryServices(tables={"waybills": WAYBILLS})
    body = _lookup_flow({"table": "waybills"}, assign={"status": "courier.name", "city": "eta"})
    result, channel, _ = run_flow(body, services=services)
    assert result.variables["status"] == "Li"
    assert result.variables["city"] == ""
    assert channel.heard == ["Your parcel is Li in ."]
    assert result.trace.steps[1]["info"]["missing_fields"] == ["eta"]


def test_builtin_ticket_and_customer_sources():
    services = InMemoryServices(tickets={"T1": {"status": "processing"}},
                                customers={"13800138000": {"name": "Wang", "status": "vip"}})
    body = _lookup_flow({"builtin": "ticket"}, key="T1", assign={"status": "status"})
    result, _, _ = run_flow(body, services=services)
    assert result.variables["status"] == "processing"
    body = _lookup_flow({"builtin": "customer"}, key="{{call.caller}}", assign={"city": "name"})
    result, _, _ = run_flow(body, services=services)
    assert result.variables["city"] == "Wang"


def test_source_error_goes_to_error_target_and_is_traced():
    services = InMemoryServices(tables={})  # the table is gone: the source raises
    result, channel, _ = run_flow(_lookup_flow({"table": "waybills"}), services=services)
    assert result.trace.path[-1] == "lookup_error"
    assert channel.heard == ["Tracking is not available now."]
    assert result.error["node"] == "look"
    assert result.error["to"] == "lookup_error"
    assert "waybills" in result.error["reason"]


def test_source_error_without_error_target_goes_to_document_fallback():
    services = InMemoryServices(webhook=webhook_raising(ConnectionRefusedError("refused")))
    body = _lookup_flow({"webhook": {"url": "http://127.0.0.1:9/x"}}, with_error=False)
    result, _channel, _ = run_flow(body, services=services)
    assert result.trace.path[-1] == "sorry"
    assert result.error == {**result.error, "node": "look", "type": "lookup", "to": "sorry"}
    assert "refused" in result.error["reason"]


def test_hanging_source_is_cut_by_the_timeout():
    services = InMemoryServices(webhook=webhook_hanging())
    body = _lookup_flow({"webhook": {"url": "http://127.0.0.1:9/x", "timeout_ms": 100}})
    started = time.perf_counter()
    result, _, _ = run_flow(body, services=services)
    assert time.perf_counter() - started < 2
    assert result.trace.path[-1] == "lookup_error"
    assert "Timeout" in result.error["reason"]


def test_slow_table_is_cut_by_the_engine_default_timeout():
    class SlowTables(InMemoryServices):
        async def lookup_table(self, table, key):
            await asyncio.sleep(5)

    result, _, _ = run_flow(_lookup_flow({"table": "waybills"}), services=SlowTables(), lookup_timeout_ms=50)
    assert result.trace.path[-1] == "lookup_error"


def test_webhook_get_found_over_http(webhook_url):
    body = _lookup_flow({"webhook": {"url": f"{webhook_url}/waybill", "headers": {"X-Token": "s3cret"}}})
    _result, channel, _ = run_flow(body)
    assert channel.heard == ["Your parcel is in transit in Hangzhou."]
    assert _Handler.seen[-1] == {"method": "GET", "path": "/waybill", "key": "1234567890", "token": "s3cret"}


def test_webhook_post_sends_the_key_as_json(webhook_url):
    body = _lookup_flow({"webhook": {"url": f"{webhook_url}/waybill", "method": "POST"}})
    result, _, _ = run_flow(body)
    assert result.variables["city"] == "Hangzhou"
    assert _Handler.seen[-1]["method"] == "POST"


def test_webhook_404_is_not_found(webhook_url):
    body = _with_waybill(_lookup_flow({"webhook": {"url": f"{webhook_url}/waybill"}}), "000")
    result, _, _ = run_flow(body)
    assert result.trace.path[-1] == "not_found"
    assert result.trace.errors == []


def test_webhook_timeout_over_http_goes_to_error(webhook_url):
    body = _lookup_flow({"webhook": {"url": f"{webhook_url}/slow", "timeout_ms": 200}})
    started = time.perf_counter()
    result, _, _ = run_flow(body)
    assert time.perf_counter() - started < 0.9  # did not wait for the server's 1 s
    assert result.trace.path[-1] == "lookup_error"
    assert result.error["reason"].startswith("TimeoutError")


@pytest.mark.parametrize("path", ["/broken", "/list"])
def test_webhook_server_error_or_bad_data_goes_to_error(webhook_url, path):
    result, _, _ = run_flow(_lookup_flow({"webhook": {"url": f"{webhook_url}{path}"}}))
    assert result.trace.path[-1] == "lookup_error"
    assert result.error["node"] == "look"
