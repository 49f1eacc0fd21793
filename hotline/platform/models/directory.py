"""Directories of couriers, technicians or branches, with the coverage areas they serve."""

from __future__ import annotations

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

    directory: Mapped[Directory] = relationship(back_populates="entries")
