"""Outsourcing partners (vendors), their agents and contracts, monthly inputs, signed settlement statements and
vendor assessment thresholds/alerts (issue 15, parts 5 and 6; seeds 001 and 004).

A self-operated site is a vendor too (`self_operated`), so the comparison page puts it beside the partners and
the same figures are computed for both. A contract's terms are data (JSON checked by
platform/settlement/terms.py, each problem named by JSON path); a signed statement keeps a copy of every
input and line, so later edits of hours, scores or the contract never change it (docs/settlement.md).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from .base import Base, TenantScoped, utcnow

#: Metrics of the vendor assessment (seed 004) a tenant may set a threshold on.
ASSESSMENT_METRICS: tuple[str, ...] = ("service_level", "answer_rate", "timeliness", "qa_score", "complaints",
                                       "attrition")


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept as its text: exact on SQLite too (whose NUMERIC is a float), so money and scores never
    pick up binary rounding on the way through the database."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


class Vendor(Base, TenantScoped):
    """A partner that supplies agents (外包合作商), or the tenant's own site (自营) when `self_operated`."""

    __tablename__ = "vendor"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    self_operated: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Queue names this site answers: its service level and answer rate are those queues' figures.
    queues: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VendorAgent(Base, TenantScoped):
    """An agent's time with a vendor: from `joined_on` through `left_on` (their last day with it) when set."""

    __tablename__ = "vendor_agent"
    __table_args__ = (UniqueConstraint("tenant_id", "vendor_id", "user_id"),
                      Index("ix_vendor_agent_tenant_user", "tenant_id", "user_id"))

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class VendorContract(Base, TenantScoped):
    """A vendor's contract for the months from `valid_from` to `valid_to` (first days of months; open-ended
    when empty). `terms` holds seat types, prices, standard hours, ratios, targets, bonus split, penalty rules
    and assessment bands (settlement/terms.py)."""

    __tablename__ = "vendor_contract"
    __table_args__ = (Index("ix_vendor_contract_tenant_vendor", "tenant_id", "vendor_id"),)

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    terms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class VendorMonth(Base, TenantScoped):
    """What is entered for a vendor and month: business and overall scores, achieved target values, penalties
    (the quality score is computed from QA evaluations, docs/settlement.md)."""

    __tablename__ = "vendor_month"
    __table_args__ = (UniqueConstraint("tenant_id", "vendor_id", "month"),)

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"))
    #: "YYYY-MM" in the tenant's calendar.
    month: Mapped[str] = mapped_column(String(7))
    business_score: Mapped[Decimal | None] = mapped_column(DecimalText(), nullable=True)
    overall_score: Mapped[Decimal | None] = mapped_column(DecimalText(), nullable=True)
    #: target code -> achieved value as a decimal string.
    achieved: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: penalty rule code -> number of incidents.
    penalties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SettlementStatement(Base, TenantScoped):
    """A signed-off monthly statement: a frozen copy of every input and line. Signing again after a change of
    data creates the next version; older versions stay readable and are never updated."""

    __tablename__ = "settlement_statement"
    __table_args__ = (UniqueConstraint("tenant_id", "vendor_id", "month", "version"),)

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer)
    #: Everything the statement was computed from (contract terms, hours per agent, scores, entries).
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The computed statement (seat lines, coefficient, bonus, penalties, total) as decimal strings.
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    total: Mapped[Decimal] = mapped_column(DecimalText())
    signed_by: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)


class VendorThreshold(Base, TenantScoped):
    """A tenant's limit on one assessment metric: `minimum` (service level, answer rate, timeliness, QA score)
    or `maximum` (complaints, attrition); a vendor past it raises an alert to `recipients` [{channel, to}]."""

    __tablename__ = "vendor_threshold"
    __table_args__ = (UniqueConstraint("tenant_id", "metric"),)

    metric: Mapped[str] = mapped_column(String(32))
    minimum: Mapped[float | None] = mapped_column(Float, nullable=True)
    maximum: Mapped[float | None] = mapped_column(Float, nullable=True)
    recipients: Mapped[list[Any]] = mapped_column(default=list)


class VendorAlert(Base, TenantScoped):
    """One breach of a threshold by a vendor in a month, raised once (the unique key), with its delivery."""

    __tablename__ = "vendor_alert"
    __table_args__ = (UniqueConstraint("tenant_id", "vendor_id", "month", "metric"),)

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    limit: Mapped[float] = mapped_column(Float)
    notifications: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
