"""Sending SMS, e-mail and webhooks through one interface, every attempt kept in the delivery log.

The default provider writes the message to the log and marks it sent, so a fresh installation works
offline; a tenant's own SMS gateway or SMTP server, configured in the admin (message_providers.py), takes
over its channel; code can still register providers (`HttpProvider` POSTs JSON to a gateway or, for
webhooks, to the recipient URL).

Two ways to send:

* `send()` delivers synchronously, one attempt, in the caller's transaction (tests, admin "send now").
* `queue_send()` writes the row as "queued" and hands it to an RQ job (`hotline.platform.jobs.notifications`)
  once the caller's transaction COMMITS: the job retries with back-off and records every attempt on the
  row. The enqueue is an after-commit hook on the session rather than a step left to the caller, because
  the callers (flow actions, ticket rules) run deep inside a `with db.tenant(...)` block where "after the
  commit" is out of reach, a forgotten enqueue would leave the row queued for ever, and enqueuing before
  the commit would let a worker look for a row it cannot see yet (or one a rollback then discards). A
  rolled-back transaction enqueues nothing. `jobs.notifications.enqueue_delivery()` stays public for
  re-sends and for code that commits by other means.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlparse

from sqlalchemy.orm import Session

from .. import commit_hooks, egress
from ..models import Notification, utcnow
from ..scoping import tenant_of
from ..url_guard import AllowList, UnsafeUrl

log = logging.getLogger("hotline.notifications")
CHANNELS = ("sms", "email", "webhook")


#: The provider a queued message of each channel goes through unless the caller names one.
DEFAULT_PROVIDERS = {"sms": "log", "email": "log", "webhook": "webhook"}


class DeliveryError(Exception):
    """A provider could not deliver; the message says why (recorded on the row as last_error)."""


class Provider(Protocol):
    name: str

    def send(self, notification: Notification) -> None:
        """Delivers or raises with the reason."""


class LogProvider:
    """Writes the message to the application log: the offline default."""

    name = "log"

    def send(self, notification: Notification) -> None:
        log.info("%s to %s: %s", notification.channel, notification.to, notification.body)


class HttpProvider:
    """POSTs the message as JSON; any 2xx is delivered, anything else raises `DeliveryError` with the reason.

    With `url` it is a gateway (an SMS or e-mail service's HTTP API) and the recipient goes in the body;
    without, it is a webhook and the notification's `to` is the URL. The request goes through
    `platform.egress`: redirects are not followed (a POST silently turned into a GET is not a delivery, and a
    redirect could bounce the platform to an internal address). Every request carries an `Idempotency-Key`, the same
    for every attempt of one notification, so a receiver can drop the duplicate that a worker crash
    between "sent" and "recorded" can cause.
    """

    def __init__(self, name: str = "webhook", url: str | None = None, timeout: float = 10.0,
                 headers: dict[str, str] | None = None, allow: AllowList | None = None) -> None:
        self.name, self.url, self.timeout = name, url, timeout
        self.headers = dict(headers or {})
        # Tenants type webhook URLs: without this check a webhook could reach the platform's own
        # internal services (SSRF). None reads the operators' allow-list (HOTLINE_URL_ALLOW) at send time.
        self.allow = allow

    def payload(self, notification: Notification) -> dict[str, Any]:
        return {"id": notification.id, "channel": notification.channel, "to": notification.to,
                "subject": notification.subject, "body": notification.body, "origin": notification.origin or {}}

    def send(self, notification: Notification) -> None:
        url = self.url or notification.to
        if urlparse(url).scheme not in ("http", "https"):
            raise DeliveryError(f"not an http(s) URL: {url!r}")
        body = json.dumps(self.payload(notification), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "hotline-notifications",
                   "Idempotency-Key": f"hotline-notification-{notification.tenant_id}-{notification.id}",
                   **self.headers}
        # platform.egress: the SSRF guard, the checked address pinned, no redirects, bounded answer and time.
        try:
            response = egress.fetch(url, method="POST", body=body, headers=headers, allow=self.allow,
                                    timeout=self.timeout, max_bytes=RESPONSE_MAX_BYTES)
        except UnsafeUrl as exc:
            raise DeliveryError(f"refused: {exc}") from None
        except egress.EgressError as exc:
            raise DeliveryError(str(exc)) from None
        if not response.ok:
            detail = response.body[:300].decode("utf-8", "replace").strip()
            raise DeliveryError(f"HTTP {response.status} {response.reason}" + (f": {detail}" if detail else ""))


#: A receiver acknowledges a delivery; nothing it says beyond a short status is needed.
RESPONSE_MAX_BYTES = 64 * 1024

#: Providers by name, for queued messages (the row stores the name; the worker looks it up here).
#: A process that configures a real gateway registers it at start-up, in the web app AND the workers.
PROVIDERS: dict[str, Provider] = {"log": LogProvider(), "webhook": HttpProvider()}


def register_provider(provider: Provider) -> None:
    PROVIDERS[provider.name] = provider


def provider_named(name: str) -> Provider:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise DeliveryError(f"no provider {name!r} is registered in this process") from None


def tenant_provider(session: Session, channel: str) -> Provider | None:
    """The tenant's own active provider of the channel (message_providers.py), if it configured one."""
    if channel == "webhook" or tenant_of(session) is None:
        return None
    from . import message_providers

    row = message_providers.active_for(session, channel)
    return message_providers.build(row) if row is not None else None


def resolve_provider(session: Session, name: str) -> Provider:
    """The provider a delivery-log row names, in its tenant's session: the tenant's own, else a registered one."""
    from . import message_providers

    return message_providers.resolve(session, name)


def _check(channel: str, to: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}: expected one of {', '.join(CHANNELS)}")
    if not to.strip():
        raise ValueError(f"a {channel} needs a recipient")


def send(session: Session, channel: str, to: str, body: str, *, subject: str = "",
         origin: dict[str, Any] | None = None, provider: Provider | None = None) -> Notification:
    """Records the message in the delivery log and sends it; a failure is logged on the row, not raised."""
    _check(channel, to)
    provider = provider or tenant_provider(session, channel) or LogProvider()
    row = Notification(channel=channel, to=to, subject=subject, body=body, provider=provider.name,
                       origin=origin or {})
    session.add(row)
    row.attempts = 1
    try:
        provider.send(row)
    except Exception as exc:  # any provider failure is recorded on the row, not raised
        row.status, row.last_error = "failed", f"{type(exc).__name__}: {exc}"
    else:
        row.status, row.sent_at = "sent", utcnow()
    session.flush()
    return row


def queue_send(session: Session, channel: str, to: str, body: str, *, subject: str = "",
               origin: dict[str, Any] | None = None, queue: Any, provider: str | None = None,
               retry: Any = None) -> Notification:
    """Records the message as "queued" and enqueues its delivery on `queue` (an rq.Queue) after commit.

    `provider` names a registered provider (default: `DEFAULT_PROVIDERS[channel]`); `retry` is an rq.Retry
    (default: `jobs.notifications.DEFAULT_RETRY`). The row is flushed so it has its id; nothing is enqueued
    if the transaction rolls back.
    """
    _check(channel, to)
    if channel == "webhook" and urlparse(to).scheme not in ("http", "https"):
        raise ValueError(f"a webhook needs an http(s) URL, not {to!r}")
    configured = tenant_provider(session, channel) if provider is None else None
    name = provider or (configured.name if configured is not None else DEFAULT_PROVIDERS[channel])
    row = Notification(channel=channel, to=to, subject=subject, body=body, provider=name, origin=origin or {},
                       status="queued", attempts=0)
    session.add(row)
    session.flush()
    tenant_id, notification_id = row.tenant_id, row.id

    def enqueue() -> None:
        from ..jobs.notifications import enqueue_delivery

        enqueue_delivery(queue, tenant_id, notification_id, retry=retry)

    after_commit(session, enqueue)
    return row


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Runs callback once, after this session's outermost transaction commits; a rollback drops it.

    A savepoint's release is not the commit (commit_hooks.py): a job enqueued then could read rows that
    never get committed.
    """
    commit_hooks.defer(session, _CALLBACKS, callback)


def _run_callbacks(_session: Session, callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the data is committed; a failed enqueue leaves the row "queued", never raises here
            log.exception("after-commit action failed (the notification stays queued)")


_CALLBACKS = "notifications.after_commit"
commit_hooks.register(_CALLBACKS, _run_callbacks)
