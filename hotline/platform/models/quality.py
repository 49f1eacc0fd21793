"""Call recording policy and quality assurance (issue 15): score sheets, evaluations, calibration sessions.

A score sheet is tenant data edited on the QA pages, not a document kind: nothing at run time reads it, and
each evaluation keeps a copy of the sheet it was scored with, so editing a sheet never changes old scores
(docs/decisions.md, "Score sheets are a model").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow

#: Recording modes: every answered call, a share of them, only when the desk asks, never.
RECORDING_MODES: tuple[str, ...] = ("all", "percent", "on_demand", "never")


class RecordingPolicy(Base, TenantScoped):
    """The tenant's recording policy (queue empty) or one queue's override; retention only on the tenant row."""

    __tablename__ = "recording_policy"
    __table_args__ = (UniqueConstraint("tenant_id", "queue"),)

    #: "" for the tenant's default (a unique key needs a value, NULLs never collide).
    queue: Mapped[str] = mapped_column(String(64), default="")
    mode: Mapped[str] = mapped_column(String(16), default="all")
    percent: Mapped[int] = mapped_column(Integer, default=100)
    #: Days a recording is kept after the call; None keeps them until deleted by hand.
    retention_days: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ScoreSheet(Base, TenantScoped):
    """Sections of weighted items; `body` = {"sections": [{"title", "items": [{key, label, weight, fatal}]}]}."""

    __tablename__ = "score_sheet"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Only a published sheet can be used to score; publishing checks the weights sum to 100.
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalibrationSession(Base, TenantScoped):
    """Several reviewers score the same call with the same sheet; the spread per item is shown."""

    __tablename__ = "calibration_session"

    call_uuid: Mapped[str] = mapped_column(String(64))
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evaluation(Base, TenantScoped):
    """One reviewer's score of one call; the agent may appeal it once, and QA resolves the appeal."""

    __tablename__ = "evaluation"
    __table_args__ = (Index("ix_evaluation_tenant_agent", "tenant_id", "agent_id"),
                      Index("ix_evaluation_tenant_call", "tenant_id", "call_uuid"))

    call_uuid: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewer: Mapped[str] = mapped_column(String(64))
    sheet_name: Mapped[str] = mapped_column(String(64))
    #: The sheet as it was when scored (sections and items), so later edits of the sheet change nothing here.
    sheet: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: item key -> {"points": n} or, for a fatal item, {"failed": bool}.
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: [{"at_seconds": 12.5, "item": key or null, "text": ...}] — remarks tied to a moment of the recording.
    remarks: Mapped[list[Any]] = mapped_column(default=list)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    fatal: Mapped[bool] = mapped_column(Boolean, default=False)
    calibration_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration_session.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: none, open (the agent appealed), upheld (the score stands), amended (QA changed the score).
    appeal_status: Mapped[str] = mapped_column(String(16), default="none")
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    #: The items the agent appeals and the score proposed for each: {key: {"points": n} | {"failed": bool}}.
    appeal_items: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    appealed_at: Mapped[datetime | None] = mapped_column()
    appeal_resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column()
