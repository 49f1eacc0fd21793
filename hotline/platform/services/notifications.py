"""Sending SMS, e-mail and webhooks through one interface, every attempt kept in the delivery log.

The default provider writes the message to the log and marks it sent, so a fresh installation works
offline; real gateways plug in as providers. (RQ jobs with retries come with the agent desk.)
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from sqlalchemy.orm import Session

from ..models import Notification, utcnow

log = logging.getLogger("hotline.notifications")
CHANNELS = ("sms", "email", "webhook")


class Provider(Protocol):
    name: str

    def send(self, notification: Notification) -> None:
        """Delivers or raises with the reason."""


class LogProvider:
    """Writes the message to the application log: the offline default."""

    name = "log"

    def send(self, notification: Notification) -> None:
        log.info("%s to %s: %s", notification.channel, notification.to, notification.body)


def send(session: Session, channel: str, to: str, body: str, *, subject: str = "",
         origin: dict[str, Any] | None = None, provider: Provider | None = None) -> Notification:
    """Records the message in the delivery log and sends it; a failure is logged on the row, not raised."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}: expected one of {', '.join(CHANNELS)}")
    if not to.strip():
        raise ValueError(f"a {channel} needs a recipient")
    provider = provider or LogProvider()
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
