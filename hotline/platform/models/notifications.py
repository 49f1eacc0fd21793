"""The delivery log: every SMS, e-mail and webhook a tenant's flows and rules send, with its outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow


class Notification(Base, TenantScoped):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_tenant_created", "tenant_id", "created_at"),)

    channel: Mapped[str] = mapped_column(String(16))
    to: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    #: queued, sent, failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    provider: Mapped[str] = mapped_column(String(32), default="log")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: What caused it: {"call": uuid} or {"ticket": number, "rule": name}
    origin: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class MessageProvider(Base, TenantScoped):
    """How a tenant's SMS or e-mail leaves the platform: an HTTP SMS gateway or an SMTP server.

    `settings` holds what may be shown (gateway URL, method, body template, auth header name; SMTP host,
    port, TLS mode, user, sender); `secret` holds the auth header value or SMTP password, which the admin
    never shows back in full. The active provider of a channel is the one its messages go through; with
    none, they go to the log (services/message_providers.py).
    """

    __tablename__ = "message_provider"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(32))
    #: sms or email
    channel: Mapped[str] = mapped_column(String(16))
    #: http (SMS gateway) or smtp
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    secret: Mapped[str] = mapped_column(Text, default="")
