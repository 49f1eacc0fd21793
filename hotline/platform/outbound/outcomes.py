"""The dialer's outcome side: each result of a call (a failed originate, an answer, the runtime's end, the agent's
disposition) turns into the attempt's outcome and the entry's next state — back to pending after the retry
policy's delay, or an end (docs/outbound.md, "Entry states"). The claim side (who dials what, when, under which
rules) is dialing.py.

Every function takes the tenant's session. The invariants:

* writes that race with another process (the runtime recording a call's end while the dialer records its answer)
  are conditional UPDATEs, so the later, less specific record never overwrites the earlier one;
* an abandoned call is retried no sooner than 72 hours on (compliance.ABANDON_QUIET), whatever the policy says;
* a "要求不再来电" disposition puts the number on the tenant's DNC list in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, or_, select, update
from sqlalchemy.orm import Session

from ..models import Campaign, CampaignEntry, DialAttempt
from . import answer_tickets, dnc, reasons, task_campaign
from .compliance import ABANDON_QUIET
from .runner_script import runner_script

#: A call that reached a runtime holds its entry this long (the agent's talk and wrap-up) unless it ends sooner.
ANSWERED_LEASE = timedelta(hours=4)
#: An answered call must reach a runtime within this long (answering-machine detection included); until it
#: does, the answer holds the entry only this much longer, so a call lost between the switch and the runtime
#: frees its entry in a minute, not in four hours.
ARRIVAL_MARGIN = timedelta(seconds=60)
#: Reasons are stored as codes with parameters (reasons.py), worded where they are read (QA 13a #5).
UNREACHED_REASON = reasons.coded("reason.unreached")
#: Hang-up causes of a failed originate, as the dialer's outcomes (Q.850 names as FreeSWITCH reports them).
CAUSE_OUTCOMES = {
    "NO_ANSWER": "no_answer", "NO_USER_RESPONSE": "no_answer", "ALLOTTED_TIMEOUT": "no_answer",
    "ORIGINATOR_CANCEL": "no_answer", "RECOVERY_ON_TIMER_EXPIRE": "no_answer", "SUBSCRIBER_ABSENT": "no_answer",
    "USER_BUSY": "busy", "CALL_REJECTED": "busy", "NORMAL_CIRCUIT_CONGESTION": "busy",
    "UNALLOCATED_NUMBER": "invalid", "INVALID_NUMBER_FORMAT": "invalid", "NO_ROUTE_DESTINATION": "invalid",
    "NUMBER_CHANGED": "invalid",
}  # fmt: skip
#: Retries when the campaign's policy does not name the outcome: an abandoned call is called back once, after the
#: 72 hours of quiet the rules require (the person was dropped through no fault of their own).
DEFAULT_RETRIES = {"abandoned": {"delay_minutes": 72 * 60, "max": 1}}
#: Outcomes that end an entry at once, whatever the retry policy says: the number cannot be reached.
FINAL_OUTCOMES = frozenset({"invalid"})


def outcome_of_cause(cause: str) -> str:
    """The dialer's outcome for an originate that failed with `cause` (anything unlisted: failed)."""
    return CAUSE_OUTCOMES.get(cause.strip().upper(), "failed")


def _settle(session: Session, entry: CampaignEntry, state: str, outcome: str, now: datetime, *,
            reason: str = "", due: datetime | None = None) -> None:
    """The entry's next state; an end (done, failed, skipped, closed) goes through task_campaign.settle, which
    closes a call task's task the same way."""
    if state in task_campaign.FINAL_STATES and entry.call_task_id is not None:
        task_campaign.settle(session, entry, state, reason or _words(outcome))
    elif state in task_campaign.FINAL_STATES:  # what settle does, without its flush per entry (a tick's results)
        entry.state, entry.closed_reason = state, reason or _words(outcome)
        entry.lease_owner = entry.lease_until = None
    else:
        entry.state, entry.lease_owner, entry.lease_until = state, None, None
    entry.last_outcome, entry.updated_at, entry.next_attempt_at = outcome, now, due


def settle_entry(session: Session, entry: CampaignEntry, state: str, outcome: str, now: datetime, *,
                 reason: str = "", due: datetime | None = None) -> None:
    """The entry's next state, for the desk's preview (outbound/preview.py): as a result of the dialer's own."""
    _settle(session, entry, state, outcome, now, reason=reason, due=due)


