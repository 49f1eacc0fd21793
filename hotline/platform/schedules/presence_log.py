"""Copies the ACD's agent-state changes from a tenant's Redis stream into `agent_state_change`.

The stream (P:tenant:<tenant>:events, platform/acd/keys.py) is the one place every presence change is written, by
the same Lua step that makes it: desk clicks, rings, answers, hang-ups, missed offers, sweeps. It is trimmed to
about ten thousand entries, so attendance cannot be read from it after a busy day; this copy keeps the history.
It runs every minute in the worker (jobs/attendance.py) and once more before an attendance page is drawn.

Copying resumes after the last entry copied (the tenant's newest row's stream id) and is idempotent: a second
copier racing the first hits the (tenant, stream id) unique key, rolls its batch back and stops.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..acd.keys import DEFAULT_PREFIX, AcdKeys
from ..models import AgentExtension, AgentStateChange

BATCH = 1000
log = logging.getLogger("hotline.attendance")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _instant(value: str) -> datetime | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None


def last_copied(session: Session, tenant_id: int) -> str:
    """The stream id of the newest change copied for the tenant ("0-0" before the first)."""
    found = session.scalar(select(AgentStateChange.stream_id).where(AgentStateChange.tenant_id == tenant_id)
                           .order_by(AgentStateChange.id.desc()).limit(1))
    return found or "0-0"


def _stream_id(text: str) -> tuple[int, int] | None:
    ms, _, seq = text.partition("-")
    try:
        return int(ms), int(seq or 0)
    except ValueError:  # not a Redis stream id (rows written by hand): no gap can be told
        return None


def _warn_on_gap(redis: Any, key: str, tenant_id: int, after: str) -> None:
    """Logs when the stream was trimmed past the last copied entry: attendance lost the changes in between."""
    first = redis.xrange(key, min="-", count=1)
    oldest_id, after_id = (_stream_id(_text(first[0][0])) if first else None), _stream_id(after)
    if oldest_id is not None and after_id is not None and oldest_id > after_id:
        oldest = _text(first[0][0])
        log.warning("tenant %s: the ACD stream was trimmed past the last copied change (%s, oldest kept %s); "
                    "attendance misses the changes in between (copy more often)", tenant_id, after, oldest)


def copy_state_changes(session: Session, redis: Any, tenant_id: int, prefix: str = DEFAULT_PREFIX) -> int:
    """Copies the tenant's new `agent_state` entries (a sync redis client); returns how many rows were added."""
    key = AcdKeys(prefix).events(str(tenant_id))
    after = last_copied(session, tenant_id)
    users = dict(session.execute(select(AgentExtension.extension, AgentExtension.user_id)).all())
    if after != "0-0":
        _warn_on_gap(redis, key, tenant_id, after)
    added = 0
    while True:
        rows = redis.xrange(key, min=f"({after}" if after != "0-0" else "-", count=BATCH)
        if not rows:
            return added
        batch = []
        for raw_id, raw_fields in rows:
            after = _text(raw_id)
            fields = {_text(k): _text(v) for k, v in raw_fields.items()}
            at = _instant(fields.get("at", ""))
            if fields.get("kind") != "agent_state" or at is None or not fields.get("agent"):
                continue
            agent = fields["agent"][:32]
            batch.append(AgentStateChange(
                tenant_id=tenant_id, agent=agent, user_id=users.get(agent), state=fields.get("state", "")[:16],
                reason=fields.get("reason", "")[:64], at=at, until=_instant(fields.get("until", "")),
                stream_id=after))
        if batch:
            try:
                with session.begin_nested():
                    session.add_all(batch)
            except IntegrityError:  # another copier got there first: it copies the rest too
                return added
            added += len(batch)
        if len(rows) < BATCH:
            return added


def copy_all_tenants(db: Any, redis: Any, prefix: str = DEFAULT_PREFIX) -> int:
    """Copies every tenant's new changes (the worker's minute job, jobs/attendance.py); returns the rows added."""
    from ..models import Tenant

    with db.platform() as session:
        tenant_ids = list(session.scalars(select(Tenant.id)))
    added = 0
    for tenant_id in tenant_ids:
        with db.tenant(tenant_id) as session:
            added += copy_state_changes(session, redis, tenant_id, prefix)
    return added
