"""Interactive test calls: the express template's IVR through the real flow engine and the ESL simulator,
one key press per request, with the call waiting for each key."""

from __future__ import annotations

import copy
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import Flask

from hotline.designer.api.test_calls import EXTENSION, manager
from hotline.platform.db import Database
from hotline.platform.url_guard import AllowList
from hotline.runtime.trial.session import TestCallManager
from tests.platform.test_audio_check import wav as audio_check_wav

from ...conftest import REDIS_URL
from ..conftest import Api, World

pytestmark = [pytest.mark.redis, pytest.mark.slow]
#: A Monday morning in Beijing: the express template's business hours are open.
OPEN = "2026-11-23T10:00:00+08:00"
WELCOME = "欢迎致电速达快递客服热线"
MAIN_MENU = "查询快件请按1"
ASK_WAYBILL = "请输入12到15位运单号码"


def texts(state: dict) -> list[str]:
    return [p["text"] for p in state["prompts"]]


def start(api: Api, **extra: object) -> dict:
    response = api.post("/api/test-calls", {"name": "main", "version": "draft", "caller": "13700000001",
                                            "at": OPEN, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_pressing_digits_on_the_express_ivr_reaches_the_expected_prompt(caller_api, world: World) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    state = start(api)
    assert state["status"] == "waiting_input"
    assert state["current_node"] == "main_menu"
    assert any(WELCOME in t for t in texts(state)) and MAIN_MENU in texts(state)[-1]
    assert state["path"][:3] == ["business_hours", "welcome", "vip_check"]

    state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1"}).get_json()
    assert state["status"] == "waiting_input"
    assert state["current_node"] == "track_collect"
    assert ASK_WAYBILL in texts(state)[-1]

    # A waybill typed key by key: the call keeps waiting in the same collect until the terminator.
    for key in "773001234560":
        state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": key}).get_json()
        assert state["status"] == "waiting_input" and state["current_node"] == "track_collect"
    state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1#"}).get_json()
    assert state["variables"]["waybill"] == "7730012345601"
    assert state["variables"]["status"] == "派送中"
    assert any("当前状态：派送中" in t for t in texts(state))
    assert state["current_node"] == "track_menu"
    assert "track_lookup" in state["path"]

    state = api.write("delete", f"/api/test-calls/{state['id']}").get_json()
    assert state["status"] == "ended"
    assert state["outcome"] == "caller_hangup"


def test_a_draft_change_is_heard_without_publishing(caller_api, world: World, app: Flask) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    doc = api.get("/api/documents/ivr/main").get_json()
    draft = copy.deepcopy(doc["draft"])
    draft["nodes"]["main_menu"]["prompt"] = {"text": "草稿里的新菜单：查件请按1。"}
    saved = api.put("/api/documents/ivr/main/draft", {"body": draft, "base_revision": doc["draft_revision"]})
    assert saved.status_code == 200
    try:
        state = start(api)
        assert texts(state)[-1] == "草稿里的新菜单：查件请按1。"
        published = start(api, version=doc["published_version"])
        assert MAIN_MENU in texts(published)[-1]
        assert api.get("/api/documents/ivr/main").get_json()["published_version"] == doc["published_version"]
    finally:
        current = api.get("/api/documents/ivr/main").get_json()
        api.put("/api/documents/ivr/main/draft", {"body": doc["draft"], "base_revision": current["draft_revision"]})
        for live in list(manager(app).calls.values()):
            manager(app).hangup(live.tenant_id, live.id)


def test_a_recorded_prompt_comes_with_its_audio_url(caller_api, world: World, tmp_path) -> None:
    api = caller_api(world.admin_a, world.tenant_a)
    api.client.application.config["HOTLINE_PROMPT_DIR"] = str(tmp_path)
    wav = audio_check_wav(0.5)  # real audio: uploads are decoded, not only sniffed
    uploaded = api.client.post("/api/prompts", data={"name": "welcome", "audio": (io.BytesIO(wav), "w.wav")},
                               headers={"X-CSRFToken": api.token}, content_type="multipart/form-data")
    assert uploaded.status_code == 200, uploaded.get_json()
    state = start(api)
    welcome = next(p for p in state["prompts"] if p["node"] == "welcome")
    assert WELCOME in welcome["text"] and welcome["audio_url"] == "/api/prompts/welcome/audio"
    assert next(p for p in state["prompts"] if p["node"] == "main_menu")["audio_url"] is None
    assert api.get(welcome["audio_url"]).data == wav
    api.write("delete", f"/api/test-calls/{state['id']}")


def test_test_call_writes_need_the_csrf_token(caller_api, world: World) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    assert api.post("/api/test-calls", {"name": "main", "at": OPEN}, csrf=False).status_code == 400
    state = start(api)
    assert api.write("delete", f"/api/test-calls/{state['id']}", csrf=False).status_code == 400
    assert api.get(f"/api/test-calls/{state['id']}").get_json()["status"] == "waiting_input"
    assert api.write("delete", f"/api/test-calls/{state['id']}").get_json()["status"] == "ended"


def test_another_tenants_test_call_is_not_found(caller_api, world: World, calls_app: Flask) -> None:
    a = caller_api(world.analyst_a, world.tenant_a)
    state = start(a)
    b = caller_api(world.analyst_b, world.tenant_b)
    for method, url, body in (("get", f"/api/test-calls/{state['id']}", None),
                              ("post", f"/api/test-calls/{state['id']}/digits", {"digits": "1"}),
                              ("delete", f"/api/test-calls/{state['id']}", None)):
        response = b.write(method, url, body)
        assert response.status_code == 404, (method, url)
    assert a.get(f"/api/test-calls/{state['id']}").get_json()["status"] == "waiting_input"
    a.write("delete", f"/api/test-calls/{state['id']}")


def test_an_agent_may_run_a_test_call_but_bad_input_is_refused_clearly(caller_api, world: World) -> None:
    api = caller_api(world.agent_a, world.tenant_a)
    assert api.post("/api/test-calls", {"name": "nope", "at": OPEN}).status_code == 404
    bad = api.post("/api/test-calls", {"name": "main", "version": 0})
    assert bad.status_code == 400 and "version" in bad.get_json()["error"]
    bad = api.post("/api/test-calls", {"name": "main", "caller": "abc"})
    assert bad.status_code == 400 and "caller" in bad.get_json()["error"]
    bad = api.post("/api/test-calls", {"name": "main", "at": "2026-11-23T25:00"})
    assert bad.status_code == 400 and "2026-11-23T25:00" in bad.get_json()["error"]  # what was typed, named back
    state = start(api)
    bad = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "12a"})
    assert bad.status_code == 400 and "「a」" in bad.get_json()["error"]  # the key a phone lacks, named
    assert api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1"}, csrf=False).status_code == 400
    api.write("delete", f"/api/test-calls/{state['id']}")
    ended = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1"})
    assert ended.status_code == 409


