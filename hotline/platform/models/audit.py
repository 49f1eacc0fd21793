"""The audit log: who did what to which object, per tenant (or platform-wide when tenant is empty)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, IdMixin, TenantOwned, utcnow


class AuditEntry(Base, TenantOwned, IdMixin):
    """Tenant-owned but with an optional tenant: platform actions (creating a tenant) have none yet.
    A tenant session sees only its tenant's entries."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_tenant_at", "tenant_id", "at"),)

    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
