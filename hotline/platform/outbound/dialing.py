"""The dialer's claim side: claim due entries under a lease, check compliance at dial time, and write the attempt
before the call is placed. What happens to an attempt afterwards (its outcome, the entry's retry or end) is
outcomes.py (docs/outbound.md, "Entry states").

No telephony here (the runtime's dialer places the calls); every function takes the tenant's session, so a
dialer serving many tenants cannot mix them up. The invariants:

* an entry is dialled by one dialer at a time: the claim is `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL and a
  conditional UPDATE on SQLite (one writer at a time there), both only of `pending` rows that are due or
  `dialing` rows whose lease has lapsed;
* the `DialAttempt` row (outcome `dialing`, the call's uuid chosen in advance) is committed before originate, so a
  dialer that dies mid-call leaves a record that a later claim closes as `lost`;
* compliance.check runs in the same transaction as the claim, against the DNC lists as they are at that moment:
  a "要求不再来电" committed by any campaign of the tenant stops the next dial of the number everywhere.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, or_, select, text, update
from sqlalchemy.orm import Session

from ..models import Campaign, CampaignEntry, Contact, DialAttempt, DncEntry, PlatformDncEntry
from . import campaigns, dnc, reasons
from .compliance import ABANDON_QUIET, FINAL_REFUSALS, ContactFacts, _zone, check, last_dial, next_window_opening

# The outcome side lived here until it was split out; callers written against `dialing.record_…` keep working.
from .outcomes import (  # noqa: F401  (re-exported)
    ANSWERED_LEASE,
    ARRIVAL_MARGIN,
    CAUSE_OUTCOMES,
    DEFAULT_RETRIES,
    FINAL_OUTCOMES,
    UNREACHED_REASON,
    _settle,
    expire_unreached,
    outcome_of_cause,
    preload,
    record_answer,
    record_answers,
    record_arrival,
    record_call_end,
    record_disposition,
    record_failure,
    settle_entry,
)
from .reasons import detail_code

#: How long a claim holds before another dialer may take the entry (extended while the call lasts).
LEASE_SECONDS = 120


@dataclass(frozen=True)
class CampaignRef:
    """A running campaign as the dialer schedules it (read in a platform session across tenants)."""

    id: int
    tenant_id: int
    mode: str
    queue: str | None
    skill: str | None
    max_lines: int
    abandon_cap: float


@dataclass(frozen=True)
class DialOrder:
    """One call to place: the attempt is already written; `call_uuid` becomes the channel's origination_uuid."""

    tenant_id: int
    campaign_id: int
    entry_id: int
    attempt_id: int
    phone_e164: str
    call_uuid: str
    mode: str
    caller_id: str | None = None
    ring_timeout: int = 30
    queue: str | None = None
    skill: str | None = None
    preferred_agent: str | None = None


@dataclass
class ClaimResult:
    """What one claim produced: calls to place, entries refused (entry id -> refusal rule), entries put back."""

    orders: list[DialOrder] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)
    deferred: dict[int, datetime] = field(default_factory=dict)


def running_campaigns(session: Session) -> list[CampaignRef]:
    """Campaigns a dialer works on now: running, not preview (the desk dials those), of every tenant."""
    rows = session.scalars(select(Campaign).where(Campaign.status == "running", Campaign.mode != "preview")
                           .order_by(Campaign.id))
    return [CampaignRef(c.id, c.tenant_id, c.mode, c.queue, c.skill, c.max_lines, c.abandon_cap) for c in rows]


def _due(now: datetime) -> Any:
    pending = and_(CampaignEntry.state == "pending",
                   or_(CampaignEntry.next_attempt_at.is_(None), CampaignEntry.next_attempt_at <= now))
    lapsed = and_(CampaignEntry.state == "dialing", CampaignEntry.lease_until < now)
    return or_(pending, lapsed)


def _for_whom(now: datetime, agent_wait: timedelta, agents_free: Collection[str]) -> Any:
    """A callback booked with an agent is dialled only while that agent is free, until the campaign's wait for
    them is over (due + agent_wait_seconds); from then on, like any entry, for whichever agent is free."""
    conditions = [CampaignEntry.preferred_agent.is_(None), CampaignEntry.next_attempt_at.is_(None),
                  CampaignEntry.next_attempt_at <= now - agent_wait]
    if agents_free:
        conditions.append(CampaignEntry.preferred_agent.in_(sorted(agents_free)))
    return or_(*conditions)


