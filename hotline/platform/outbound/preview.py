"""Preview dialling: the agent sees the next contact and the script first, then dials (拨打) or skips (跳过, with a
reason from SKIP_REASONS). No dialer paces a preview campaign; the agent's desk asks for the next contact.

`offer` claims one due entry of a running preview campaign the agent may work (the campaign's skill, if any,
among the agent's) under the agent's own lease (`preview:<agent>`, PREVIEW_HOLD long), through the dialer's claim
(dialing.claim): the same lease, the same compliance refusals at that moment, and the attempt row written before
anything is dialled. A refused entry is skipped as the dialer would and the next one offered. An agent asking
again gets the contact already held for them.

`dial` turns the held attempt into a DialOrder for the dialer process (it places the call with the agent as the
target: the agent is waiting, so the callee gets them at once); `skip` records the reason on the attempt
(outcome `skipped`, `disposition` the reason's code, `reason` its words) and the entry's next state: back in the
list later, failed (the data is wrong) or closed (a duplicate). A skip is no dial: it does not count against the
contact's attempt cap.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..models import Campaign, CampaignEntry, DialAttempt
from . import campaigns, dialing, outcomes, reasons
from .skips import SKIP_REASONS

#: How long a previewed contact stays the agent's before it goes back to the list.
PREVIEW_HOLD = timedelta(minutes=10)
OWNER_PREFIX = "preview:"


@dataclass(frozen=True)
class Offer:
    """The contact held for the agent: its attempt (written, outcome `dialing`), entry and campaign."""

    attempt_id: int
    entry_id: int
    campaign_id: int


def owner_of(agent: str) -> str:
    return f"{OWNER_PREFIX}{agent}"


def _held(session: Session, agent: str, now: datetime) -> Offer | None:
    row = session.execute(
        select(DialAttempt.id, CampaignEntry.id, CampaignEntry.campaign_id)
        .join(CampaignEntry, CampaignEntry.id == DialAttempt.entry_id)
        .join(Campaign, Campaign.id == CampaignEntry.campaign_id)
        .where(CampaignEntry.state == "dialing", CampaignEntry.lease_owner == owner_of(agent),
               CampaignEntry.lease_until > now, DialAttempt.outcome == "dialing", DialAttempt.call_uuid.is_not(None),
               Campaign.status == "running", Campaign.mode == "preview")
        .order_by(DialAttempt.id.desc()).limit(1)).first()
    return Offer(row[0], row[1], row[2]) if row is not None else None


def workable(session: Session, skills: Collection[str]) -> list[Campaign]:
    """The tenant's running preview campaigns an agent holding `skills` may work, oldest first."""
    query = (select(Campaign).where(Campaign.status == "running", Campaign.mode == "preview",
                                    or_(Campaign.skill.is_(None), Campaign.skill.in_(sorted(skills) or [""])))
             .order_by(Campaign.id))
    return list(session.scalars(query))


def offer(session: Session, agent: str, skills: Collection[str], now: datetime, *, tries: int = 20) -> Offer | None:
    """The next contact for the agent to preview (the one already held for them first); None when none is due."""
    held = _held(session, agent, now)
    if held is not None:
        return held
    for campaign in workable(session, skills):
        for _ in range(tries):  # refusals (DNC, caps, outside the window) are settled and the next one tried
            result = dialing.claim(session, campaign.id, owner_of(agent), now, 1, agents_free={agent})
            if result.orders:
                order = result.orders[0]
                session.execute(update(CampaignEntry).where(CampaignEntry.id == order.entry_id)
                                .values(lease_until=now + PREVIEW_HOLD)
                                .execution_options(synchronize_session=False))
                return Offer(order.attempt_id, order.entry_id, campaign.id)
            if not (result.refused or result.deferred):
                break
    return None


def _mine(session: Session, attempt_id: int, agent: str, now: datetime) -> tuple[DialAttempt, CampaignEntry]:
    attempt = session.get(DialAttempt, attempt_id)
    entry = session.get(CampaignEntry, attempt.entry_id) if attempt is not None and attempt.entry_id else None
    if attempt is None or entry is None or attempt.outcome != "dialing" or entry.state != "dialing" \
            or entry.lease_owner != owner_of(agent) or (entry.lease_until is not None and entry.lease_until <= now):
        raise LookupError(f"contact {attempt_id} is not held for agent {agent} any more")
    return attempt, entry


def dial(session: Session, attempt_id: int, agent: str, now: datetime) -> dialing.DialOrder:
    """The agent pressed 拨打: the order the dialer places (for this agent); the attempt's time is now. LookupError
    when the contact is not the agent's any more (the hold lapsed, or it was skipped in another tab)."""
    attempt, entry = _mine(session, attempt_id, agent, now)
    campaign = session.get(Campaign, entry.campaign_id)
    assert campaign is not None
    script = campaigns.script_body(session, campaign)
    policy = script.get("dialing") or {}
    ring_timeout = int(policy.get("ring_timeout_seconds") or 30)
    attempt.at = now
    entry.lease_owner = f"{OWNER_PREFIX}{agent}:dialled"  # no second 拨打 from another tab
    entry.lease_until = now + timedelta(seconds=ring_timeout) + outcomes.ARRIVAL_MARGIN + timedelta(seconds=30)
    return dialing.DialOrder(campaign.tenant_id, campaign.id, entry.id, attempt.id, entry.phone_e164,
                             attempt.call_uuid or "", "preview", policy.get("caller_id"), ring_timeout,
                             campaign.queue, campaign.skill, agent)


def skip(session: Session, attempt_id: int, agent: str, reason: str, now: datetime) -> CampaignEntry:
    """The agent pressed 跳过 with `reason` (a key of SKIP_REASONS; ValueError for anything else)."""
    if reason not in SKIP_REASONS:
        raise ValueError(f"reason: {reason!r} is not one of {', '.join(SKIP_REASONS)}")
    attempt, entry = _mine(session, attempt_id, agent, now)
    state, minutes, _words = SKIP_REASONS[reason]
    why = reasons.coded("reason.agent_skip", agent=agent, skip=reason)  # worded per reader (QA 13a #5)
    attempt.outcome, attempt.disposition, attempt.reason = "skipped", reason, why
    attempt.agent, attempt.ended_at = agent, now
    entry.attempts = max(0, entry.attempts - 1)  # the claim counted a dial that never happened
    # the entry's last outcome is the reason's code, so the campaign page labels it as the agent's skip
    if state == "pending":
        outcomes.settle_entry(session, entry, "pending", reason, now, due=now + timedelta(minutes=minutes))
    else:
        outcomes.settle_entry(session, entry, state, reason, now, reason=why)
    return entry