def _retry(session: Session, campaign: Campaign, entry: CampaignEntry, outcome: str, now: datetime,
           *, at_least: datetime | None = None) -> None:
    """Back to pending after the policy's delay for `outcome`, or failed when the policy says no more."""
    rule = (campaign.retry_policy or {}).get(outcome) or DEFAULT_RETRIES.get(outcome)
    if outcome in FINAL_OUTCOMES or not rule:
        _settle(session, entry, "failed", outcome, now, reason=_words(outcome))
        return
    tried = _tried(session, entry, outcome)
    if tried > int(rule.get("max", 0)):
        _settle(session, entry, "failed", outcome, now, reason=reasons.coded(
            "reason.retries_exhausted", outcome=outcome, tried=tried, max=int(rule.get("max", 0))))
        return
    due = now + timedelta(minutes=int(rule.get("delay_minutes", 0)))
    if at_least is not None and due < at_least:
        due = at_least
    _settle(session, entry, "pending", outcome, now, due=due)


def _outcome_is(outcome: str) -> Any:
    return or_(DialAttempt.outcome == outcome, DialAttempt.disposition == outcome)


def _words(outcome: str) -> str:
    """An outcome's reason, stored as its code (the page shows the outcome's label)."""
    return reasons.coded("reason.outcome", outcome=outcome)


#: session.info keys of preload: the rows it holds (the identity map keeps only weak references) and the tally of
#: earlier outcomes per (entry, outcome or disposition) that _retry counts instead of one COUNT per result.
_PRELOADED, _TALLY = "hotline.dialing.preloaded", "hotline.dialing.retry_tally"


def preload(session: Session, attempt_ids: Sequence[int]) -> None:
    """Loads a batch of attempts, their entries and campaigns, and the entries' earlier outcomes, in four queries, so
    recording a tick's results costs no query per call (session.get finds the rows; _retry reads the tally)."""
    attempts = list(session.scalars(select(DialAttempt).where(DialAttempt.id.in_(attempt_ids))))
    entry_ids = {a.entry_id for a in attempts if a.entry_id is not None}
    campaign_ids = {a.campaign_id for a in attempts if a.campaign_id is not None}
    entries = list(session.scalars(select(CampaignEntry).where(CampaignEntry.id.in_(entry_ids)))) if entry_ids else []
    rows = list(session.scalars(select(Campaign).where(Campaign.id.in_(campaign_ids)))) if campaign_ids else []
    tally: dict[tuple[int, str], int] = {}
    if entry_ids:
        for entry_id, outcome, disposition, n in session.execute(
                select(DialAttempt.entry_id, DialAttempt.outcome, DialAttempt.disposition, func.count())
                .where(DialAttempt.entry_id.in_(entry_ids), DialAttempt.outcome != "dialing")
                .group_by(DialAttempt.entry_id, DialAttempt.outcome, DialAttempt.disposition)):
            tally[(entry_id, outcome)] = tally.get((entry_id, outcome), 0) + n
            if disposition and disposition != outcome:
                tally[(entry_id, disposition)] = tally.get((entry_id, disposition), 0) + n
    session.info[_PRELOADED] = (attempts, entries, rows, entry_ids)
    session.info[_TALLY] = tally


def _tried(session: Session, entry: CampaignEntry, outcome: str) -> int:
    """Attempts of the entry that ended with `outcome` (or that disposition), the one being recorded included."""
    preloaded = session.info.get(_PRELOADED)
    if preloaded is not None and entry.id in preloaded[3]:
        tally: dict[tuple[int, str], int] = session.info[_TALLY]
        tally[(entry.id, outcome)] = tally.get((entry.id, outcome), 0) + 1  # the attempt was `dialing` at preload
        return tally[(entry.id, outcome)]
    return int(session.scalar(select(func.count(DialAttempt.id)).where(DialAttempt.entry_id == entry.id,
                                                                      _outcome_is(outcome))) or 0)


def record_failure(session: Session, attempt_id: int, cause: str, now: datetime) -> str:
    """An originate that did not answer: the attempt's outcome from the cause, then the entry's retry."""
    attempt = session.get(DialAttempt, attempt_id)
    if attempt is None or attempt.outcome != "dialing":
        return attempt.outcome if attempt is not None else "lost"
    outcome = outcome_of_cause(cause)
    attempt.outcome, attempt.ended_at = outcome, now
    entry = session.get(CampaignEntry, attempt.entry_id) if attempt.entry_id is not None else None
    campaign = session.get(Campaign, attempt.campaign_id) if attempt.campaign_id is not None else None
    if entry is not None and campaign is not None and entry.state == "dialing":
        _retry(session, campaign, entry, outcome, now)
    return outcome