def _claim_ids(session: Session, campaign_id: int, owner: str, now: datetime, limit: int,
               who: Any = None) -> list[int]:
    """SQLite's claim (PostgreSQL's is _claim_postgres): due ids, then a conditional UPDATE per id."""
    lease = now + timedelta(seconds=LEASE_SECONDS)
    query = (select(CampaignEntry.id).where(CampaignEntry.campaign_id == campaign_id, _due(now),
                                            *([who] if who is not None else []))
             .order_by(CampaignEntry.next_attempt_at.is_not(None), CampaignEntry.next_attempt_at, CampaignEntry.id)
             .limit(limit))
    claimed = []
    for entry_id in session.scalars(query):  # SQLite: one writer at a time; the WHERE re-checks the row
        result = session.execute(update(CampaignEntry).where(CampaignEntry.id == entry_id, _due(now),
                                                             *([who] if who is not None else []))
                                 .values(state="dialing", lease_owner=owner, lease_until=lease, updated_at=now)
                                 .execution_options(synchronize_session=False))
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(entry_id)
    return claimed


def claim(session: Session, campaign_id: int, owner: str, now: datetime, limit: int,
          agents_free: Collection[str] = ()) -> ClaimResult:
    """Claims up to `limit` due entries, checks each against the rules now, and writes an attempt per call to place.

    `agents_free`: the agents available now. A callback booked with one of them is dialled for that agent (the
    order names it; the answered call waits for them first) — one per agent per claim; a callback booked with an
    agent who is not free waits for them up to the campaign's `agent_wait_seconds`, then goes to anyone.

    Refused for good (DNC, no consent, attempt cap): the entry is `skipped`, with a `skipped` attempt whose
    disposition is the rule and the entry's closed_reason its words (the DNC list that matched). Refused for now
    (outside the window, the minimum gap, the 72-hour rule): the entry goes back to `pending`, due when the rule
    allows, and no attempt is written (it would count against the cap).
    """
    result = ClaimResult()
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != "running" or limit <= 0:
        return result
    agent_wait = timedelta(seconds=campaign.agent_wait_seconds or 0)
    who = _for_whom(now, agent_wait, agents_free)
    if session.get_bind().dialect.name == "postgresql":
        claimed = _claim_postgres(session, campaign, owner, now, limit, who)
    else:
        claimed = _claim_portable(session, campaign, owner, now, limit, who)
    if not claimed.entries:
        return result
    targets = _targets(claimed.entries, now, agent_wait, agents_free, result)
    entries = [e for e in claimed.entries if e.id not in result.deferred]
    if claimed.reclaimed:
        for entry_id in _close_lost(session, [i for i in claimed.reclaimed if i not in result.deferred], now):
            facts = claimed.facts[entry_id]  # an answer no runtime took is an abandon as of now (the 72-hour rule)
            claimed.facts[entry_id] = replace(facts, attempts=[*facts.attempts, (now, True)])
    elsewhere = dials_elsewhere(session, campaign, {claimed.facts[e.id].phone_e164 for e in entries})
    for entry in entries:
        facts = claimed.facts[entry.id]
        claimed.facts[entry.id] = replace(facts, elsewhere=elsewhere.get(facts.phone_e164, ()))
    script = _script(session, campaign)
    policy = campaigns.dialing_policy(campaign)
    days_off = campaigns.tenant_holidays(session)
    caller_id = (script.get("dialing") or {}).get("caller_id")
    ring_timeout = int((script.get("dialing") or {}).get("ring_timeout_seconds") or 30)
    placing: list[tuple[CampaignEntry, DialAttempt]] = []
    for entry in entries:
        facts = claimed.facts[entry.id]
        refusal = check(facts, policy, now, purpose=campaign.purpose, holidays=days_off,
                        min_gap_minutes=campaign.min_gap_minutes)
        if refusal is not None and refusal.rule in FINAL_REFUSALS:
            why = reasons.coded(detail_code(refusal.rule, refusal.params), **refusal.params)  # worded per reader
            session.add(DialAttempt(contact_id=entry.contact_id, phone_e164=entry.phone_e164, at=now,
                                    outcome="skipped", disposition=refusal.rule, campaign_id=campaign_id,
                                    entry_id=entry.id, reason=why))
            _settle(session, entry, "skipped", refusal.rule, now, reason=why)
            result.refused[entry.id] = refusal.rule
            continue
        if refusal is not None:
            due = _allowed_again(refusal.rule, facts, policy, days_off, now, campaign.min_gap_minutes)
            entry.state, entry.lease_owner, entry.lease_until = "pending", None, None
            entry.next_attempt_at, entry.last_outcome, entry.updated_at = due, refusal.rule, now
            result.deferred[entry.id] = due
            continue
        attempt = DialAttempt(contact_id=entry.contact_id, phone_e164=entry.phone_e164, at=now, outcome="dialing",
                              campaign_id=campaign_id, entry_id=entry.id, call_uuid=str(uuidlib.uuid4()))
        placing.append((entry, attempt))
    if claimed.counted:  # the claim counted a dial for each entry: not for those refused or put back
        for entry in claimed.entries:
            if entry.id in result.refused or entry.id in result.deferred:
                entry.attempts = max(0, entry.attempts - 1)
    session.add_all([attempt for _, attempt in placing])
    session.flush()  # one batched INSERT … RETURNING for the whole claim
    if placing and not claimed.counted:  # one UPDATE for the whole claim, not one per entry
        session.execute(update(CampaignEntry).where(CampaignEntry.id.in_([e.id for e, _ in placing]))
                        .values(attempts=CampaignEntry.attempts + 1, updated_at=now)
                        .execution_options(synchronize_session=False))
    for entry, attempt in placing:
        result.orders.append(DialOrder(campaign.tenant_id, campaign_id, entry.id, attempt.id, entry.phone_e164,
                                       attempt.call_uuid or "", campaign.mode, caller_id, ring_timeout,
                                       campaign.queue, campaign.skill, targets.get(entry.id)))
    return result


