"""What the agent desk adds: each agent's extension (the ACD agent id) and the calls a ticket came from.

An agent is a user, but the ACD and the switch know agents by an extension — the id presence and queue
claims use, and the endpoint the runtime bridges (`user/<extension>`, a FreeSWITCH directory user or a
simulator agent). One extension per user and per platform: agents are shared by several tenants.

A ticket made during a call is linked to the call's uuid at once (`ticket_call`), because the call record
(and so `ticket.call_id`) only exists once the call has ended; the desk fills `call_id` in later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, IdMixin, TenantScoped, utcnow


class AgentExtension(Base, IdMixin):
    __tablename__ = "agent_extension"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    extension: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketCall(Base, TenantScoped):
    """A ticket created (or worked) during a call, by the call's uuid."""

    __tablename__ = "ticket_call"
    __table_args__ = (
        UniqueConstraint("ticket_id", "call_uuid"),
        Index("ix_ticket_call_tenant_call", "tenant_id", "call_uuid"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    call_uuid: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
