"""A tenant's message providers: the HTTP SMS gateway and the SMTP server its SMS and e-mail go out through.

A tenant admin configures them (admin "Message providers"); without an active one for a channel, messages
of that channel go to the log as before (notifications.LogProvider), so a fresh tenant works offline.

* An **HTTP gateway** (SMS): URL, method, a body template and content type, an auth header. Gateways differ
  in everything, so the request is the tenant's template — `{{to}}`, `{{text}}`, `{{subject}}`, `{{id}}` —
  with each value escaped for where it lands (inside a JSON string, a form field, the URL's query).
* **SMTP** (e-mail): host, port, TLS (STARTTLS, implicit TLS or none), user and password, sender.

Both reach addresses a tenant typed, so both go through the SSRF guard (url_guard.check_url; HTTP through
platform.egress), and SMTP connects to the very address the guard checked. The secret (auth header value,
SMTP password) is stored apart from the settings and never shown back in full (`masked`).
"""

from __future__ import annotations

import json
import re
import smtplib
import socket
import ssl
import urllib.parse
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from .. import egress, secret_box, template_limits, templating
from ..db import DATABASE
from ..findings import Finding
from ..models import MessageProvider, Notification
from ..url_guard import AllowList, UnsafeUrl, allow_list_from_env, check_url
from . import audit, notifications
from .errors import InvalidDocument, NotFound

KINDS = {"sms": "http", "email": "smtp"}
METHODS = ("POST", "GET", "PUT")
CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/plain")
TLS_MODES = ("starttls", "ssl", "none")
MAX_TEMPLATE = 2000
MAX_TIMEOUT = 30.0
RESPONSE_MAX_BYTES = 64 * 1024
#: Names the platform's own providers use; a tenant's provider may not take them.
RESERVED_NAMES = frozenset(notifications.PROVIDERS) | {"log", "webhook"}
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


# -- escaping a value for where it lands in the gateway's request --------------------------------------------

def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


ESCAPERS: dict[str, Callable[[str], str]] = {
    "application/json": _json_string,
    "application/x-www-form-urlencoded": lambda v: urllib.parse.quote_plus(v, safe=""),
    "text/plain": lambda v: v,
}


def _values(notification: Notification, escape: Callable[[str], str]) -> dict[str, str]:
    return {"to": escape(notification.to), "text": escape(notification.body or ""),
            "subject": escape(notification.subject or ""), "id": escape(str(notification.id or ""))}


class TemplatedHttpProvider:
    """An SMS gateway reached by HTTP with the tenant's own request template; 2xx is delivered."""

    def __init__(self, name: str, settings: Mapping[str, Any], secret: str = "",
                 allow: AllowList | None = None) -> None:
        self.name, self.settings, self.secret, self.allow = name, dict(settings), secret, allow

    def request(self, notification: Notification) -> tuple[str, str, bytes | None, dict[str, str]]:
        """The URL, method, body and headers this notification is sent with."""
        s = self.settings
        url = templating.render(s["url"], _values(notification, lambda v: urllib.parse.quote(v, safe="")))
        method = s.get("method", "POST")
        content_type = s.get("content_type", "application/json")
        body = None
        if method != "GET":
            text = templating.render(s.get("body_template", ""), _values(notification, ESCAPERS[content_type]))
            body = text.encode()
        headers = {"Content-Type": f"{content_type}; charset=utf-8", "User-Agent": "hotline-notifications",
                   "Idempotency-Key": f"hotline-notification-{notification.tenant_id}-{notification.id}"}
        if s.get("auth_header") and self.secret:
            headers[s["auth_header"]] = self.secret
        return url, method, body, headers

    def send(self, notification: Notification) -> None:
        url, method, body, headers = self.request(notification)
        try:
            response = egress.fetch(url, method=method, body=body, headers=headers, allow=self.allow,
                                    timeout=float(self.settings.get("timeout_seconds", 10)),
                                    max_bytes=RESPONSE_MAX_BYTES)
        except UnsafeUrl as exc:
            raise notifications.DeliveryError(f"refused: {exc}") from None
        except egress.EgressError as exc:
            raise notifications.DeliveryError(str(exc)) from None
        if not response.ok:
            detail = response.body[:300].decode("utf-8", "replace").strip()
            raise notifications.DeliveryError(f"gateway answered HTTP {response.status} {response.reason}"
                                              + (f": {detail}" if detail else ""))


