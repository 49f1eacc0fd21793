"""Tickets (work orders) of a form, their history and their searchable keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TenantScoped, utcnow


class Ticket(Base, TenantScoped):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_ticket_tenant_status", "tenant_id", "status"),
        Index("ix_ticket_tenant_form_created", "tenant_id", "form_name", "created_at"),
        Index("ix_ticket_tenant_resolution_due", "tenant_id", "resolution_due"),
        # The site dashboard's "resolved today" and "overdue now" (migration 0025): the open-ticket indexes are
        # partial, a few pages however many tickets were ever resolved.
        Index("ix_ticket_tenant_resolved", "tenant_id", "resolved_at"),
        Index("ix_ticket_open_resolution_due", "tenant_id", "resolution_due",
              postgresql_where=text("resolved_at IS NULL"), sqlite_where=text("resolved_at IS NULL")),
        Index("ix_ticket_open_response_due", "tenant_id", "first_response_due", postgresql_include=["resolution_due"],
              postgresql_where=text("resolved_at IS NULL AND first_responded_at IS NULL"),
              sqlite_where=text("resolved_at IS NULL AND first_responded_at IS NULL")),
    )

    number: Mapped[str] = mapped_column(String(32))
    form_name: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(Integer, default=5)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    group: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call_record.id", ondelete="SET NULL"))
    #: The directory entry (courier, technician) dispatch gave the ticket to: its open-ticket load.
    handler_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_entry.id", ondelete="SET NULL"), index=True
    )
    first_response_due: Mapped[datetime | None] = mapped_column()
    resolution_due: Mapped[datetime | None] = mapped_column()
    first_responded_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    #: Optimistic concurrency: an edit naming an older revision is a conflict.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    history: Mapped[list[TicketHistory]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="TicketHistory.id"
    )
    search_keys: Mapped[list[TicketSearchKey]] = relationship(cascade="all, delete-orphan")


class TicketSearchKey(Base, TenantScoped):
    """One searchable field value of a ticket (waybill number, phone).

    Forms choose their searchable fields, so an expression index per JSON key would need DDL per
    tenant; one (tenant, field, value) B-tree serves every form on SQLite and PostgreSQL alike.
    """

    __tablename__ = "ticket_search_key"
    __table_args__ = (Index("ix_ticket_search_key_lookup", "tenant_id", "field", "value"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(200))


class TicketHistory(Base, TenantScoped):
    """Every change to a ticket: who, when, what (field → [old, new])."""

    __tablename__ = "ticket_history"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="history")