def record_answer(session: Session, attempt_id: int, now: datetime) -> None:
    """The callee answered (originate's +OK): the entry's lease now covers the call's way to a runtime.

    Only ARRIVAL_MARGIN more: the runtime that takes the call extends it to ANSWERED_LEASE (record_arrival), and
    an answer that never arrives lapses soon after (expire_unreached closes it). The lease only ever grows here,
    because the runtime's arrival may have been written first.

    Conditional UPDATEs, not read-modify-write: the runtime serving the call may already have recorded its end
    (a machine, an abandon) from another process, and that outcome must not be overwritten with `answered`.
    """
    session.execute(update(DialAttempt).where(DialAttempt.id == attempt_id, DialAttempt.outcome == "dialing")
                    .values(outcome="answered").execution_options(synchronize_session=False))
    session.execute(update(DialAttempt).where(DialAttempt.id == attempt_id, DialAttempt.answered_at.is_(None))
                    .values(answered_at=now).execution_options(synchronize_session=False))
    entry_id = session.scalar(select(DialAttempt.entry_id).where(DialAttempt.id == attempt_id))
    if entry_id is not None:
        until = now + ARRIVAL_MARGIN
        session.execute(update(CampaignEntry).where(CampaignEntry.id == entry_id, CampaignEntry.state == "dialing",
                                                    or_(CampaignEntry.lease_until.is_(None),
                                                        CampaignEntry.lease_until < until))
                        .values(lease_until=until, updated_at=now).execution_options(synchronize_session=False))


def _times_by_id(column: Any, times: Mapping[int, datetime], type_: Any) -> Any:
    """CASE <column> WHEN id THEN time … END, each time bound with the column's own type (UTC on both databases)."""
    return case({key: literal(value, type_) for key, value in times.items()}, value=column)


def record_answers(session: Session, answered: Sequence[tuple[int, datetime]]) -> None:
    """record_answer for a tick's answered calls, `(attempt id, when)` each, in four statements whatever their
    number (a CASE per row for the times): the same conditional writes, so a runtime's earlier end still wins."""
    if not answered:
        return
    at = dict(answered)
    ids = sorted(at)
    session.execute(update(DialAttempt).where(DialAttempt.id.in_(ids), DialAttempt.outcome == "dialing")
                    .values(outcome="answered").execution_options(synchronize_session=False))
    session.execute(update(DialAttempt).where(DialAttempt.id.in_(ids), DialAttempt.answered_at.is_(None))
                    .values(answered_at=_times_by_id(DialAttempt.id, at, DialAttempt.answered_at.type))
                    .execution_options(synchronize_session=False))
    answered_at = {entry_id: at[attempt_id] for attempt_id, entry_id in session.execute(
        select(DialAttempt.id, DialAttempt.entry_id).where(DialAttempt.id.in_(ids), DialAttempt.entry_id.is_not(None)))}
    if not answered_at:
        return
    lease_type = CampaignEntry.lease_until.type
    new_lease = _times_by_id(CampaignEntry.id, {e: t + ARRIVAL_MARGIN for e, t in answered_at.items()}, lease_type)
    session.execute(update(CampaignEntry).where(CampaignEntry.id.in_(sorted(answered_at)),
                                                CampaignEntry.state == "dialing",
                                                or_(CampaignEntry.lease_until.is_(None),
                                                    CampaignEntry.lease_until < new_lease))
                    .values(lease_until=new_lease,
                            updated_at=_times_by_id(CampaignEntry.id, answered_at, CampaignEntry.updated_at.type))
                    .execution_options(synchronize_session=False))


def record_arrival(session: Session, attempt_id: int, now: datetime) -> None:
    """A runtime took the answered call: its entry is held for the conversation and wrap-up (ANSWERED_LEASE)."""
    entry_id = session.scalar(select(DialAttempt.entry_id).where(DialAttempt.id == attempt_id))
    if entry_id is not None:
        session.execute(update(CampaignEntry).where(CampaignEntry.id == entry_id, CampaignEntry.state == "dialing")
                        .values(lease_until=now + ANSWERED_LEASE, updated_at=now)
                        .execution_options(synchronize_session=False))


