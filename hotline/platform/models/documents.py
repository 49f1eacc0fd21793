"""Documents (ivr, form, dispatch, outbound) with an editable draft and immutable published versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TenantScoped, utcnow


class Document(Base, TenantScoped):
    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "name"),)

    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    draft: Mapped[dict[str, Any]] = mapped_column()
    #: Bumped on every draft save; a save naming an older revision is a conflict.
    draft_revision: Mapped[int] = mapped_column(Integer, default=1)
    draft_updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    draft_updated_by: Mapped[str] = mapped_column(String(64), default="")
    published_version: Mapped[int | None] = mapped_column(Integer)
    #: The template document this one was cloned from ("express_delivery/form/pickup_order").
    template_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number", cascade="all, delete-orphan"
    )


class DocumentVersion(Base, TenantScoped):
    """A published version. Never updated: rollback publishes a copy as a new version."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column()
    author: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    rollback_of: Mapped[int | None] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="versions")


class DocumentLayout(Base, TenantScoped):
    """Where the designer draws a document's nodes, kept apart from the document's body (issue 16).

    Moving a box is not a change of the flow: it bumps no draft revision, is not part of a published version
    and never shows in a diff. `positions` maps a node id to `{"x", "y", "pinned"}`; a pinned node was placed by
    the analyst (moved or dropped), so automatic layout leaves it where it is. One row per document.
    """

    __tablename__ = "document_layout"
    __table_args__ = (UniqueConstraint("document_id"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    positions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
