"""The supervisor's colour thresholds for the wallboard: when a figure turns amber, when red.

One row per (tenant, queue, metric). The queue "" is the tenant-wide setting; a row naming a queue
overrides it for that queue only. Which direction is "worse" belongs to the metric (more calls waiting is
worse, a lower service level is worse), so it is not stored: see platform/wallboard/thresholds.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TenantScoped, utcnow

#: The queue name of a tenant-wide threshold (a real queue name is never empty).
ALL_QUEUES = ""


class WallboardThreshold(Base, TenantScoped):
    __tablename__ = "wallboard_threshold"
    __table_args__ = (UniqueConstraint("tenant_id", "queue", "metric"),)

    queue: Mapped[str] = mapped_column(String(64), default=ALL_QUEUES)
    #: waiting, longest_wait, service_level, abandon_rate, asa
    metric: Mapped[str] = mapped_column(String(32))
    #: None: this level is not used (e.g. only a red threshold).
    amber: Mapped[float | None] = mapped_column(Float)
    red: Mapped[float | None] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