def expire_unreached(session: Session, now: datetime, campaign_id: int | None = None) -> int:
    """Answered calls whose lease lapsed before any runtime took them: each attempt is closed as abandoned, with
    the reason (the callee answered and heard nobody: a silent call counts against the abandon cap, and the
    72-hour rule keeps the number from being redialled at once); the entry follows the `abandoned` retry.
    Returns how many were closed."""
    query = (select(DialAttempt).join(CampaignEntry, CampaignEntry.id == DialAttempt.entry_id)
             .where(CampaignEntry.state == "dialing", CampaignEntry.lease_until < now,
                    DialAttempt.outcome == "answered", DialAttempt.ended_at.is_(None)))
    if campaign_id is not None:
        query = query.where(CampaignEntry.campaign_id == campaign_id)
    closed = 0
    for attempt in session.scalars(query.order_by(DialAttempt.id).limit(500)):
        entry = session.get(CampaignEntry, attempt.entry_id)
        campaign = session.get(Campaign, attempt.campaign_id) if attempt.campaign_id is not None else None
        attempt.outcome, attempt.abandoned, attempt.ended_at = "abandoned", True, now
        attempt.reason = UNREACHED_REASON
        if entry is not None and campaign is not None:
            _retry(session, campaign, entry, "abandoned", now, at_least=now + ABANDON_QUIET)
        closed += 1
    return closed


def record_call_end(session: Session, attempt_id: int, now: datetime, *, outcome: str | None = None,
                    agent: str | None = None, abandoned: bool = False,
                    answers: Mapping[str, Any] | None = None, disposition: str | None = None,
                    answered_at: datetime | None = None) -> None:
    """An answered call ended in the runtime: abandoned (2-second rule), a machine, agentless results, or talked.

    An abandoned call is retried no sooner than 72 hours on; a call an agent took waits for the agent's
    disposition (record_disposition) unless one is given here (agentless flows).
    """
    attempt = session.get(DialAttempt, attempt_id, with_for_update=True)
    if attempt is None:
        return
    attempt.ended_at = now
    attempt.answered_at = attempt.answered_at or answered_at or now  # the dialer's record may come later
    if attempt.outcome == "dialing":
        attempt.outcome = "answered"
    attempt.agent = agent or attempt.agent
    if answers:
        attempt.answers = {**(attempt.answers or {}), **answers}
    if abandoned:
        attempt.outcome, attempt.abandoned = "abandoned", True
    elif outcome:
        attempt.outcome = outcome
    entry = session.get(CampaignEntry, attempt.entry_id) if attempt.entry_id is not None else None
    campaign = session.get(Campaign, attempt.campaign_id) if attempt.campaign_id is not None else None
    if entry is None or campaign is None or entry.state != "dialing":
        return
    if abandoned:
        _retry(session, campaign, entry, "abandoned", now, at_least=now + ABANDON_QUIET)
    elif attempt.outcome == "machine":
        _retry(session, campaign, entry, "machine", now)
    elif disposition is not None:
        record_disposition(session, attempt.id, disposition, now, agent=agent)
    elif agent is None:  # answered, no agent, not abandoned: the callee hung up first
        _retry(session, campaign, entry, "no_answer", now)
    else:  # talked with an agent, no wrap-up yet: closed as answered now (QA 13 #7: an agent without a desk left
        # the entry `dialing` for the 4-hour lease); the desk's disposition, if one comes, still decides after it
        _settle(session, entry, "done", "answered", now, reason=reasons.coded("reason.no_wrap_up", agent=agent))


#: Hang-up causes of a call the runtime cut (runtime/dialer/answered.py: a stop) or lost (platform/lost_calls.py: a
#: crash, found by the lease sweep), as the inbound records name them.
RUNTIME_CAUSES = ("runtime_stopped", "runtime_lost")


