"""A campaign's progress, computed from its dial attempts and entries (nothing is counted twice or cached).

* attempts: dials placed (compliance refusals and agents' preview skips, recorded as outcome `skipped`, are
  counted apart, each on its own: an agent's skip is the agent's choice, not a rule's refusal — QA 13a #1);
* connects: live answers (outcome `answered` or `abandoned`; an answering machine is not a connect);
* abandon rate: abandoned ÷ live answers — over the whole campaign, over the tenant's day (its time zone) and
  over the last 24 hours; the dialer holds each under the campaign's cap;
* contacts left: entries still pending or dialing; done share for the progress bar;
* agent occupancy: of the signed-in agents who can take the campaign's calls, the share busy with a call now
  (ringing, talking, wrapping up), from the ACD's live view; plus today's talk minutes from the attempts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import Campaign, DialAttempt, Tenant
from ..scoping import tenant_of
from ..wallboard.today import day_bounds, tenant_zone
from .campaigns import BUSY_STATES, entry_counts, serving_agents
from .skips import AGENT_SKIPS

LIVE_OUTCOMES = ("answered", "abandoned")


def _rate(abandoned: int, live: int) -> float | None:
    return round(abandoned / live, 4) if live else None


def _window(session: Session, campaign_id: int, since: datetime | None) -> dict[str, Any]:
    live = case((DialAttempt.outcome.in_(LIVE_OUTCOMES), 1), else_=0)
    dialled = case((DialAttempt.outcome != "skipped", 1), else_=0)
    by_agent = func.coalesce(DialAttempt.disposition, "").in_(sorted(AGENT_SKIPS))  # NULL is a rule's skip
    skipped = case(((DialAttempt.outcome == "skipped") & ~by_agent, 1), else_=0)
    agent_skipped = case(((DialAttempt.outcome == "skipped") & by_agent, 1), else_=0)
    dropped = case((DialAttempt.abandoned.is_(True), 1), else_=0)
    query = select(func.coalesce(func.sum(dialled), 0), func.coalesce(func.sum(live), 0),
                   func.coalesce(func.sum(dropped), 0), func.coalesce(func.sum(skipped), 0),
                   func.coalesce(func.sum(agent_skipped), 0)).where(
        DialAttempt.campaign_id == campaign_id)
    if since is not None:
        query = query.where(DialAttempt.at >= since)
    attempts, connects, abandoned, refused, agent_skips = (int(v) for v in session.execute(query).one())
    return {"attempts": attempts, "connects": connects, "abandoned": abandoned, "skipped": refused,
            "skipped_by_agent": agent_skips, "abandon_rate": _rate(abandoned, connects)}


def _talk_seconds(session: Session, campaign_id: int, since: datetime) -> float:
    rows = session.execute(select(DialAttempt.answered_at, DialAttempt.ended_at).where(
        DialAttempt.campaign_id == campaign_id, DialAttempt.at >= since, DialAttempt.answered_at.is_not(None),
        DialAttempt.ended_at.is_not(None)))
    return sum(max(0.0, (ended - answered).total_seconds()) for answered, ended in rows)


def progress(session: Session, campaign: Campaign, now: datetime, agents: Sequence[Any] | None) -> dict[str, Any]:
    """The campaign's figures now, JSON-ready (the detail page and its live stream show these)."""
    tenant = session.get(Tenant, tenant_of(session))
    zone = tenant_zone(tenant.settings if tenant is not None else None)
    _day, day_start, _day_end = day_bounds(now, zone)
    counts = entry_counts(session, campaign.id)
    total = sum(counts.values())
    left = counts.get("pending", 0) + counts.get("dialing", 0)
    serving = serving_agents(session, campaign, agents) if agents is not None else None
    busy = sum(1 for a in serving if a.state in BUSY_STATES) if serving is not None else None
    overall = _window(session, campaign.id, None)
    today = _window(session, campaign.id, day_start)
    last_day = _window(session, campaign.id, now - timedelta(hours=24))
    return {
        "status": campaign.status,
        "entries": {"total": total, "left": left, **counts},
        "done_ratio": round((total - left) / total, 4) if total else 0.0,
        "attempts": overall["attempts"],
        "connects": overall["connects"],
        "skipped": overall["skipped"],
        "skipped_by_agent": overall["skipped_by_agent"],
        "abandoned": overall["abandoned"],
        "abandon_rate": {"campaign": overall["abandon_rate"], "today": today["abandon_rate"],
                         "last_24h": last_day["abandon_rate"]},
        "abandon_cap": campaign.abandon_cap,
        "today": today,
        "agents": {"signed_in": len(serving) if serving is not None else None, "busy": busy,
                   "occupancy": round(busy / len(serving), 4) if serving else None},
        "talk_minutes_today": round(_talk_seconds(session, campaign.id, day_start) / 60, 1),
        "generated_at": now.isoformat(),
    }
