"""The dialer's outcome side (platform/outbound/outcomes.py): the next state each result of a call gives its
entry — retries per outcome, the 72-hour rule after an abandon, callbacks, DNC dispositions, tickets from answers.
Every instant is explicit, so nothing here depends on the hour the suite runs; both databases."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import (
    Campaign,
    DncEntry,
    Ticket,
)
from hotline.platform.outbound import dialing, outcomes, reasons
from hotline.platform.services.documents import DocumentService

from .dialing_factories import (
    MONDAY_10_BEIJING,
    RETRIES,
    attempts_of,
    claim_at,
    entry_of,
    new_phone,
    new_tenant,
    running_campaign,
)


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    return new_tenant(db)


def test_retries_follow_the_policy_per_outcome(db: Database, tenant: int) -> None:
    campaign, (busy, invalid) = running_campaign(db, tenant, new_phone(), new_phone())
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in claim_at(db, tenant, campaign, now).orders}
    with db.tenant(tenant) as session:
        assert outcomes.record_failure(session, orders[busy].attempt_id, "USER_BUSY", now) == "busy"
        assert outcomes.record_failure(session, orders[invalid].attempt_id, "UNALLOCATED_NUMBER", now) == "invalid"
    entry = entry_of(db, tenant, busy)
    assert (entry.state, entry.next_attempt_at, entry.last_outcome) == ("pending", now + timedelta(minutes=30), "busy")
    assert entry_of(db, tenant, invalid).state == "failed"  # an unallocated number is never retried
    assert claim_at(db, tenant, campaign, now + timedelta(minutes=29)).orders == []
    for _ in range(2):  # busy twice more: the policy's 2 retries are used up by the third busy
        now += timedelta(minutes=30)
        (order,) = claim_at(db, tenant, campaign, now).orders
        with db.tenant(tenant) as session:
            outcomes.record_failure(session, order.attempt_id, "USER_BUSY", now)
    entry = entry_of(db, tenant, busy)
    assert (entry.state, entry.attempts) == ("failed", 3)
    assert [a.outcome for a in attempts_of(db, tenant, busy)] == ["busy", "busy", "busy"]


def test_an_abandoned_call_is_not_redialled_within_72_hours_by_any_campaign(db: Database, tenant: int) -> None:
    phone = new_phone()
    first, (entry_id,) = running_campaign(db, tenant, phone)
    now = MONDAY_10_BEIJING
    (order,) = claim_at(db, tenant, first, now).orders
    with db.tenant(tenant) as session:
        outcomes.record_answer(session, order.attempt_id, now)
        outcomes.record_call_end(session, order.attempt_id, now + timedelta(seconds=3), abandoned=True)
    entry = entry_of(db, tenant, entry_id)
    assert entry.state == "pending" and entry.next_attempt_at >= now + timedelta(hours=72)
    second, (other,) = running_campaign(db, tenant, phone)  # another campaign, same person, the next day
    assert claim_at(db, tenant, second, now + timedelta(hours=24)).orders == []
    later = entry_of(db, tenant, other)
    assert later.last_outcome == "abandoned_72h"
    assert later.next_attempt_at == now + timedelta(seconds=3) + timedelta(hours=72)


def test_callback_goes_back_to_the_agent_at_the_chosen_time_and_dnc_stops_every_campaign(db: Database,
                                                                                          tenant: int) -> None:
    phone, other = new_phone(), new_phone()
    campaign, (entry_id, other_id) = running_campaign(db, tenant, phone, other)
    second, (elsewhere,) = running_campaign(db, tenant, other)
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in claim_at(db, tenant, campaign, now).orders}
    chosen = now + timedelta(days=1, hours=6)
    with db.tenant(tenant) as session:
        outcomes.record_answer(session, orders[entry_id].attempt_id, now)
        outcomes.record_call_end(session, orders[entry_id].attempt_id, now + timedelta(minutes=2), agent="1001")
        outcomes.record_disposition(session, orders[entry_id].attempt_id, "callback_later", now, agent="1001",
                                   callback_at=chosen, answers={"convenient": "later"})
        outcomes.record_answer(session, orders[other_id].attempt_id, now)
        outcomes.record_disposition(session, orders[other_id].attempt_id, "dnc", now, agent="1002")
    entry = entry_of(db, tenant, entry_id)
    assert (entry.state, entry.next_attempt_at, entry.preferred_agent) == ("pending", chosen, "1001")
    (attempt,) = attempts_of(db, tenant, entry_id)
    assert (attempt.disposition, attempt.answers, attempt.agent) == ("callback_later", {"convenient": "later"},
                                                                      "1001")
    (order,) = claim_at(db, tenant, campaign, chosen, free=frozenset({"1001", "1002"})).orders
    assert order.preferred_agent == "1001"
    assert entry_of(db, tenant, other_id).state == "closed"
    with db.tenant(tenant) as session:
        assert session.scalar(select(DncEntry).where(DncEntry.phone_e164 == other)).source == "disposition"
    assert claim_at(db, tenant, second, now + timedelta(minutes=1)).refused == {elsewhere: "dnc"}
    with pytest.raises(ValueError, match="time the contact chose"), db.tenant(tenant) as session:
        outcomes.record_disposition(session, order.attempt_id, "callback_later", chosen)


def test_an_answer_that_never_reaches_a_runtime_frees_its_entry_in_a_minute(db: Database, tenant: int) -> None:
    """Issue 13, item 4: an answered call held its entry for 4 hours even when no runtime ever took it."""
    campaign, (lost_id, taken_id) = running_campaign(db, tenant, new_phone(), new_phone())
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in claim_at(db, tenant, campaign, now).orders}
    answered = now + timedelta(seconds=12)
    with db.tenant(tenant) as session:
        outcomes.record_arrival(session, orders[taken_id].attempt_id, answered)  # the runtime's write came first
        outcomes.record_answer(session, orders[taken_id].attempt_id, answered)
        outcomes.record_answer(session, orders[lost_id].attempt_id, answered)
    bound = max(now + timedelta(seconds=dialing.LEASE_SECONDS), answered + outcomes.ARRIVAL_MARGIN)
    assert entry_of(db, tenant, lost_id).lease_until == bound  # the claim's lease or the margin, not 4 hours
    assert entry_of(db, tenant, taken_id).lease_until == answered + outcomes.ANSWERED_LEASE  # not shortened
    with db.tenant(tenant) as session:
        assert outcomes.expire_unreached(session, bound - timedelta(seconds=1)) == 0
    later = bound + timedelta(seconds=1)
    with db.tenant(tenant) as session:
        assert outcomes.expire_unreached(session, later) == 1
    (attempt,) = attempts_of(db, tenant, lost_id)
    assert (attempt.outcome, attempt.abandoned, attempt.ended_at) == ("abandoned", True, later)
    assert "never reached a runtime" in reasons.plain(attempt.reason)
    entry = entry_of(db, tenant, lost_id)
    assert (entry.state, entry.lease_owner) == ("pending", None)
    assert entry.next_attempt_at == later + timedelta(hours=72)  # the person heard silence: the 72-hour rule
    assert entry_of(db, tenant, taken_id).state == "dialing"
    assert [a.outcome for a in attempts_of(db, tenant, taken_id)] == ["answered"]


def _script_with_ticket(db: Database, tenant: int, campaign: int, create_ticket: dict) -> None:
    """Publishes a copy of the return-visit script with `create_ticket` and points the campaign at it."""
    with db.tenant(tenant) as session:
        service = DocumentService(session, "analyst")
        body = dict(service.published("outbound", "return_visit").body, create_ticket=create_ticket)
        name = f"rv{uuid.uuid4().hex[:8]}"
        service.create("outbound", name, body)
        version = service.publish("outbound", name)
        row = session.get(Campaign, campaign)
        row.script, row.script_version = name, version.number


COMPLAINT_FROM_ANSWERS = {"form": "complaint", "on": ["unsolved"], "fields": {
    "phone": "{{contact.phone}}", "complainant": "{{contact.name}}", "complaint_type": "other",
    "severity": "normal", "details": "{{answer.remaining_issue}}"}}


def test_the_answers_become_a_ticket_when_the_script_says_so(db: Database, tenant: int) -> None:
    """Issue 13, item 3: `create_ticket` on the script makes a ticket of the answers on the named dispositions."""
    campaign, (solved_id, unsolved_id, empty_id) = running_campaign(db, tenant, new_phone(), new_phone(), new_phone())
    _script_with_ticket(db, tenant, campaign, COMPLAINT_FROM_ANSWERS)
    orders = {o.entry_id: o for o in claim_at(db, tenant, campaign, MONDAY_10_BEIJING).orders}
    end = MONDAY_10_BEIJING + timedelta(minutes=4)
    with db.tenant(tenant) as session:
        outcomes.record_disposition(session, orders[solved_id].attempt_id, "completed", end, agent="1001",
                                   answers={"solved": "yes"})
        outcomes.record_disposition(session, orders[unsolved_id].attempt_id, "unsolved", end, agent="1001",
                                   answers={"solved": "no", "remaining_issue": "包裹外箱破损，里面少了一件"})
        outcomes.record_disposition(session, orders[unsolved_id].attempt_id, "unsolved", end, agent="1001")
        outcomes.record_disposition(session, orders[empty_id].attempt_id, "unsolved", end, agent="1001",
                                   answers={"solved": "no"})
    solved, = attempts_of(db, tenant, solved_id)
    assert solved.ticket_id is None and solved.disposition == "completed"
    unsolved, = attempts_of(db, tenant, unsolved_id)
    with db.tenant(tenant) as session:
        tickets = list(session.scalars(select(Ticket).where(Ticket.form_name == "complaint",
                                                            Ticket.id == unsolved.ticket_id)))
        assert len(tickets) == 1  # made once, though the wrap-up was posted twice
        assert tickets[0].data["details"] == "包裹外箱破损，里面少了一件"
        assert tickets[0].data["phone"] == unsolved.phone_e164 and tickets[0].data["complainant"] == "张三"
    # the form refuses a ticket without details: the disposition stands, the reason says what was missing
    empty, = attempts_of(db, tenant, empty_id)
    assert empty.ticket_id is None and empty.disposition == "unsolved"
    refused = reasons.decode(empty.reason)  # a code and its parameters (issue 13, 13c #1), not English prose
    # the form by its title, as the designer names it (readers see labels, never the stored name)
    assert refused["code"] == "reason.ticket_refused" and (refused["form"], refused["form_name"]) == (
        "投诉", "complaint")
    assert any(f.startswith("/details") for f in refused["findings"]), refused
    assert reasons.plain(empty.reason).startswith("ticket not created (投诉): /details")
    assert entry_of(db, tenant, empty_id).state == "done"


def test_a_batch_of_results_counts_retries_from_one_preload(db: Database, tenant: int) -> None:
    """The dialer writes a tick's results after one preload (no COUNT per result): the policy's cap still holds."""
    campaign, (busy,) = running_campaign(db, tenant, new_phone())
    now = MONDAY_10_BEIJING
    for _ in range(3):  # the policy retries busy twice: the third busy fails the entry
        (order,) = claim_at(db, tenant, campaign, now).orders
        with db.tenant(tenant) as session:
            outcomes.preload(session, [order.attempt_id])
            outcomes.record_failure(session, order.attempt_id, "USER_BUSY", now)
        now += timedelta(minutes=30)
    entry = entry_of(db, tenant, busy)
    assert (entry.state, entry.attempts) == ("failed", 3) and "tried 3" in reasons.plain(entry.closed_reason)


def test_a_ticks_answers_are_recorded_together_as_one_by_one(db: Database, tenant: int) -> None:
    """record_answers (the dialer's batch) writes what record_answer writes, and never undoes a runtime's end."""
    campaign, (first, second, ended) = running_campaign(db, tenant, new_phone(), new_phone(), new_phone())
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in claim_at(db, tenant, campaign, now).orders}
    with db.tenant(tenant) as session:  # the runtime saw the third one's machine before the dialer's +OK was written
        outcomes.record_call_end(session, orders[ended].attempt_id, now + timedelta(seconds=9), outcome="machine",
                                answered_at=now + timedelta(seconds=4))
        outcomes.record_arrival(session, orders[second].attempt_id, now + timedelta(seconds=6))
    with db.tenant(tenant) as session:
        outcomes.record_answers(session, [(orders[first].attempt_id, now + timedelta(seconds=70)),
                                         (orders[second].attempt_id, now + timedelta(seconds=5)),
                                         (orders[ended].attempt_id, now + timedelta(seconds=4))])
    (a,) = attempts_of(db, tenant, first)
    assert (a.outcome, a.answered_at) == ("answered", now + timedelta(seconds=70))
    assert entry_of(db, tenant, first).lease_until == now + timedelta(seconds=70) + outcomes.ARRIVAL_MARGIN
    assert entry_of(db, tenant, second).lease_until == now + timedelta(seconds=6) + outcomes.ANSWERED_LEASE
    (machine,) = attempts_of(db, tenant, ended)
    assert (machine.outcome, machine.answered_at) == ("machine", now + timedelta(seconds=4))
    assert entry_of(db, tenant, ended).state == "pending"


def test_a_call_an_agent_took_is_closed_when_it_ends_without_a_wrap_up(db: Database, tenant: int) -> None:
    """QA 13 #7: answered by agent 1001 (no desk), the entry stayed `dialing` for the 4-hour lease."""
    campaign, (entry_id,) = running_campaign(db, tenant, new_phone())
    now = MONDAY_10_BEIJING
    (order,) = claim_at(db, tenant, campaign, now).orders
    with db.tenant(tenant) as session:
        outcomes.record_answer(session, order.attempt_id, now)
        outcomes.record_call_end(session, order.attempt_id, now + timedelta(minutes=3), agent="1001")
    entry = entry_of(db, tenant, entry_id)
    assert (entry.state, entry.last_outcome, entry.lease_until) == ("done", "answered", None)
    assert "1001" in entry.closed_reason
    (attempt,) = attempts_of(db, tenant, entry_id)
    assert (attempt.outcome, attempt.agent) == ("answered", "1001")
    assert claim_at(db, tenant, campaign, now + timedelta(hours=5)).orders == []  # not dialled again


def test_a_policy_asking_for_a_quick_redial_of_an_abandon_still_waits_72_hours(db: Database, tenant: int) -> None:
    quick = {**RETRIES, "abandoned": {"delay_minutes": 10, "max": 3}}
    campaign, (entry_id,) = running_campaign(db, tenant, new_phone(), retry_policy=quick)
    now = MONDAY_10_BEIJING
    (order,) = claim_at(db, tenant, campaign, now).orders
    dropped = now + timedelta(seconds=4)
    with db.tenant(tenant) as session:
        outcomes.record_answer(session, order.attempt_id, now)
        outcomes.record_call_end(session, order.attempt_id, dropped, abandoned=True)
    assert entry_of(db, tenant, entry_id).next_attempt_at == dropped + timedelta(hours=72)  # not in 10 minutes
    # Thursday 10:00:04 in Beijing, inside the windows: one minute early is refused, on the dot it is dialled
    assert claim_at(db, tenant, campaign, dropped + timedelta(hours=72, minutes=-1)).orders == []
    (again,) = claim_at(db, tenant, campaign, dropped + timedelta(hours=72)).orders
    assert again.entry_id == entry_id
