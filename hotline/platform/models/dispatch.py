"""What the dispatch rules, the SLA clocks and the supervisors leave behind (issue 6).

* `RuleFiring` — every rule whose condition held, for calls and tickets alike: the log a supervisor reads
  per ticket (the ticket's history keeps a copy too).
* `SlaEvent` — one row per SLA event fired (warning or breach of a clock, for one due time). Its unique
  key is the exactly-once guard: of several workers handling the same clock, only the one whose INSERT
  commits runs the rules; a changed due time is a new key, so the clock re-arms by itself.
* `CallTask` — a call-back (回呼) or an outbound return visit (回访) to place: created when a ticket that
  needs one is resolved, or by a rule. `due_fired_at` is set once, by a conditional UPDATE, when the
  `callback.due` event goes out.
* `TicketUrge` — one manual urging (催办) of an overdue ticket: who, when, the note, who was notified.
* `ManualDispatch` — a ticket dispatch could not give to anyone (no courier covers the address, no
  technician with the skill): it waits on the supervisors' manual dispatch list until a person assigns it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow


class RuleFiring(Base, TenantScoped):
    __tablename__ = "rule_firing"
    __table_args__ = (
        Index("ix_rule_firing_tenant_ticket", "tenant_id", "ticket_number", "id"),
        Index("ix_rule_firing_tenant_at", "tenant_id", "at"),
    )

    at: Mapped[datetime] = mapped_column(default=utcnow)
    event: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(64))
    #: fired, partial, skipped
    outcome: Mapped[str] = mapped_column(String(16))
    ticket_number: Mapped[str | None] = mapped_column(String(32))
    call_uuid: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(64), default="dispatch")
    #: The firing's record: actions (with status), warnings, routing, tasks.
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SlaEvent(Base, TenantScoped):
    __tablename__ = "sla_event"
    __table_args__ = (UniqueConstraint("tenant_id", "ticket_id", "clock", "kind", "due_at"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    #: first_response, resolution
    clock: Mapped[str] = mapped_column(String(16))
    #: warning, breach
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column()
    fired_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Which worker fired it (job id), for the record.
    fired_by: Mapped[str] = mapped_column(String(64), default="")


class CallTask(Base, TenantScoped):
    __tablename__ = "call_task"
    __table_args__ = (
        Index("ix_call_task_tenant_status_due", "tenant_id", "status", "due_at"),
        Index("ix_call_task_tenant_ticket", "tenant_id", "ticket_id"),
    )

    #: callback (回呼), return_visit (回访)
    kind: Mapped[str] = mapped_column(String(16))
    #: pending, done, cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    ticket_number: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(32))
    #: The queue an agent call-back goes to; the outbound script of a return visit.
    queue: Mapped[str | None] = mapped_column(String(64))
    script: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime] = mapped_column()
    #: Set once when callback.due went out (the exactly-once guard of that event).
    due_fired_at: Mapped[datetime | None] = mapped_column()
    #: What created it: {"rule": name, "event": ...} or {"form": "callback_on_resolve"}.
    origin: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column()
    done_by: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(Text, default="")


class TicketUrge(Base, TenantScoped):
    __tablename__ = "ticket_urge"
    __table_args__ = (Index("ix_ticket_urge_tenant_ticket", "tenant_id", "ticket_id"),
                      Index("ix_ticket_urge_tenant_at", "tenant_id", "at"))  # urges today (migration 0025)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    #: Delivery-log ids of the notifications sent to the handler.
    notified: Mapped[list[Any]] = mapped_column(default=list)
    #: Whom `notified` reached: "handlers" (who has the ticket) or "dispatchers" (nobody has it yet, or
    #: the agent/group that has it has no mobile: the tenant's dispatch alerts heard of the urge).
    notified_to: Mapped[str] = mapped_column(String(16), default="handlers", server_default="handlers")


class ManualDispatch(Base, TenantScoped):
    __tablename__ = "manual_dispatch"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket_id"),
        Index("ix_manual_dispatch_tenant_done", "tenant_id", "done_at"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    #: Why nobody was found (shown on the list), in the words of the rule that gave up.
    reason: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(String(64), default="")
    #: What the rule would have done with a handler: directory, name_field, phone_field, text, alerts.
    spec: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Delivery-log ids of the alerts sent when the ticket landed on the list (and on each urge).
    alerted: Mapped[list[Any]] = mapped_column(default=list)
    done_at: Mapped[datetime | None] = mapped_column()
    done_by: Mapped[str | None] = mapped_column(String(64))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("directory_entry.id", ondelete="SET NULL"))
