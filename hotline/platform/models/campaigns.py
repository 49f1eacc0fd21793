"""Campaigns and their entries: what the dialer works through (issue 13).

* `Campaign` — one outbound effort of a tenant: the published `outbound` script it runs (document name and
  version number), the contact list it dials (or, for the tenant's always-on `tasks` campaign, the call tasks
  fed into it), the dialing mode, call windows, retry policy, caps and status. The status machine is in
  docs/outbound.md ("Campaign states").
* `CampaignEntry` — one row per contact (or call task) in a campaign: the unit of work a dialer claims. A
  dialer claims due `pending` rows by setting `lease_owner`/`lease_until` (PostgreSQL: `SELECT … FOR UPDATE SKIP
  LOCKED`; SQLite: a conditional UPDATE), so two dialers never dial one entry at once; an expired lease makes
  the row claimable again, so a dialer that dies loses nothing but its lease. Its states are in docs/outbound.md
  ("Entry states").

`DialAttempt` (models/outbound.py) refers back to both through `campaign_id` and `entry_id`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow

CAMPAIGN_KINDS = ("list", "tasks")
CAMPAIGN_MODES = ("preview", "progressive", "predictive", "agentless")
CAMPAIGN_STATUSES = ("draft", "running", "paused", "stopped", "finished")
CAMPAIGN_PURPOSES = ("service", "marketing")
ENTRY_STATES = ("pending", "dialing", "done", "skipped", "failed", "closed")
#: The name of each tenant's always-on campaign that dials its call tasks (created on demand).
TASKS_CAMPAIGN_NAME = "__tasks__"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Campaign(Base, TenantScoped):
    __tablename__ = "campaign"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        Index("ix_campaign_tenant_status", "tenant_id", "status"),
        CheckConstraint(_in("kind", CAMPAIGN_KINDS), name="kind"),
        CheckConstraint(_in("mode", CAMPAIGN_MODES), name="mode"),
        CheckConstraint(_in("status", CAMPAIGN_STATUSES), name="status"),
        CheckConstraint(_in("purpose", CAMPAIGN_PURPOSES), name="purpose"),
    )

    name: Mapped[str] = mapped_column(String(100))
    #: list: dials a contact list; tasks: the tenant's always-on campaign of call tasks
    kind: Mapped[str] = mapped_column(String(8), default="list")
    #: The published outbound script: document name and the version number frozen at creation.
    script: Mapped[str | None] = mapped_column(String(64))
    script_version: Mapped[int | None] = mapped_column(Integer)
    contact_list_id: Mapped[int | None] = mapped_column(ForeignKey("contact_list.id", ondelete="SET NULL"))
    mode: Mapped[str] = mapped_column(String(12), default="progressive")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    purpose: Mapped[str] = mapped_column(String(10), default="service")
    #: Weekly call windows in the callee's zone: {"timezone": "Asia/Shanghai",
    #: "windows": [{"days": ["mon", …], "start": "09:00", "end": "12:00"}, …]}. Holidays come from the tenant's
    #: calendar (platform/calendar.py), not from here.
    windows: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Per outcome: {"busy": {"delay_minutes": 30, "max": 3}, "no_answer": …, "failed": …, "machine": …,
    #: "<disposition code>": …}. An outcome not named is not retried.
    retry_policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Who takes the answered calls: an ACD queue name, and/or a skill the agents must have.
    queue: Mapped[str | None] = mapped_column(String(64))
    skill: Mapped[str | None] = mapped_column(String(64))
    #: Most lines this campaign may have ringing or talking at once (the tenant's fair share of trunks).
    max_lines: Mapped[int] = mapped_column(Integer, default=10)
    #: abandoned ÷ live answers, held by the dialer over the campaign, the day and 24 hours
    abandon_cap: Mapped[float] = mapped_column(Float, default=0.03)
    max_attempts_per_contact: Mapped[int] = mapped_column(Integer, default=3)
    min_gap_minutes: Mapped[int] = mapped_column(Integer, default=60)
    #: A scheduled callback waits this long for the agent who booked it, then any agent of the queue/skill takes it.
    agent_wait_seconds: Mapped[int] = mapped_column(Integer, default=60)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    stopped_at: Mapped[datetime | None] = mapped_column()
    stop_reason: Mapped[str] = mapped_column(Text, default="")


class CampaignEntry(Base, TenantScoped):
    __tablename__ = "campaign_entry"
    __table_args__ = (
        UniqueConstraint("campaign_id", "contact_id"),
        UniqueConstraint("campaign_id", "call_task_id"),
        # The dialer's claim query: due pending rows of one campaign, oldest due first.
        Index("ix_campaign_entry_due", "campaign_id", "state", "next_attempt_at"),
        Index("ix_campaign_entry_tenant_phone", "tenant_id", "phone_e164"),
        CheckConstraint(_in("state", ENTRY_STATES), name="state"),
    )

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    call_task_id: Mapped[int | None] = mapped_column(ForeignKey("call_task.id", ondelete="SET NULL"))
    phone_e164: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: When the entry may next be dialled (None: now). Retries and scheduled callbacks set it.
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    #: The dialer holding the entry (its id) and until when; past lease_until any dialer may reclaim it.
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column()
    #: The last attempt's outcome (answered, busy, no_answer, failed, machine, abandoned, skipped) or disposition.
    last_outcome: Mapped[str | None] = mapped_column(String(64))
    #: Why the entry is skipped/failed/closed, in words for the operator (the refusal's detail, the DNC list).
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    #: The agent (user name) a scheduled callback goes back to when possible.
    preferred_agent: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
