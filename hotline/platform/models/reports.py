"""Pre-aggregated report rows: sums per tenant and 15-minute interval, kept up as calls and tickets change.

Reports add these rows up instead of scanning call records and tickets (platform/reports/intervals.py
writes them, platform/reports/service.py reads them). Every row holds counts and sums only, never a ratio,
so any period (30/60 minutes, a day, a month) is the SUM of its intervals, and a ratio is computed after
adding. `interval_start` is a UTC instant on a 15-minute boundary; a tenant's local day is a range of them
(every zone in use today is offset by a whole quarter-hour from UTC).

The dimensions of a call row are the queue the call ended in ("" for a call that never queued), the DID it
was dialled on and the agent who answered (0 for none). Ticket rows are the cohort of tickets *created* in
the interval, by form, category, source, handler and current status: whether they were responded to and
completed in time is written onto their creation interval, which is recomputed whenever the ticket changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow

#: Upper edges (seconds) of the handle-time histogram buckets; the last bucket is open (beyond 3600 s).
HANDLE_BUCKETS: tuple[int, ...] = (30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600, 720,
                                   840, 960, 1200, 1500, 1800, 2400, 3600)
#: One column per bucket: h00 … h23 (the last, h23, counts handle times above 3600 s).
HANDLE_COLUMNS: tuple[str, ...] = tuple(f"h{i:02d}" for i in range(len(HANDLE_BUCKETS) + 1))


def _count() -> Mapped[int]:
    return mapped_column(Integer, default=0, nullable=False)


class ReportInterval(Base, TenantScoped):
    """Inbound calls of one interval, per queue, DID and answering agent (test calls never counted)."""

    __tablename__ = "report_interval"
    __table_args__ = (Index("ix_report_interval_tenant_start", "tenant_id", "interval_start"),
                      Index("uq_report_interval_key", "tenant_id", "interval_start", "queue", "did", "agent_id",
                            "extension", unique=True),
                      Index("brin_report_interval_start", "interval_start", postgresql_using="brin")
                      .ddl_if(dialect="postgresql"))

    interval_start: Mapped[datetime] = mapped_column()
    queue: Mapped[str] = mapped_column(String(64), default="")
    did: Mapped[str] = mapped_column(String(32), default="")
    agent_id: Mapped[int] = mapped_column(Integer, default=0)
    #: the extension that answered when no user of the tenant holds it ('' otherwise): the call is its extension's,
    #: not the anonymous "—" row (migration 0033)
    extension: Mapped[str] = mapped_column(String(32), default="", server_default="")
    #: every inbound call that reached the tenant
    calls: Mapped[int] = _count()
    #: calls handed to a queue
    offered: Mapped[int] = _count()
    answered: Mapped[int] = _count()
    #: caller hung up in the IVR, never queued and not finished in self-service
    abandoned_ivr: Mapped[int] = _count()
    #: caller hung up while queued, after the short-abandon threshold ...
    abandoned_queue: Mapped[int] = _count()
    #: ... or within it (a short abandon: a wrong number, an impatient re-dial; kept apart)
    abandoned_short: Mapped[int] = _count()
    #: ... or waited until the queue's time-out and left it unanswered (overflow to voicemail, a hang-up node):
    #: 排队超时, so offered = answered + abandoned_queue + abandoned_short + timed_out (+ a call cut mid-wait)
    timed_out: Mapped[int] = mapped_column(Integer, default=0, nullable=False, server_default="0")
    answered_in_target: Mapped[int] = _count()
    wait_count: Mapped[int] = _count()
    wait_sum: Mapped[float] = mapped_column(Float, default=0.0, nullable=False)
    handle_count: Mapped[int] = _count()
    handle_sum: Mapped[float] = mapped_column(Float, default=0.0, nullable=False)
    #: the longest handle time of the row (0 when none): rows combine by MAX, not SUM, and the p90 interpolated
    #: from the histogram is capped by it. A counter delta that removes a call leaves it as an upper bound until
    #: the range is rebuilt (a maximum cannot be decremented).
    handle_max: Mapped[float] = mapped_column(Float, default=0.0, nullable=False)
    transfers: Mapped[int] = _count()
    callbacks: Mapped[int] = _count()
    self_service: Mapped[int] = _count()
    survey_count: Mapped[int] = _count()
    survey_sum: Mapped[float] = mapped_column(Float, default=0.0, nullable=False)
    #: answers of 4 or 5 on the 1-5 satisfaction scale
    survey_satisfied: Mapped[int] = _count()
    #: handle-time histogram: hNN counts handle times up to HANDLE_BUCKETS[NN] seconds (p90 comes from it)
    h00: Mapped[int] = _count()
    h01: Mapped[int] = _count()
    h02: Mapped[int] = _count()
    h03: Mapped[int] = _count()
    h04: Mapped[int] = _count()
    h05: Mapped[int] = _count()
    h06: Mapped[int] = _count()
    h07: Mapped[int] = _count()
    h08: Mapped[int] = _count()
    h09: Mapped[int] = _count()
    h10: Mapped[int] = _count()
    h11: Mapped[int] = _count()
    h12: Mapped[int] = _count()
    h13: Mapped[int] = _count()
    h14: Mapped[int] = _count()
    h15: Mapped[int] = _count()
    h16: Mapped[int] = _count()
    h17: Mapped[int] = _count()
    h18: Mapped[int] = _count()
    h19: Mapped[int] = _count()
    h20: Mapped[int] = _count()
    h21: Mapped[int] = _count()
    h22: Mapped[int] = _count()
    h23: Mapped[int] = _count()


class ReportTicketInterval(Base, TenantScoped):
    """Tickets created in one interval, per form, category, source, handler and current status."""

    __tablename__ = "report_ticket_interval"
    __table_args__ = (Index("ix_report_ticket_interval_tenant_start", "tenant_id", "interval_start"),
                      Index("uq_report_ticket_interval_key", "tenant_id", "interval_start", "form_name", "category",
                            "source", "agent_id", "status", "handler_entry_id", unique=True),
                      Index("brin_report_ticket_interval_start", "interval_start", postgresql_using="brin")
                      .ddl_if(dialect="postgresql"))

    interval_start: Mapped[datetime] = mapped_column()
    form_name: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(16), default="")
    #: the assignee (user id), 0 for none
    agent_id: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(64), default="")
    #: the directory entry (courier, technician) dispatch gave the ticket to, 0 for none (migration 0033)
    handler_entry_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created: Mapped[int] = _count()
    responded_in_time: Mapped[int] = _count()
    responded_late: Mapped[int] = _count()
    completed_in_time: Mapped[int] = _count()
    completed_late: Mapped[int] = _count()
    urges: Mapped[int] = _count()
    urged_tickets: Mapped[int] = _count()
    complaints: Mapped[int] = _count()


class ReportIvrNode(Base, TenantScoped):
    """Callers at one node of a published IVR version in one interval: reached, hung up there, finished there."""

    __tablename__ = "report_ivr_node"
    __table_args__ = (Index("ix_report_ivr_node_lookup", "tenant_id", "ivr_document", "ivr_version",
                            "interval_start"),
                      Index("uq_report_ivr_node_key", "tenant_id", "interval_start", "ivr_document", "ivr_version",
                            "node", unique=True))

    interval_start: Mapped[datetime] = mapped_column()
    ivr_document: Mapped[str] = mapped_column(String(64))
    ivr_version: Mapped[int] = mapped_column(Integer)
    node: Mapped[str] = mapped_column(String(64))
    reached: Mapped[int] = _count()
    hangups: Mapped[int] = _count()
    completed: Mapped[int] = _count()


class ReportIvrEdge(Base, TenantScoped):
    """Callers who went from one node to the next (with the digit pressed, "" for none) in one interval."""

    __tablename__ = "report_ivr_edge"
    __table_args__ = (Index("ix_report_ivr_edge_lookup", "tenant_id", "ivr_document", "ivr_version",
                            "interval_start"),
                      Index("uq_report_ivr_edge_key", "tenant_id", "interval_start", "ivr_document", "ivr_version",
                            "node", "next_node", "digit", unique=True))

    interval_start: Mapped[datetime] = mapped_column()
    ivr_document: Mapped[str] = mapped_column(String(64))
    ivr_version: Mapped[int] = mapped_column(Integer)
    node: Mapped[str] = mapped_column(String(64))
    next_node: Mapped[str] = mapped_column(String(64))
    digit: Mapped[str] = mapped_column(String(16), default="")
    passes: Mapped[int] = _count()


class SavedReport(Base, TenantScoped):
    """A report definition a supervisor saved, optionally e-mailed on a schedule (daily / weekly / monthly)."""

    __tablename__ = "saved_report"

    name: Mapped[str] = mapped_column(String(100))
    #: the report's arguments as the report page takes them (period, group, from, to, queue, ...)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: "", "daily", "weekly" or "monthly"
    schedule: Mapped[str] = mapped_column(String(16), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    last_sent_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
