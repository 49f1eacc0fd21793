"""Directories of couriers, technicians or branches, with the coverage areas they serve.

An entry has its own kind (a directory of couriers may list the branch as its fallback entry), the
channels it can be reached on (SMS only for a mobile number: a branch's landline is called, never texted)
and, for technicians, the skills a repair needs (水电, 门窗 ...). `last_assigned_at` breaks ties between
equally suitable entries round-robin.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TenantScoped


class Directory(Base, TenantScoped):
    __tablename__ = "directory"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    #: courier, technician, branch, service_hall ...
    kind: Mapped[str] = mapped_column(String(32))

    entries: Mapped[list[DirectoryEntry]] = relationship(
        back_populates="directory", cascade="all, delete-orphan", order_by="DirectoryEntry.id"
    )


class DirectoryEntry(Base, TenantScoped):
    __tablename__ = "directory_entry"

    directory_id: Mapped[int] = mapped_column(ForeignKey("directory.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))
    branch: Mapped[str] = mapped_column(String(200), default="")
    #: Coverage-area keywords (streets, compounds, towers) matched against addresses.
    areas: Mapped[list[Any]] = mapped_column(default=list)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: courier, technician, branch, service_hall; empty means the directory's kind.
    kind: Mapped[str] = mapped_column(String(32), default="")
    #: How the entry is reached: "sms" (mobile numbers only) and/or "voice".
    channels: Mapped[list[Any]] = mapped_column(default=list)
    #: What a technician can fix (水电, 门窗, 公共设施); matched against a ticket's required skill.
    skills: Mapped[list[Any]] = mapped_column(default=list)
    #: When dispatch last gave this entry a ticket: the round-robin tie-break among equals.
    last_assigned_at: Mapped[datetime | None] = mapped_column()

    directory: Mapped[Directory] = relationship(back_populates="entries")
