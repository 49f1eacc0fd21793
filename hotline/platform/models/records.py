"""What the records area keeps besides the records themselves: agents' saved ticket filters and customer imports.

An import runs as a background job, so its file, its progress and its per-line report live in a row both the
web request and the worker can see: the page polls the row, the worker updates it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow
from .tickets import TicketSearchKey


class SavedFilter(Base, TenantScoped):
    """A ticket search an agent named and keeps ("my pickups today"): the query-string arguments of the list."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "name"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportJob(Base, TenantScoped):
    """One batch import of customers: the uploaded file until it has run, then its progress and report."""

    __tablename__ = "import_job"
    __table_args__ = (Index("ix_import_job_tenant_created", "tenant_id", "created_at"),)

    filename: Mapped[str] = mapped_column(String(300))
    #: customers (the customer book) or contacts (a contact list: `target_id`, outbound/contact_jobs.py)
    kind: Mapped[str] = mapped_column(String(16), default="customers", server_default="customers")
    target_id: Mapped[int | None] = mapped_column(Integer)
    #: csv or xlsx
    format: Mapped[str] = mapped_column(String(8))
    #: queued, running, done, failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    #: The uploaded bytes; dropped once the import has run (the report is what stays).
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    #: [[line, reason], ...] for every line not imported
    errors: Mapped[list[Any]] = mapped_column(default=list)
    #: Why the whole job failed (a crash, not a bad line).
    failure: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


#: Ticket search by text (a waybill or phone typed into the list or the desk) looks for a value in every
#: searchable field at once; with the value right after the tenant, that is one range scan instead of one per
#: field name through ix_ticket_search_key_lookup (tenant, field, value). Declared here, next to the search
#: it serves, and created by migration 0005.
ix_ticket_search_key_tenant_value = Index("ix_ticket_search_key_tenant_value", TicketSearchKey.tenant_id,
                                          TicketSearchKey.value)