class _PinnedSMTP(smtplib.SMTP):
    """SMTP to the address the guard checked, while TLS still verifies the host's name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((self._address, port), timeout)


class _PinnedSMTPSSL(smtplib.SMTP_SSL):
    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout, context=context)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = socket.create_connection((self._address, port), timeout)
        return self.context.wrap_socket(sock, server_hostname=self._host)


class SmtpProvider:
    """E-mail through the tenant's SMTP server; any SMTP refusal or connection error is the reason."""

    def __init__(self, name: str, settings: Mapping[str, Any], secret: str = "",
                 allow: AllowList | None = None, ssl_context: ssl.SSLContext | None = None) -> None:
        self.name, self.settings, self.secret, self.allow = name, dict(settings), secret, allow
        self.ssl_context = ssl_context

    def message(self, notification: Notification) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings["sender"]
        message["To"] = notification.to
        message["Subject"] = notification.subject or ""
        message.set_content(notification.body or "")
        return message

    def send(self, notification: Notification) -> None:
        s = self.settings
        host, port, tls = s["host"], int(s.get("port", 587)), s.get("tls", "starttls")
        timeout = float(s.get("timeout_seconds", 10))
        allow = self.allow if self.allow is not None else allow_list_from_env()
        # The guard checks http(s) URLs; the question it answers — may the platform connect to this host? —
        # is the same for SMTP, so the host is checked as a URL with its port.
        try:
            addresses = check_url(f"https://{_host_for_url(host)}:{port}/", allow) or _resolve(host, port)
        except UnsafeUrl as exc:
            raise notifications.DeliveryError(f"refused: {exc}") from None
        context = self.ssl_context or ssl.create_default_context()
        try:
            if tls == "ssl":
                client: smtplib.SMTP = _PinnedSMTPSSL(host, port, addresses[0], timeout, context)
            else:
                client = _PinnedSMTP(host, port, addresses[0], timeout)
            with client:
                if tls == "starttls":
                    client.starttls(context=context)
                if s.get("user"):
                    client.login(s["user"], self.secret)
                client.send_message(self.message(notification))
        except smtplib.SMTPException as exc:
            raise notifications.DeliveryError(f"SMTP {host}:{port} refused: {exc}") from None
        except (OSError, ssl.SSLError) as exc:
            raise notifications.DeliveryError(f"SMTP {host}:{port} unreachable: {exc}") from None


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _resolve(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _box(session: Session | None) -> Any:
    database = session.info.get(DATABASE) if session is not None else None
    return database.secrets if database is not None else None


def build(row: MessageProvider, allow: AllowList | None = None) -> notifications.Provider:
    """The provider object a configured row describes, its secret opened (secret_box.py)."""
    try:
        secret = secret_box.open_secret(_box(object_session(row)), row.secret)
    except secret_box.SecretUnreadable as exc:
        raise notifications.DeliveryError(f"provider {row.name!r}: {exc}") from None
    if row.kind == "smtp":
        return SmtpProvider(row.name, row.settings or {}, secret, allow)
    return TemplatedHttpProvider(row.name, row.settings or {}, secret, allow)


# -- choosing the provider -----------------------------------------------------------------------------------

def active_for(session: Session, channel: str) -> MessageProvider | None:
    """The tenant's active provider of a channel (the first configured, when several are active)."""
    return session.scalar(select(MessageProvider).where(MessageProvider.channel == channel,
                                                        MessageProvider.active.is_(True))
                          .order_by(MessageProvider.id).limit(1))


def resolve(session: Session, name: str) -> notifications.Provider:
    """The provider a delivery-log row names: the tenant's own by that name, else a registered one."""
    row = session.scalar(select(MessageProvider).where(MessageProvider.name == name))
    return build(row) if row is not None else notifications.provider_named(name)


# -- administration -------------------------------------------------------------------------------------------

#: What the administration shows for a stored secret (translated there): never any of it.
SECRET_SET = "Set"


def masked(secret: str | None) -> str:
    """A secret as the admin shows it: only whether one is stored, never any character of it."""
    return SECRET_SET if secret else ""


def validate(name: str, channel: str, settings: Mapping[str, Any]) -> list[Finding]:
    """Every problem with a provider's configuration, each at its field (/settings/url…)."""
    findings: list[Finding] = []

    def bad(pointer: str, message: str, code: str = "invalid") -> None:
        findings.append(Finding(pointer, "error", message, code))

    if not name or len(name) > 32:
        bad("/name", "a name of 1 to 32 characters is needed", "length")
    elif name in RESERVED_NAMES:
        bad("/name", f"{name!r} is the platform's own provider; choose another name", "reserved")
    if channel not in KINDS:
        bad("/channel", "the channel is SMS or e-mail", "enum")
        return findings
    if channel == "sms":
        url = str(settings.get("url") or "")
        if not url:
            bad("/settings/url", "the gateway's URL is needed", "required")
        elif len(url) > 500 or urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            bad("/settings/url", "an http(s) URL of at most 500 characters", "format")
        elif (error := templating.check(url) or template_limits.unbounded(url)) is not None:
            bad("/settings/url", error, "template")
        if settings.get("method", "POST") not in METHODS:
            bad("/settings/method", f"one of {', '.join(METHODS)}", "enum")
        if settings.get("content_type", "application/json") not in CONTENT_TYPES:
            bad("/settings/content_type", f"one of {', '.join(CONTENT_TYPES)}", "enum")
        body = str(settings.get("body_template") or "")
        if len(body) > MAX_TEMPLATE:
            bad("/settings/body_template", f"at most {MAX_TEMPLATE} characters", "length")
        elif (error := templating.check(body) or template_limits.unbounded(body)) is not None:
            # The documents' publish-time lint (template_limits): a loop or product that would only stop at
            # the render bounds is refused here, not found at every send (QA of issue 10, item 4).
            bad("/settings/body_template", error, "template")
        elif settings.get("method", "POST") != "GET" and "text" not in templating.referenced_names(body):
            bad("/settings/body_template", "the template must place the message: {{text}}", "required")
        header = settings.get("auth_header") or ""
        if header and not _HEADER_NAME.match(header):
            bad("/settings/auth_header", "a header name: letters, digits and '-'", "format")
    else:
        host = str(settings.get("host") or "")
        if not host or len(host) > 255 or any(c in host for c in "/@ ?#"):
            bad("/settings/host", "the SMTP server's host name or address", "format")
        port = settings.get("port", 587)
        if not isinstance(port, int) or not 1 <= port <= 65535:
            bad("/settings/port", "a port from 1 to 65535", "range")
        if settings.get("tls", "starttls") not in TLS_MODES:
            bad("/settings/tls", f"one of {', '.join(TLS_MODES)}", "enum")
        if not _EMAIL.match(str(settings.get("sender") or "")):
            bad("/settings/sender", "the sender's e-mail address", "format")
        if len(str(settings.get("user") or "")) > 200:
            bad("/settings/user", "at most 200 characters", "length")
    timeout = settings.get("timeout_seconds", 10)
    if not isinstance(timeout, int | float) or not 0 < timeout <= MAX_TIMEOUT:
        bad("/settings/timeout_seconds", f"more than 0 and at most {MAX_TIMEOUT:g} seconds", "range")
    return findings


def save(session: Session, *, name: str, channel: str, settings: Mapping[str, Any], secret: str | None,
         actor: str, active: bool = True, provider_id: int | None = None) -> MessageProvider:
    """Creates or updates a provider; `secret` None keeps the stored one. InvalidDocument lists every bad field."""
    findings = validate(name, channel, settings)
    if secret is not None and len(secret) > 2000:
        findings.append(Finding("/secret", "error", "at most 2000 characters", "length"))
    clash = session.scalar(select(MessageProvider).where(MessageProvider.name == name))
    if clash is not None and clash.id != provider_id:
        findings.append(Finding("/name", "error", "another provider has this name", "unique"))
    if findings:
        raise InvalidDocument("the message provider is not valid", findings)
    row = MessageProvider() if provider_id is None else session.get(MessageProvider, provider_id)
    if row is None:
        raise NotFound(f"message provider #{provider_id} not found")
    row.name, row.channel, row.kind, row.active = name, channel, KINDS[channel], active
    row.settings = dict(settings)
    if secret is not None:
        box = _box(session)
        if box is None:
            raise InvalidDocument("the message provider is not valid", [Finding(
                "/secret", "error", "this server has no web.secret_key, so secrets cannot be stored safely",
                "configuration")])
        row.secret = box.seal(secret)
    if provider_id is None:
        session.add(row)
    session.flush()
    audit.record(session, actor, "message_provider.save", "message_provider", name,
                 {"channel": channel, "settings": dict(settings), "secret_changed": secret is not None})
    return row


TEST_TEXT = {"sms": "【热线平台】这是一条测试短信。", "email": "这是一封来自热线平台的测试邮件。"}


def send_test(session: Session, provider_id: int, to: str, actor: str) -> Notification:
    """Sends a test message through one provider, now; the outcome (and any reason) is in the delivery log."""
    row = session.get(MessageProvider, provider_id)
    if row is None:
        raise NotFound(f"message provider #{provider_id} not found")
    sent = notifications.send(session, row.channel, to, TEST_TEXT[row.channel],
                              subject="热线平台测试邮件" if row.channel == "email" else "",
                              origin={"provider_test": row.name}, provider=build(row))
    audit.record(session, actor, "message_provider.test", "message_provider", row.name,
                 {"to": to, "status": sent.status})
    return sent
