"""Tenant content the flows use: prompts, lookup tables for self-service, knowledge-base articles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
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
    # PostgreSQL searches the segmented words (../services/kb_text.py) through a GIN index; SQLite keeps them
    # in the FTS5 table `article_fts` instead (created by migration 0010), so the column stays empty there.
    __table_args__ = (Index("ix_article_search_vector", "search_vector", postgresql_using="gin")
                      .ddl_if(dialect="postgresql"),)

    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    search_vector: Mapped[Any] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"), nullable=True,
                                               deferred=True)


class KbSynonym(Base, TenantScoped):
    """A tenant's search synonym: a question containing `term` also searches for each of `alternatives`
    (丢了 → 丢失, 遗失), because callers say it their way and articles say it the company's way."""

    __tablename__ = "kb_synonym"
    __table_args__ = (UniqueConstraint("tenant_id", "term"),)

    term: Mapped[str] = mapped_column(String(50))
    alternatives: Mapped[list[Any]] = mapped_column(default=list)
