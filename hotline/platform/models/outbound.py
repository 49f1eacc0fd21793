"""Outbound data: contact lists and their contacts, do-not-call entries (tenant and platform-wide), and every
dial attempt, which the dialer's compliance checks read (caps, gaps, the 72-hour rule after an abandon)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, IdMixin, JSONType, TenantScoped, UTCDateTime, utcnow


class ContactList(Base, TenantScoped):
    """A named list of people to call. `purpose` decides the rules: marketing (商业性) needs each contact's
    consent; service calls (return visits, surveys on the contact's own ticket) do not."""

    __tablename__ = "contact_list"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(16), default="service")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Contact(Base, TenantScoped):
    """One person on a list, phone in E.164. `fields` are the list's custom columns ({{contact.x}} in scripts)."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("list_id", "phone_e164"),)

    list_id: Mapped[int] = mapped_column(ForeignKey("contact_list.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    phone_e164: Mapped[str] = mapped_column(String(24))
    timezone: Mapped[str | None] = mapped_column(String(64))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: where and when the contact agreed to marketing calls (evidence kept with the contact)
    consent_source: Mapped[str | None] = mapped_column(String(200))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the line of the imported file, so a refusal can point back at it
    line: Mapped[int | None] = mapped_column(Integer)


class _DncColumns:
    """What a do-not-call entry says, on the tenant's list and on the platform's alike."""

    source: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DncEntry(_DncColumns, Base, TenantScoped):
    """A number the tenant must not call, and why (an import, an agent, a "要求不再来电" disposition)."""

    __tablename__ = "dnc_entry"
    __table_args__ = (UniqueConstraint("tenant_id", "phone_e164"),)

    phone_e164: Mapped[str] = mapped_column(String(24))


class PlatformDncEntry(_DncColumns, Base, IdMixin):
    """A number no tenant may call (the operator's list: regulators' registers, complaints to the operator)."""

    __tablename__ = "platform_dnc_entry"

    phone_e164: Mapped[str] = mapped_column(String(24), unique=True)


class DialAttempt(Base, TenantScoped):
    """One dial of one contact: when, how it ended, and whether a live answer was dropped (abandoned)."""

    __tablename__ = "dial_attempt"
    __table_args__ = (Index("ix_dial_attempt_tenant_phone_at", "tenant_id", "phone_e164", "at"),
                      Index("ix_dial_attempt_campaign_at", "campaign_id", "at"),
                      Index("ix_dial_attempt_entry", "entry_id"),
                      Index("ix_dial_attempt_call_uuid", "call_uuid"))

    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    phone_e164: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: answered, busy, no_answer, failed, machine, abandoned, skipped
    outcome: Mapped[str] = mapped_column(String(16))
    abandoned: Mapped[bool] = mapped_column(Boolean, default=False)
    disposition: Mapped[str | None] = mapped_column(String(64))
    #: The campaign and entry the dial was for (None for dials outside campaigns), the switch's call, the agent
    #: who took it, when it was answered and ended, and the script's answers (question name → value).
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_entry.id", ondelete="SET NULL"))
    call_uuid: Mapped[str | None] = mapped_column(String(64))
    agent: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    #: Why the attempt ended as it did, in words (a preview skip's reason, a call that never reached a runtime).
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The ticket made from the answers when the script says `create_ticket`.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
