"""The wallboard's figures for one tenant: today's totals (database) joined with the live state (ACD).

One call gives everything the board, its JSON endpoint and its event stream show, per queue and for the whole
tenant, each coloured by the supervisor's thresholds. Nothing is cached: every call reads the tenant's own
rows through a tenant-scoped session and the tenant's own ACD keys, so no figure can leak between tenants.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import models
from ..db import Database
from ..models import Membership, Queue, Tenant, User
from ..reports.intervals import short_abandon_seconds
from . import thresholds as th
from .live import AcdReader, AgentLive, LiveSnapshot
from .today import DEFAULT_TARGET_SECONDS, QueueTotals, day_bounds, tenant_zone, totals_by_queue, wrap_up_source

#: The ACD's agent states, in the order the board lists them; `reserved` is an available agent held for a preview
#: call they dialled (live.py), not counted as available.
AGENT_STATES = ("available", "reserved", "ringing", "on_call", "wrap_up", "break", "offline")


def _agent_counts(agents: Iterable[AgentLive]) -> dict[str, int]:
    counts = dict.fromkeys(AGENT_STATES, 0)
    for agent in agents:
        counts[agent.state] = counts.get(agent.state, 0) + 1
    return counts


def _serves(agent: AgentLive, queue_skills: Iterable[str]) -> bool:
    """An agent counts for a queue when it holds one of the queue's skills (any agent, if the queue names none)."""
    skills = list(queue_skills)
    return not skills or any(s in agent.skills for s in skills)


def _figures(totals: QueueTotals, waiting: int, longest: float | None) -> dict[str, Any]:
    return {
        "waiting": waiting,
        "longest_wait": longest,
        "offered": totals.offered,
        "answered": totals.answered,
        "abandoned": totals.abandoned,
        "abandoned_short": totals.abandoned_short,
        "answered_in_target": totals.answered_in_target,
        "service_level": totals.service_level,
        "abandon_rate": totals.abandon_rate,
        "aht": totals.aht,
        "average_talk": totals.average_talk,
        "asa": totals.asa,
    }


def _colours(values: Mapping[str, Any], levels: Mapping[str, th.Levels]) -> dict[str, str]:
    return {metric: th.colour(metric, values.get(metric), levels[metric]) for metric in th.METRICS}


def _agent_names(session: Session, agent_ids: Iterable[str]) -> tuple[dict[str, str], set[str]]:
    """Display names of the tenant's members by ACD agent id: the agent desk's extension (AgentExtension,
    when that model is present), else the user id as text or the username, whichever the ACD was given; and the
    ids that are a member's extension (the others have no phone the switch rings: task E item 4)."""
    wanted = set(agent_ids)
    if not wanted:
        return {}, set()
    names: dict[str, str] = {}
    phones: set[str] = set()
    members = select(User.id, User.username, User.display_name).join(Membership, Membership.user_id == User.id)
    extension = getattr(models, "AgentExtension", None)
    if extension is not None:
        rows = session.execute(members.add_columns(extension.extension)
                               .outerjoin(extension, extension.user_id == User.id).distinct())
    else:
        rows = ((*row, None) for row in session.execute(members.distinct()))
    for user_id, username, display, ext in rows:
        if ext is not None and ext in wanted:
            phones.add(ext)
        for key in (ext, str(user_id), username):
            if key in wanted:
                names.setdefault(key, display or username)
    return names, phones


def tenant_figures(db: Database, tenant_id: int, reader: AcdReader | None, *,
                   now: datetime | None = None) -> dict[str, Any]:
    """Every figure of the tenant's wallboard as JSON-able data (see docs/wallboard.md for each one)."""
    with db.tenant(tenant_id) as session:
        return figures_in(session, tenant_id, reader, now=now)


def figures_in(session: Session, tenant_id: int, reader: AcdReader | None, *,
               now: datetime | None = None) -> dict[str, Any]:
    """tenant_figures in the caller's tenant-scoped session (the site dashboard adds its business figures in
    the same session: one connection checkout and transaction instead of two)."""
    now = now or datetime.now(UTC)
    live = reader.snapshot(str(tenant_id)) if reader is not None else LiveSnapshot(0.0, error="no ACD configured")
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} does not exist")
    zone = tenant_zone(tenant.settings)
    day, start, end = day_bounds(now, zone)
    configured = list(session.execute(select(Queue).order_by(Queue.id)).scalars())  # the tenant's own order
    totals = totals_by_queue(session, start, end)
    levels = th.load(session)
    names, phones = _agent_names(session, (a.agent_id for a in live.agents))
    tenant_info = {"id": tenant.id, "slug": tenant.slug, "title": tenant.title, "timezone": zone.key}

    queue_meta = {q.name: q for q in configured}
    order = [q.name for q in configured] + sorted((set(live.queues) | set(totals)) - set(queue_meta))
    all_totals = QueueTotals()
    queues = []
    for name in order:
        meta = queue_meta.get(name)
        t = totals.get(name) or QueueTotals()
        target = getattr(meta, "service_level_seconds", None) if meta is not None else None
        t.target_seconds = int(target) if target else (t.target_seconds or DEFAULT_TARGET_SECONDS)
        all_totals.add(t)
        lq = live.queues.get(name)
        values = _figures(t, lq.waiting if lq else 0, lq.longest_wait if lq else None)
        skills = list(meta.skills or []) if meta is not None else []
        queues.append({
            "name": name,
            "label": meta.label if meta is not None else name,
            "configured": meta is not None,
            "target_seconds": t.target_seconds,
            **values,
            "agents": _agent_counts(a for a in live.agents if _serves(a, skills)),
            "colours": _colours(values, levels.for_queue(name)),
        })
    waits = [q["longest_wait"] for q in queues if q["longest_wait"] is not None]
    total_values = _figures(all_totals, sum(q["waiting"] for q in queues), max(waits) if waits else None)
    agents = sorted(live.agents, key=lambda a: (AGENT_STATES.index(a.state) if a.state in AGENT_STATES else 99,
                                                names.get(a.agent_id, a.agent_id)))
    return {
        "tenant": tenant_info,
        "day": day.isoformat(),
        "day_start": start.isoformat(),
        "generated_at": now.astimezone(UTC).isoformat(),
        # "更新于" in the tenant's zone, 24-hour, not the browser's 12-hour English clock (QA of issue 11, item 6).
        "generated_local": now.astimezone(zone).strftime("%H:%M:%S"),
        "live": {"available": live.available, "error": live.error},
        "states": list(AGENT_STATES),
        "metrics": {m.name: {"label": m.label, "unit": m.unit, "higher_is_worse": m.higher_is_worse}
                    for m in th.METRICS.values()},
        "wrap_up_source": wrap_up_source(),
        # the threshold of `abandoned_short`, so the board names it ("短时放弃（≤5秒）") as the reports count it
        "short_abandon_seconds": short_abandon_seconds(tenant.settings),
        "totals": {**total_values, "agents": _agent_counts(live.agents),
                   "colours": _colours(total_values, levels.for_queue(None))},
        "queues": queues,
        # `extension`: the agent has a phone on the switch (a member's extension), so listening in can reach it
        "agents": [{"id": a.agent_id, "name": names.get(a.agent_id, a.agent_id), "state": a.state,
                    "extension": a.agent_id in phones,
                    "seconds_in_state": a.seconds_in_state, "reason": a.reason, "skills": dict(a.skills)}
                   for a in agents],
    }