def test_test_calls_are_limited_per_user(caller_api, world: World, calls_app: Flask) -> None:
    api = caller_api(world.supervisor_a, world.tenant_a)
    calls: TestCallManager = calls_app.extensions[EXTENSION]
    ids = [start(api)["id"] for _ in range(calls.per_user)]
    refused = api.post("/api/test-calls", {"name": "main", "at": OPEN})
    assert refused.status_code == 429
    for call_id in ids:
        api.write("delete", f"/api/test-calls/{call_id}")
    assert api.post("/api/test-calls", {"name": "main", "at": OPEN}).status_code == 201


def test_an_invalid_draft_is_refused_with_its_findings(caller_api, world: World) -> None:
    api = caller_api(world.admin_a, world.tenant_a)
    created = api.post("/api/documents", {"kind": "ivr", "name": "broken", "body": {"title": "x", "nodes": {}}})
    assert created.status_code == 201
    refused = api.post("/api/test-calls", {"name": "broken"})
    assert refused.status_code == 422
    assert refused.get_json()["findings"]


def test_a_test_call_creates_no_ticket_sends_no_sms_and_leaves_no_call_record(caller_api, world: World,
                                                                               db: Database, unique) -> None:
    from sqlalchemy import func, select

    from hotline.platform.models import CallRecord, Notification, Ticket

    api = caller_api(world.analyst_a, world.tenant_a)
    name = unique("ivr")
    body = {"title": "dry run", "start": "ask", "fallback": "bye", "nodes": {
        "ask": {"type": "collect", "prompt": {"text": "请输入房号"}, "variable": "room", "min_digits": 1,
                "max_digits": 4, "terminator": "#", "next": "make", "fallback": "bye"},
        "make": {"type": "ticket", "form": "consultation", "fields": {"question": "房号{{room}}"},
                 "variable": "ticket_no", "next": "text"},
        "text": {"type": "sms", "text": "已受理{{ticket_no}}", "next": "bye"},
        "bye": {"type": "hangup", "prompt": {"text": "再见"}}}}
    assert api.post("/api/documents", {"kind": "ivr", "name": name, "body": body}).status_code == 201

    def counts() -> tuple[int, int, int]:
        with db.platform() as session:
            return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Ticket, Notification,
                                                                                      CallRecord))

    before = counts()
    state = api.post("/api/test-calls", {"name": name}).get_json()
    assert state["current_node"] == "ask" and state["prompts"][-1]["text"] == "请输入房号"
    state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1203#"}).get_json()
    assert state["status"] == "ended" and state["outcome"] == "completed"
    assert state["variables"] == {"room": "1203", "ticket_no": "TEST-1"}
    assert state["path"] == ["ask", "make", "text", "bye"]
    kinds = {e["type"]: e for e in state["events"]}
    assert kinds["ticket"]["fields"] == {"question": "房号1203"} and kinds["ticket"]["dry_run"] is True
    assert kinds["sms"]["text"] == "已受理TEST-1" and kinds["sms"]["to"] == "13800138000"
    assert [p["text"] for p in state["prompts"]] == ["请输入房号", "再见"]
    assert counts() == before


