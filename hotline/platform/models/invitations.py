"""Invitations: a tenant admin asks a user to take a role; the role exists only once the user accepts.

A tenant admin never attaches a user directly (that would let them pull in, and learn about, any account
of the platform); the invited user sees the invitation on their own page and accepts or declines it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow
from .tenancy import Role


class Invitation(Base, TenantScoped):
    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=32))
    invited_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