@dataclass
class _Claimed:
    """Entries one claim took, with what the rules need about each (by entry id); `reclaimed`: entries that may
    carry an attempt still open (to record as lost); `counted`: the claim already added one to `attempts`."""

    entries: list[CampaignEntry]
    facts: dict[int, ContactFacts]
    reclaimed: list[int]
    counted: bool


#: Published script versions are immutable: read once per process (database, tenant, name, version) -> body.
_SCRIPTS: dict[tuple[str, int, str, int], dict[str, Any]] = {}
_SCRIPTS_KEPT = 512


def _script(session: Session, campaign: Campaign) -> dict[str, Any]:
    if campaign.script is None or campaign.script_version is None:
        return {}
    key = (str(session.get_bind().url), campaign.tenant_id, campaign.script, campaign.script_version)
    body = _SCRIPTS.get(key)
    if body is None:
        body = campaigns.script_body(session, campaign)
        if len(_SCRIPTS) >= _SCRIPTS_KEPT:
            _SCRIPTS.clear()
        _SCRIPTS[key] = body
    return body


def _claim_postgres(session: Session, campaign: Campaign, owner: str, now: datetime, limit: int,
                    who: Any) -> _Claimed:
    """One statement: `WITH picked AS (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) UPDATE … FROM picked RETURNING` the
    entries with their contact's zone and consent, whether each number is on the tenant's or the platform's DNC list
    (as the lists are at this moment), the number's earlier dials and whether an attempt is still open — the lease,
    the count of the dial and everything compliance.check reads, in one round trip instead of eight."""
    entry = CampaignEntry
    picked = (select(entry.id).where(entry.campaign_id == campaign.id, _due(now), who)
              .order_by(entry.next_attempt_at.is_not(None), entry.next_attempt_at, entry.id)
              .limit(limit).with_for_update(skip_locked=True).cte("picked"))
    zone = select(Contact.timezone).where(Contact.id == entry.contact_id).scalar_subquery()
    consent = select(Contact.consent_at).where(Contact.id == entry.contact_id).scalar_subquery()
    on_tenant = exists().where(DncEntry.tenant_id == entry.tenant_id, DncEntry.phone_e164 == entry.phone_e164)
    on_platform = exists().where(PlatformDncEntry.phone_e164 == entry.phone_e164)
    when = case((DialAttempt.abandoned.is_(True), func.coalesce(DialAttempt.ended_at, DialAttempt.at)),
                else_=DialAttempt.at)
    history = (select(func.json_agg(func.json_build_array(func.extract("epoch", when), DialAttempt.abandoned)))
               .where(DialAttempt.tenant_id == entry.tenant_id, DialAttempt.phone_e164 == entry.phone_e164,
                      DialAttempt.outcome != "skipped",
                      or_(DialAttempt.campaign_id == campaign.id, DialAttempt.abandoned.is_(True)))
               .scalar_subquery())
    still_open = exists().where(DialAttempt.entry_id == entry.id, DialAttempt.outcome.in_(("dialing", "answered")),
                                DialAttempt.ended_at.is_(None))
    # A CTE, not `id IN (subquery)`: PostgreSQL evaluates a locking CTE once, while an IN subquery with LIMIT and
    # FOR UPDATE may be run again per row and claim more entries than asked for.
    statement = (update(entry).where(entry.id == picked.c.id)
                 .values(state="dialing", lease_owner=owner, lease_until=now + timedelta(seconds=LEASE_SECONDS),
                         updated_at=now, attempts=entry.attempts + 1)
                 .returning(entry, zone, consent, on_tenant, on_platform, history, still_open))
    claimed = _Claimed([], {}, [], counted=True)
    for row, zone_, consent_, tenant_list, platform_list, earlier, open_ in session.execute(
            statement, execution_options={"synchronize_session": False}):
        lists = (*(("tenant",) if tenant_list else ()), *(("platform",) if platform_list else ()))
        dials = [(datetime.fromtimestamp(float(at), UTC), bool(abandoned)) for at, abandoned in _json(earlier)]
        claimed.entries.append(row)
        claimed.facts[row.id] = ContactFacts(row.phone_e164, zone_, consent_, lists, dials)
        if open_:
            claimed.reclaimed.append(row.id)
    claimed.entries.sort(key=lambda e: e.id)
    return claimed