def test_an_idle_test_call_hangs_up_by_itself(calls_app: Flask, world: World, db: Database) -> None:
    import time
    from datetime import datetime

    from hotline.platform.redis_conn import connect
    from hotline.platform.services.tenants import get_tenant

    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    calls = TestCallManager(db, connect(REDIS_URL), idle_seconds=1.0, settle_seconds=5.0)
    try:
        state = calls.start(tenant_id, "someone", "main", "draft", "13700000009", at=datetime.fromisoformat(OPEN))
        assert state["status"] == "waiting_input"
        deadline = time.monotonic() + 10
        while calls.calls[state["id"]].status != "ended" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert calls.calls[state["id"]].status == "ended"
        assert calls.state(tenant_id, state["id"])["outcome"] == "caller_hangup"
    finally:
        calls.close()


def test_hanging_up_while_waiting_in_a_queue_ends_the_call_cleanly(caller_api, world: World, unique) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    name = unique("ivr")
    body = {"title": "queue wait", "start": "wait", "fallback": "bye", "nodes": {
        "wait": {"type": "queue", "queue": "general", "timeout_seconds": 60, "after": "bye", "overflow": "bye"},
        "bye": {"type": "hangup", "prompt": {"text": "再见"}}}}
    created = api.post("/api/documents", {"kind": "ivr", "name": name, "body": body})
    assert created.status_code == 201, created.get_json()
    started = api.post("/api/test-calls", {"name": name})
    assert started.status_code == 201, started.get_json()
    state = started.get_json()
    assert state["status"] != "ended" and state["current_node"] == "wait", state
    ended = api.write("delete", f"/api/test-calls/{state['id']}")
    assert ended.status_code == 200, ended.get_data(as_text=True)
    assert ended.get_json()["status"] == "ended"


