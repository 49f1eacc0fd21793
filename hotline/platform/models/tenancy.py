"""Tenants, users and their roles, shared agents' skills, queues and dialled numbers (DIDs)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .base import Base, IdMixin, TenantScoped, utcnow

#: The ACD's agent-selection strategies (hotline.runtime.acd.STRATEGIES; a test keeps them equal).
QUEUE_STRATEGIES: tuple[str, ...] = ("longest_idle", "round_robin", "fewest_calls", "skills_levels", "ring_all")


class Role(enum.StrEnum):
    PLATFORM_OPERATOR = "platform_operator"
    TENANT_ADMIN = "tenant_admin"
    ANALYST = "analyst"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    QA = "qa"
    CAMPAIGN_OPERATOR = "campaign_operator"
    #: Reads statements and vendors' figures and signs statements off; no designer, desk or administration.
    FINANCE = "finance"


class Tenant(Base, IdMixin):
    __tablename__ = "tenant"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    template: Mapped[str | None] = mapped_column(String(64))
    #: timezone, locale, business calendar, transfer allow-list, fallback queue.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: How many agents of the shared pool (agents serving several tenants) this tenant may hold at once,
    #: ringing or on a call; None = no cap. Enforced by the ACD's claim (runtime/acd/lua_calls.py).
    shared_agent_cap: Mapped[int | None] = mapped_column(Integer, nullable=True)

    @validates("shared_agent_cap")
    def _check_cap(self, key: str, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError(f"tenant {self.slug!r}: shared_agent_cap must be 0 or more, or empty for no cap "
                             f"(got {value})")
        return value


class User(Base, IdMixin):
    """A person who signs in. Agents are shared: one user may hold roles and skills in several tenants."""

    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    is_platform_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")


class Membership(Base, TenantScoped):
    """A user's role in one tenant."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=32))

    user: Mapped[User] = relationship(back_populates="memberships")


class Skill(Base, TenantScoped):
    __tablename__ = "skill"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))


class AgentSkill(Base, TenantScoped):
    """A shared agent's skill for one tenant, with a level (higher is better)."""

    __tablename__ = "agent_skill"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "skill"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer, default=1)


class Queue(Base, TenantScoped):
    __tablename__ = "queue"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    skills: Mapped[list[Any]] = mapped_column(default=list)
    priority: Mapped[int] = mapped_column(Integer, default=5)
    service_level_seconds: Mapped[int] = mapped_column(Integer, default=20)
    max_wait_seconds: Mapped[int] = mapped_column(Integer, default=180)
    # ACD settings (docs/runtime.md, "ACD"): how agents are picked, how waiting calls age, what an
    # agent does after a call, where a call goes when it waited here too long.
    #: longest_idle, round_robin, fewest_calls, skills_levels or ring_all (runtime.acd.STRATEGIES).
    strategy: Mapped[str] = mapped_column(String(32), default="longest_idle")
    #: Seconds of waiting worth one priority level (0 = strict priorities, which may starve).
    ageing_seconds: Mapped[int] = mapped_column(Integer, default=60)
    #: After-call work per call of this queue; None = the runtime's default.
    wrap_up_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Overflow chain: after this many seconds here the call moves to `overflow_queue` (keeping its
    #: original wait); the chain's last queue ends in the IVR queue node's `overflow` (voicemail, callback).
    overflow_after_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    overflow_queue: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @validates("strategy")
    def _check_strategy(self, key: str, value: str) -> str:
        if value not in QUEUE_STRATEGIES:
            raise ValueError(f"queue {self.name!r}: strategy {value!r} is not one of {', '.join(QUEUE_STRATEGIES)}")
        return value

    @validates("ageing_seconds", "wrap_up_seconds", "overflow_after_seconds")
    def _check_seconds(self, key: str, value: int | None) -> int | None:
        if value is not None and (value < 0 or (key == "overflow_after_seconds" and value == 0)):
            least = "more than 0" if key == "overflow_after_seconds" else "0 or more"
            raise ValueError(f"queue {self.name!r}: {key} must be {least} seconds (got {value})")
        return value


class DID(Base, TenantScoped):
    """A dialled number; unique across the platform, since the switch routes by it alone."""

    __tablename__ = "did"

    number: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    ivr: Mapped[str] = mapped_column(String(64), default="main")
