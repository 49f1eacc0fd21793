"""Call records (CDR): the IVR path taken, queue wait, agent, recording and disposition."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow


class CallRecord(Base, TenantScoped):
    __tablename__ = "call_record"
    __table_args__ = (Index("ix_call_record_tenant_started", "tenant_id", "started_at"),)

    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    direction: Mapped[str] = mapped_column(String(16), default="inbound")
    did: Mapped[str] = mapped_column(String(32))
    caller: Mapped[str] = mapped_column(String(32), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    ivr_document: Mapped[str | None] = mapped_column(String(64))
    ivr_version: Mapped[int | None] = mapped_column(Integer)
    #: Nodes visited, digits, prompts, variables, timings, error node and reason.
    trace: Mapped[dict[str, Any]] = mapped_column(default=dict)
    outcome: Mapped[str | None] = mapped_column(String(32))
    queue: Mapped[str | None] = mapped_column(String(64))
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    #: The call's recording, relative to the recordings root ([switch] recordings), and its length in seconds
    #: (issue 15); both empty when the call was not recorded or the recording was purged.
    recording: Mapped[str | None] = mapped_column(String(500))
    recording_seconds: Mapped[float | None] = mapped_column(Float)
    disposition: Mapped[str | None] = mapped_column(String(64))
    #: A test call (`hotline call`, the designer's test call): kept for its trace, never counted in a figure.
    test_call: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: FreeSWITCH's hangup cause of the caller's channel, and who ended the call: caller, runtime or switch.
    hangup_cause: Mapped[str | None] = mapped_column(String(64))
    hangup_by: Mapped[str | None] = mapped_column(String(16))
    #: Seconds agents rang before one answered (all offers of the call), and of conversation with agents.
    ring_seconds: Mapped[float | None] = mapped_column(Float)
    talk_seconds: Mapped[float | None] = mapped_column(Float)