def test_no_input_times_the_menu_out_and_too_many_digits_are_refused_in_words(caller_api, world: World) -> None:
    """Issue 16: no way to test a caller who presses nothing; a longer entry was silently cut."""
    api = caller_api(world.analyst_a, world.tenant_a)
    state = start(api)
    heard = len(state["prompts"])
    assert state["current_node"] == "main_menu"
    state = api.post(f"/api/test-calls/{state['id']}/no-input").get_json()
    # The menu's time-out: it asks again (a retry) and still waits at the menu.
    assert state["status"] == "waiting_input" and state["current_node"] == "main_menu"
    assert len(state["prompts"]) > heard
    assert any(e.get("action") == "no-input" for e in state["events"]) or len(state["prompts"]) > heard

    state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1"}).get_json()
    assert state["current_node"] == "track_collect"
    response = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "7730012345601234"})
    assert response.status_code == 400
    assert "最多收 15 位，您输入了 16 位" in response.get_json()["error"]
    state = api.get(f"/api/test-calls/{state['id']}").get_json()
    assert state["current_node"] == "track_collect" and "waybill" not in state["variables"]
    api.write("delete", f"/api/test-calls/{state['id']}")


class _Tracking:
    """A tenant's tracking system on 127.0.0.2 (allow-listed below); counts the requests that reach it."""

    def __init__(self, answer: tuple[int, dict[str, str]] = (200, {"status": "派送中"})) -> None:
        self.asked: list[str] = []
        tracking, (status, headers) = self, answer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                tracking.asked.append(self.path)
                body = json.dumps({"status": "测试网关在途", "location": "杭州", "eta": "明天"}).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.2:{self.server.server_address[1]}/track"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _track_by_webhook(api: Api, url: str) -> dict:
    """Starts a draft test call whose waybill lookup asks `url`, and types a waybill."""
    doc = api.get("/api/documents/ivr/main").get_json()
    draft = copy.deepcopy(doc["draft"])
    draft["nodes"]["track_lookup"]["source"] = {"webhook": {"url": url, "timeout_ms": 2000}}
    saved = api.put("/api/documents/ivr/main/draft", {"body": draft, "base_revision": doc["draft_revision"]})
    assert saved.status_code == 200, saved.get_json()
    try:
        state = start(api)
        state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1"}).get_json()
        state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "7730012345601#"}).get_json()
        api.write("delete", f"/api/test-calls/{state['id']}")
        return state
    finally:
        current = api.get("/api/documents/ivr/main").get_json()
        api.put("/api/documents/ivr/main/draft", {"body": doc["draft"], "base_revision": current["draft_revision"]})


@pytest.mark.parametrize("case", ["allowed", "loopback", "redirect"])
def test_a_webhook_lookup_in_a_test_call_is_called_through_the_egress_rules(
        caller_api, world: World, calls_app: Flask, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """QA 10.2: test calls took `not_found` for every webhook lookup without calling it; an allowed host must
    be called, a refused URL or a redirect must take the node's `error` branch with a trace line saying why."""
    allow = AllowList.parse(["127.0.0.2/32"])
    monkeypatch.setenv("HOTLINE_URL_ALLOW", "127.0.0.2/32")
    monkeypatch.setattr(manager(calls_app), "allow", allow)
    answer = (302, {"Location": "http://127.0.0.1:6379/"}) if case == "redirect" else (200, {})
    tracking = _Tracking(answer)
    try:
        api = caller_api(world.analyst_a, world.tenant_a)
        url = tracking.url.replace("127.0.0.2", "127.0.0.1") if case == "loopback" else tracking.url
        state = _track_by_webhook(api, url)
    finally:
        tracking.close()
    if case == "allowed":
        assert len(tracking.asked) == 1 and "key=7730012345601" in tracking.asked[0]
        assert state["variables"]["status"] == "测试网关在途"
        assert "track_result" in state["path"] and "track_not_found" not in state["path"]
        return
    assert "track_not_found" not in state["path"] and "track_result" not in state["path"]
    assert "system_fallback" in state["path"], state["path"]
    why = json.dumps(state["errors"], ensure_ascii=False)
    assert "track_lookup" in why
    assert ("loopback" in why) if case == "loopback" else ("redirect" in why.lower())
    if case == "loopback":
        assert tracking.asked == []
