"""A queue's ACD settings as the runtime applies them, read from the tenant's Queue and Tenant rows.

The settings live in the database (the `queue` table, edited by the tenant's admins), not in the IVR
document: a dispatch rule or a fallback may send a call to any queue by name, and the queue behaves the
same wherever the call came from; supervisors tune strategies and overflow without republishing an IVR.
A queue an IVR names that has no row keeps the historical behaviour (longest idle, strict priorities,
no overflow, the runtime's default wrap-up).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform.models import Queue, Tenant
from ...platform.tenant_zone import zone_name
from ..acd import STRATEGIES, QueuePolicy

log = logging.getLogger("hotline.runtime.queue")


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """One queue's settings plus the tenant's cap on shared agents and UTC offset (for "today")."""

    name: str
    skills: tuple[str, ...] = ()
    strategy: str = "longest_idle"
    ageing_seconds: int = 0
    wrap_up_seconds: int | None = None
    overflow_after_seconds: int | None = None
    overflow_queue: str | None = None
    service_level_seconds: int = 20
    shared_cap: int | None = None
    day_offset_seconds: int = 0
    known: bool = False

    def policy(self) -> QueuePolicy:
        strategy = self.strategy
        if strategy not in STRATEGIES:  # bad data must not drop calls: serve them, and say why
            log.warning("queue %r has unknown strategy %r (expected one of %s); using longest_idle", self.name,
                        strategy, ", ".join(STRATEGIES))
            strategy = "longest_idle"
        return QueuePolicy(strategy=strategy, ageing_seconds=max(0, self.ageing_seconds or 0),
                           shared_cap=self.shared_cap, day_offset_seconds=self.day_offset_seconds)

    def overflow_to(self, visited: set[str]) -> str | None:
        """The next queue of the chain, if this queue overflows to one not visited yet (a chain that
        loops back ends where it would repeat)."""
        if self.overflow_queue and self.overflow_after_seconds and self.overflow_queue not in visited:
            return self.overflow_queue
        return None


def load_queue_settings(session: Session, tenant_id: int, name: str, now: datetime) -> QueueSettings:
    """The settings of queue `name` of the tenant (`session` is scoped to that tenant)."""
    tenant = session.get(Tenant, tenant_id)
    cap = tenant.shared_agent_cap if tenant is not None else None
    offset = _utc_offset(tenant.settings if tenant is not None else {}, now)
    row = session.scalar(select(Queue).where(Queue.name == name))
    if row is None:
        return QueueSettings(name, shared_cap=cap, day_offset_seconds=offset)
    return QueueSettings(name, skills=tuple(str(s) for s in row.skills or ()),
                         strategy=row.strategy or "longest_idle", ageing_seconds=row.ageing_seconds or 0,
                         wrap_up_seconds=row.wrap_up_seconds, overflow_after_seconds=row.overflow_after_seconds,
                         overflow_queue=row.overflow_queue, service_level_seconds=row.service_level_seconds,
                         shared_cap=cap, day_offset_seconds=offset, known=True)


def _utc_offset(settings: dict, now: datetime) -> int:
    zone = zone_name(settings)
    if not zone:
        return 0
    try:
        offset = now.astimezone(ZoneInfo(zone)).utcoffset()
    except (KeyError, ValueError):
        return 0
    return int(offset.total_seconds()) if offset is not None else 0
