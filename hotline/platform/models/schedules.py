"""Schedules and attendance (issue 15, 排班/考勤): shifts per agent and seat type, and the agent-state history
attendance is measured from.

A shift is a stretch of planned work of one agent in one tenant, in UTC like every timestamp here; the pages
show and read it in the tenant's zone. Its seat type (实习座席/座席/班组长) is what the outsourcing settlement
prices (docs/schedules.md), so it is stored on the shift, not on the agent: an agent may lead a team one day and
take calls the next.

The ACD keeps presence in Redis and writes each change to a trimmed per-tenant stream; `AgentStateChange` is the
durable copy of that stream's `agent_state` entries (platform/schedules/presence_log.py copies them), because
attendance needs months of history and the stream keeps ten thousand entries.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow
from .vendors import DecimalText

#: Seat types, in the order the pages list them; their labels live in platform/schedules/labels.py.
SEAT_TYPES: tuple[str, ...] = ("trainee", "agent", "team_lead")


class Shift(Base, TenantScoped):
    """One agent's planned shift: [starts_at, ends_at) in UTC, minus `break_minutes` of unpaid breaks."""

    __tablename__ = "shift"
    __table_args__ = (Index("ix_shift_tenant_starts", "tenant_id", "starts_at"),
                      Index("ix_shift_tenant_user_starts", "tenant_id", "user_id", "starts_at"))

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    seat_type: Mapped[str] = mapped_column(String(16), default="agent")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    break_minutes: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentStateChange(Base, TenantScoped):
    """One presence change of an agent as the tenant's ACD stream recorded it (state from `at` on).

    `until` is the end of a timed wrap-up or break: the ACD writes no second entry when it runs out (the agent
    simply counts as available from then), so the history needs it to know when the agent became available.
    """

    __tablename__ = "agent_state_change"
    __table_args__ = (UniqueConstraint("tenant_id", "stream_id"),
                      Index("ix_agent_state_change_tenant_at", "tenant_id", "at"),
                      # the state each agent was in when a period began: its last change before the start
                      Index("ix_agent_state_change_tenant_agent_at", "tenant_id", "agent", "at"))

    #: The ACD's agent id (the extension, models/desk.py) and the user it belonged to when copied.
    agent: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime]
    until: Mapped[datetime | None]
    #: The Redis stream entry id ("<ms>-<seq>"): copying twice never doubles a change.
    stream_id: Mapped[str] = mapped_column(String(32))


class AgentMonthOvertime(Base, TenantScoped):
    """One agent's month rolled up (platform/settlement/overtime.py): scheduled hours over the whole local month,
    the standard month they are held against (the contract's, else 166.64) and the hours above it. The month's
    rows are recomputed as a whole, idempotently; the settlement bills overtime seats from them."""

    __tablename__ = "agent_month_overtime"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "month"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The tenant-local month, YYYY-MM.
    month: Mapped[str] = mapped_column(String(7))
    scheduled_hours: Mapped[Decimal] = mapped_column(DecimalText())
    standard_hours: Mapped[Decimal] = mapped_column(DecimalText())
    overtime_hours: Mapped[Decimal] = mapped_column(DecimalText())
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
