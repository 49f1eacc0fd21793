"""Customers with several phone numbers each; the phone table serves the screen pop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TenantScoped, utcnow


class Customer(Base, TenantScoped):
    __tablename__ = "customer"

    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    #: e.g. ["monthly_settlement"]
    flags: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerPhone.id"
    )


class CustomerPhone(Base, TenantScoped):
    """One number of a customer. Screen pop is an index lookup on (tenant_id, phone), not a JSON scan."""

    __tablename__ = "customer_phone"
    __table_args__ = (Index("ix_customer_phone_tenant_phone", "tenant_id", "phone"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(32), default="")

    customer: Mapped[Customer] = relationship(back_populates="phones")
