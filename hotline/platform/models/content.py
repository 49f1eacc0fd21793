"""Tenant content the flows use: prompts, lookup tables for self-service, knowledge-base articles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TenantScoped, utcnow


class Prompt(Base, TenantScoped):
    """A named prompt: recorded audio, or text read by TTS (the text doubles as the transcript)."""

    __tablename__ = "prompt"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    audio_path: Mapped[str | None] = mapped_column(String(500))


class DataTable(Base, TenantScoped):
    """A tenant table an IVR lookup reads (waybill status, account balance)."""

    __tablename__ = "data_table"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    key_label: Mapped[str] = mapped_column(String(64), default="key")

    rows: Mapped[list[DataRow]] = relationship(cascade="all, delete-orphan")


class DataRow(Base, TenantScoped):
    __tablename__ = "data_row"
    __table_args__ = (UniqueConstraint("table_id", "key"),)

    table_id: Mapped[int] = mapped_column(ForeignKey("data_table.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Article(Base, TenantScoped):
    """A knowledge-base article (FAQ) agents search while on a call."""

    __tablename__ = "article"

    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
