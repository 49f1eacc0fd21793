"""A tenant's SMS gateway (HTTP, its own request template) and SMTP server, reached for real on this machine."""

from __future__ import annotations

import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import MessageProvider, Notification
from hotline.platform.services import message_providers, notifications
from hotline.platform.services.errors import InvalidDocument
from tests.platform import factories

SMS_TEMPLATE = '{"mobile": "{{to}}", "content": "{{text}}", "sign": "顺达"}'


class Gateway:
    """A local SMS gateway: records each request, answers with `status`."""

    def __init__(self) -> None:
        self.status = 200
        self.requests: list[dict[str, Any]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                reply = b'{"code": 0}' if gateway.status < 300 else b'{"code": 40001, "msg": "sign invalid"}'
                self.send_response(gateway.status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.received.append(envelope)
        return "250 OK"

    def __init__(self) -> None:
        self.received: list[Any] = []


def _authenticator(_server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"kefu", b"s3cret-password")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway()
    yield server
    server.close()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    with socket.socket() as probe:  # aiosmtpd's start() connects to its port, so it needs a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=_authenticator,
                            auth_require_tls=False)
    controller.start()
    yield mailbox, port
    controller.stop()


@pytest.fixture(scope="module")
def tenants(db: Database) -> dict[str, int]:
    with db.platform() as session:
        return {"a": factories.tenant(session, "mp").id, "b": factories.tenant(session, "mp").id}


def _sms_provider(db: Database, tenant_id: int, url: str, name: str = "短信网关") -> int:
    with db.tenant(tenant_id) as session:
        existing = session.query(MessageProvider).filter_by(name=name).one_or_none()
        return message_providers.save(
            session, name=name, channel="sms", actor="admin", secret="Bearer sk-live-0123456789",
            provider_id=existing.id if existing else None,
            settings={"url": url + "/v1/sms?to={{to}}", "method": "POST", "content_type": "application/json",
                      "body_template": SMS_TEMPLATE, "auth_header": "Authorization", "timeout_seconds": 3}).id


def test_an_sms_goes_to_the_tenants_gateway_with_its_template_rendered(db, tenants, gateway) -> None:
    _sms_provider(db, tenants["a"], gateway.url)
    text = '您的快递已到"驿站"，取件码 8-2\\3'
    with db.tenant(tenants["a"]) as session:
        row = notifications.send(session, "sms", "13900000001", text)
    assert (row.status, row.provider, row.last_error) == ("sent", "短信网关", None)
    [request] = gateway.requests
    # each value escaped for where it lands: inside a JSON string, in the URL's query
    assert json.loads(request["body"]) == {"mobile": "13900000001", "content": text, "sign": "顺达"}
    assert request["path"] == "/v1/sms?to=13900000001"
    assert request["headers"]["Authorization"] == "Bearer sk-live-0123456789"


def test_another_tenant_without_a_provider_still_logs_only(db, tenants, gateway) -> None:
    _sms_provider(db, tenants["a"], gateway.url)
    with db.tenant(tenants["b"]) as session:
        row = notifications.send(session, "sms", "13900000002", "乙租户的短信")
    assert (row.status, row.provider) == ("sent", "log")
    assert gateway.requests == []


def test_a_failing_gateway_is_in_the_delivery_log_with_the_reason(db, tenants, gateway) -> None:
    _sms_provider(db, tenants["a"], gateway.url)
    gateway.status = 500
    with db.tenant(tenants["a"]) as session:
        row = notifications.send(session, "sms", "13900000001", "x")
    assert row.status == "failed"
    assert "HTTP 500" in row.last_error and "sign invalid" in row.last_error


def test_a_gateway_on_an_internal_address_is_refused_by_the_ssrf_guard(db, tenants, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_URL_ALLOW", "")
    _sms_provider(db, tenants["a"], "http://169.254.169.254", name="元数据")
    with db.tenant(tenants["a"]) as session:
        sent = message_providers.send_test(
            session, session.query(MessageProvider).filter_by(name="元数据").one().id, "13900000001", "admin")
    assert sent.status == "failed" and "refused" in sent.last_error and "link-local" in sent.last_error


def test_an_email_goes_through_the_tenants_smtp_server(db, tenants, smtp_server) -> None:
    mailbox, port = smtp_server
    with db.tenant(tenants["b"]) as session:
        message_providers.save(session, name="企业邮箱", channel="email", actor="admin", secret="s3cret-password",
                               settings={"host": "127.0.0.1", "port": port, "tls": "none", "user": "kefu",
                                         "sender": "kefu@shunda.example", "timeout_seconds": 5})
    with db.tenant(tenants["b"]) as session:
        row = notifications.send(session, "email", "boss@shunda.example", "工单T000001已超时，请处理。",
                                 subject="工单超时提醒")
    assert (row.status, row.provider) == ("sent", "企业邮箱"), row.last_error
    [envelope] = mailbox.received
    assert envelope.mail_from == "kefu@shunda.example" and envelope.rcpt_tos == ["boss@shunda.example"]
    mail = message_from_bytes(envelope.content, policy=email.policy.default)
    assert mail["Subject"] == "工单超时提醒"
    assert "工单T000001已超时" in mail.get_content()


def test_a_wrong_smtp_password_or_a_closed_port_is_recorded_with_the_reason(db, tenants, smtp_server) -> None:
    _mailbox, port = smtp_server
    with db.tenant(tenants["b"]) as session:
        row = message_providers.save(session, name="错误密码", channel="email", actor="admin", secret="wrong",
                                     active=False, settings={"host": "127.0.0.1", "port": port, "tls": "none",
                                                             "user": "kefu", "sender": "kefu@shunda.example"})
        failed = message_providers.send_test(session, row.id, "boss@shunda.example", "admin")
    assert failed.status == "failed" and "535" in failed.last_error
    with db.tenant(tenants["b"]) as session:
        row.settings = {**row.settings, "port": 1}
        session.add(row)
        closed = message_providers.send_test(session, row.id, "boss@shunda.example", "admin")
    assert closed.status == "failed" and "unreachable" in closed.last_error


def test_a_bad_configuration_is_refused_with_each_field(db, tenants) -> None:
    with db.tenant(tenants["a"]) as session, pytest.raises(InvalidDocument) as refused:
        message_providers.save(session, name="log", channel="sms", actor="admin", secret=None,
                               settings={"url": "ftp://gw", "method": "DELETE", "body_template": "{{ to",
                                         "auth_header": "Bad Header", "timeout_seconds": 99})
    assert {f.pointer for f in refused.value.findings} == {
        "/name", "/settings/url", "/settings/method", "/settings/body_template", "/settings/auth_header",
        "/settings/timeout_seconds"}
    with db.tenant(tenants["a"]) as session, pytest.raises(InvalidDocument) as refused:
        message_providers.save(session, name="邮件", channel="email", actor="admin", secret=None,
                               settings={"host": "a/b", "port": 0, "tls": "maybe", "sender": "nobody"})
    assert {f.pointer for f in refused.value.findings} == {
        "/settings/host", "/settings/port", "/settings/tls", "/settings/sender"}


def test_a_secret_is_never_shown_not_even_in_part() -> None:
    assert message_providers.masked("fernet:gAAAAABn-0123456789") == "Set"
    assert message_providers.masked("") == ""


def test_a_saved_secret_is_sealed_in_the_table_and_opened_for_sending(db: Database, tenants) -> None:
    provider_id = _sms_provider(db, tenants["a"], "https://sms.example.com", name="封存")
    with db.tenant(tenants["a"]) as session:
        stored = session.execute(select(MessageProvider.secret).where(MessageProvider.id == provider_id)).scalar()
        assert stored.startswith("fernet:") and "sk-live" not in stored
        row = session.get(MessageProvider, provider_id)
        assert message_providers.build(row).secret == "Bearer sk-live-0123456789"


def test_a_queued_sms_is_delivered_by_the_worker_through_the_tenants_gateway(
        db, tenants, gateway, queues, worker) -> None:
    _sms_provider(db, tenants["a"], gateway.url)
    with db.tenant(tenants["a"]) as session:
        row = notifications.queue_send(session, "sms", "13900000009", "排队发送", queue=queues.notifications)
    assert row.provider == "短信网关"
    worker.run()
    with db.tenant(tenants["a"]) as session:
        sent = session.get(Notification, row.id)
    assert sent.status == "sent", sent.last_error
    assert json.loads(gateway.requests[-1]["body"])["content"] == "排队发送"