def lock_numbers(session: Session, tenant_id: int, phones: Collection[str]) -> None:
    """Serialises dials of the same numbers across campaigns and dialers until this transaction ends: on PostgreSQL
    a transaction-scoped advisory lock per (tenant, number hash), taken in sorted order (no deadlock between two
    claims); SQLite has one writer at a time, and a claim has written before it reads the dials. Two campaigns
    claiming the same number at once: the second waits for the first's attempt to commit, then sees it (READ
    COMMITTED: each statement reads what is committed when it starts) and keeps the minimum gap."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:tenant, hashtext(p.phone)) "
                         "FROM (SELECT unnest(CAST(:phones AS text[])) AS phone ORDER BY 1) AS p"),
                    {"tenant": tenant_id, "phones": sorted(set(phones))})


def dials_elsewhere(session: Session, campaign: Campaign, phones: Collection[str]) -> dict[str, list[datetime]]:
    """When each number was dialled by the tenant's other campaigns (skips are no dials), read under the number's
    lock (lock_numbers), so the minimum gap holds across campaigns and across claims made at the same moment."""
    if not phones:
        return {}
    lock_numbers(session, campaign.tenant_id, phones)
    rows = session.execute(select(DialAttempt.phone_e164, func.max(DialAttempt.at))
                           .where(DialAttempt.tenant_id == campaign.tenant_id, DialAttempt.phone_e164.in_(set(phones)),
                                  DialAttempt.outcome != "skipped",
                                  or_(DialAttempt.campaign_id.is_(None), DialAttempt.campaign_id != campaign.id))
                           .group_by(DialAttempt.phone_e164))
    return {phone: [_aware(at)] for phone, at in rows if at is not None}


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _json(value: Any) -> list[Any]:
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str | bytes) else list(value)


def _claim_portable(session: Session, campaign: Campaign, owner: str, now: datetime, limit: int,
                    who: Any) -> _Claimed:
    """SQLite: one writer at a time; a conditional UPDATE per entry, then the facts in a few queries."""
    ids = _claim_ids(session, campaign.id, owner, now, limit, who)
    if not ids:
        return _Claimed([], {}, [], counted=False)
    entries = list(session.scalars(select(CampaignEntry).where(CampaignEntry.id.in_(ids))
                                   .order_by(CampaignEntry.id)))
    phones = {e.phone_e164 for e in entries}
    contacts = {c.id: c for c in session.scalars(select(Contact).where(
        Contact.id.in_({e.contact_id for e in entries if e.contact_id is not None})))}
    on_lists = dnc.lists_holding(session, phones)
    history = _history(session, campaign.id, phones)
    facts = {}
    for entry in entries:
        contact = contacts.get(entry.contact_id) if entry.contact_id is not None else None
        facts[entry.id] = ContactFacts(entry.phone_e164, contact.timezone if contact else None,
                                       contact.consent_at if contact else None, on_lists.get(entry.phone_e164, ()),
                                       history.get(entry.phone_e164, ()))
    return _Claimed(entries, facts, [e.id for e in entries], counted=False)


def _targets(entries: Sequence[CampaignEntry], now: datetime, agent_wait: timedelta, agents_free: Collection[str],
             result: ClaimResult) -> dict[int, str]:
    """Entry id -> the agent its call is for (a callback still within its wait for that agent). A second
    callback for the same agent in one claim goes back, due as before: the agent can take one call at a time."""
    targets: dict[int, str] = {}
    taken: set[str] = set()
    for entry in entries:
        agent = entry.preferred_agent
        if agent is None or entry.next_attempt_at is None or entry.next_attempt_at <= now - agent_wait:
            continue
        if agent in agents_free and agent not in taken:
            taken.add(agent)
            targets[entry.id] = agent
            continue
        entry.state, entry.lease_owner, entry.lease_until, entry.updated_at = "pending", None, None, now
        result.deferred[entry.id] = entry.next_attempt_at
    return targets


def _history(session: Session, campaign_id: int, phones: set[str]) -> dict[str, list[tuple[datetime, bool]]]:
    """(when, abandoned) per number: this campaign's dials (caps, gaps), and abandoned calls of any campaign of the
    tenant (the 72-hour rule protects the person, whichever campaign dropped the call). Skipped rows are no dials."""
    found: dict[str, list[tuple[datetime, bool]]] = {}
    if not phones:
        return found
    rows = session.execute(select(DialAttempt.phone_e164, DialAttempt.at, DialAttempt.ended_at, DialAttempt.abandoned)
                           .where(DialAttempt.phone_e164.in_(phones), DialAttempt.outcome != "skipped",
                                  or_(DialAttempt.campaign_id == campaign_id, DialAttempt.abandoned.is_(True))))
    for phone, at, ended_at, abandoned in rows:  # an abandon counts from when the person was dropped
        found.setdefault(phone, []).append(((ended_at or at) if abandoned else at, bool(abandoned)))
    return found


def _allowed_again(rule: str, facts: ContactFacts, policy: Mapping[str, Any], days_off: Sequence[str],
                   now: datetime, min_gap_minutes: int) -> datetime:
    """When a rule that refuses for now stops refusing (the next window opening, the gap's end, 72 hours on)."""
    attempts = sorted(facts.attempts)
    if rule == "outside_window":
        zone: ZoneInfo = _zone(facts.timezone, str(policy.get("timezone") or "Asia/Shanghai"))
        opening = next_window_opening(now.astimezone(zone), policy.get("windows") or [], days_off)
        return opening.astimezone(now.tzinfo) if opening else now + timedelta(days=1)
    if rule == "abandoned_72h":
        return max(at for at, abandoned in attempts if abandoned) + ABANDON_QUIET
    last = last_dial(facts)
    if rule == "min_gap" and last is not None:
        return last + timedelta(minutes=min_gap_minutes)
    return now + timedelta(minutes=5)


def _close_lost(session: Session, entry_ids: Sequence[int], now: datetime) -> set[int]:
    """Attempts still `dialing` on entries claimed again: their dialer died or lost them; recorded as `lost`.
    Answered ones that no runtime took (expire_unreached had not run yet): abandoned, with the reason — the
    claim's facts then hold the abandon, and the 72-hour rule puts the entry back instead of redialling. Returns the
    entries of those abandons."""
    session.execute(update(DialAttempt).where(DialAttempt.entry_id.in_(entry_ids), DialAttempt.outcome == "dialing")
                    .values(outcome="lost", ended_at=now).execution_options(synchronize_session=False))
    closed = session.execute(update(DialAttempt).where(
        DialAttempt.entry_id.in_(entry_ids), DialAttempt.outcome == "answered", DialAttempt.ended_at.is_(None))
                             .values(outcome="abandoned", abandoned=True, ended_at=now, reason=UNREACHED_REASON)
                             .returning(DialAttempt.entry_id).execution_options(synchronize_session=False))
    return {entry_id for (entry_id,) in closed}