def record_runtime_cut(session: Session, attempt_id: int, now: datetime, *, cause: str, agent: str | None = None,
                       answered_at: datetime | None = None) -> bool:
    """An answered campaign call the runtime cut (`cause` in RUNTIME_CAUSES) — stopped, or died and swept.

    With an agent on the line the call happened: the attempt stays `answered` (a connect, the agent's, talk from
    answered_at to now), its reason says the runtime cut it, and the contact is settled as a talk with no wrap-up
    (done; the desk's disposition, if the agent records one, still decides after it) — as when the callee hangs up
    mid-talk, not retried, since the person did talk with the agent. Without an agent yet (the runtime went during
    the 2-second wait) the person was dropped to silence: an abandon, as a call no runtime took
    (expire_unreached), so the 72-hour rule and the abandon cap hold. An attempt already ended is left alone (the
    runtime wrote its end first). Returns whether the attempt was closed here."""
    if cause not in RUNTIME_CAUSES:
        raise ValueError(f"cause: {cause!r} is not one of {', '.join(RUNTIME_CAUSES)}")
    attempt = session.get(DialAttempt, attempt_id, with_for_update=True)
    if attempt is None or attempt.ended_at is not None or attempt.outcome == "skipped":
        return False
    attempt.answered_at = attempt.answered_at or answered_at or now
    attempt.ended_at = max(now, attempt.answered_at)
    entry = session.get(CampaignEntry, attempt.entry_id) if attempt.entry_id is not None else None
    campaign = session.get(Campaign, attempt.campaign_id) if attempt.campaign_id is not None else None
    settle = entry is not None and campaign is not None and entry.state == "dialing"
    if agent:
        attempt.outcome, attempt.agent = "answered", agent
        attempt.reason = reasons.coded(f"reason.{cause}", agent=agent)
        if settle:
            _settle(session, entry, "done", "answered", now, reason=attempt.reason)
        return True
    attempt.outcome, attempt.abandoned = "abandoned", True
    attempt.reason = reasons.coded(f"reason.{cause}_no_agent")
    if settle:
        _retry(session, campaign, entry, "abandoned", now, at_least=now + ABANDON_QUIET)
    return True


def record_disposition(session: Session, attempt_id: int, code: str, now: datetime, *, agent: str | None = None,
                       answers: Mapping[str, Any] | None = None, callback_at: datetime | None = None,
                       actor: str = "dialer") -> CampaignEntry | None:
    """The agent's (or the flow's) wrap-up: the script's disposition decides the entry's next state.

    `dnc` outcomes (要求不再来电) put the number on the tenant's list in this transaction: every campaign of the
    tenant stops dialling it at once. `callback` needs the time the contact chose; the entry comes due then,
    for the same agent when possible. `retry` follows the retry policy under the disposition's code.
    """
    attempt = session.get(DialAttempt, attempt_id)
    if attempt is None:
        return None
    attempt.disposition = code
    attempt.agent = agent or attempt.agent
    attempt.ended_at = attempt.ended_at or now
    if answers:
        attempt.answers = {**(attempt.answers or {}), **answers}
    entry = session.get(CampaignEntry, attempt.entry_id) if attempt.entry_id is not None else None
    campaign = session.get(Campaign, attempt.campaign_id) if attempt.campaign_id is not None else None
    script = runner_script(session, attempt, campaign) if campaign is not None else {}
    found = next((d for d in script.get("dispositions") or () if d.get("code") == code), None)
    kind = found.get("outcome") if found else ("dnc" if code in dnc.REFUSAL_DISPOSITIONS else "success")
    if kind == "dnc" or code in dnc.REFUSAL_DISPOSITIONS:
        # the script's label with the code: the DNC page says 要求不再来电, not "dnc" (QA 13a #3)
        dnc.add(session, attempt.phone_e164, "disposition", actor, note=reasons.coded(
            "dnc.note.disposition", disposition=code, label=str((found or {}).get("label") or code)))
    answer_tickets.create_from_answers(session, attempt, script, code, actor)  # when the script says so
    if entry is None or campaign is None:
        return entry
    if kind == "dnc":
        _settle(session, entry, "closed", code, now, reason=reasons.coded("reason.asked_not_to_call"))
    elif kind == "callback":
        if callback_at is None:
            raise ValueError("a callback disposition needs the time the contact chose")
        _settle(session, entry, "pending", code, now, due=callback_at)
        entry.preferred_agent = agent or entry.preferred_agent
    elif kind == "retry":
        _retry(session, campaign, entry, code, now)
    elif kind == "wrong_number":
        _settle(session, entry, "failed", code, now, reason=reasons.coded("reason.wrong_number"))
    else:
        _settle(session, entry, "done", code, now)
    return entry
