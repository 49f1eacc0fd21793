"""The dialer's database side (platform/outbound/dialing.py): what a claim dials, skips or puts back at a given
instant, and the next state each result gives an entry. Every instant is explicit, so nothing here depends on
the hour the suite runs; both databases."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import (
    Campaign,
    CampaignEntry,
    Contact,
    ContactList,
    DialAttempt,
    DncEntry,
    Document,
    Tenant,
    Ticket,
)
from hotline.platform.outbound import dialing, dnc
from hotline.platform.services import templates
from hotline.platform.services.documents import DocumentService

#: Monday 2026-11-23 10:00 in Beijing (02:00 UTC): inside the return-visit windows (09-12, 14-20 Mon-Sat).
MONDAY_10_BEIJING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
#: Monday 2026-11-23 21:30 in Beijing: after the last window.
MONDAY_2130_BEIJING = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
RETRIES = {"busy": {"delay_minutes": 30, "max": 2}, "no_answer": {"delay_minutes": 120, "max": 3},
           "machine": {"delay_minutes": 240, "max": 1}}


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), f"dl{uuid.uuid4().hex[:8]}", None,
                               "test").id


_numbers = iter(range(10_000_000, 99_999_999))


def _phone() -> str:
    return f"+86139{next(_numbers):08d}"


def _campaign(db: Database, tenant: int, *phones: str, timezone: str | None = None, purpose: str = "service",
              consent: bool = True, **values: object) -> tuple[int, list[int]]:
    """A running campaign of the return-visit script over a new list of `phones`; (campaign id, entry ids)."""
    with db.tenant(tenant) as session:
        script = session.scalar(select(Document).where(Document.kind == "outbound", Document.name == "return_visit"))
        assert script is not None
        contact_list = ContactList(name=f"l{uuid.uuid4().hex[:8]}", created_by="op", purpose=purpose)
        session.add(contact_list)
        session.flush()
        values = {"retry_policy": RETRIES, "min_gap_minutes": 0, "max_attempts_per_contact": 6, **values}
        campaign = Campaign(name=f"c{uuid.uuid4().hex[:8]}", script="return_visit", script_version=1,
                            mode="progressive",
                            status="running", contact_list_id=contact_list.id, purpose=purpose,
                            windows={"timezone": "Asia/Shanghai", "windows": [
                                {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "start": "09:00", "end": "12:00"},
                                {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "start": "14:00", "end": "20:00"},
                            ]}, **values)
        session.add(campaign)
        session.flush()
        entries = []
        for phone in phones:
            contact = Contact(list_id=contact_list.id, phone_e164=phone, name="张三", timezone=timezone,
                              consent_at=MONDAY_10_BEIJING - timedelta(days=30) if consent else None,
                              consent_source="网站注册勾选" if consent else None)
            session.add(contact)
            session.flush()
            entry = CampaignEntry(campaign_id=campaign.id, contact_id=contact.id, phone_e164=phone)
            session.add(entry)
            session.flush()
            entries.append(entry.id)
        return campaign.id, entries


def _claim(db: Database, tenant: int, campaign: int, now: datetime, limit: int = 10,
           owner: str = "d1", free: frozenset[str] = frozenset()) -> dialing.ClaimResult:
    with db.tenant(tenant) as session:
        return dialing.claim(session, campaign, owner, now, limit, free)


def _entry(db: Database, tenant: int, entry_id: int) -> CampaignEntry:
    with db.tenant(tenant) as session:
        return session.get(CampaignEntry, entry_id)


def _attempts(db: Database, tenant: int, entry_id: int) -> list[DialAttempt]:
    with db.tenant(tenant) as session:
        return list(session.scalars(select(DialAttempt).where(DialAttempt.entry_id == entry_id)
                                    .order_by(DialAttempt.id)))


def test_inside_the_window_the_attempt_is_written_before_the_call(db: Database, tenant: int) -> None:
    campaign, (entry_id,) = _campaign(db, tenant, _phone())
    result = _claim(db, tenant, campaign, MONDAY_10_BEIJING)
    (order,) = result.orders
    (attempt,) = _attempts(db, tenant, entry_id)
    assert (attempt.outcome, attempt.call_uuid, attempt.id) == ("dialing", order.call_uuid, order.attempt_id)
    entry = _entry(db, tenant, entry_id)
    assert (entry.state, entry.lease_owner, entry.attempts) == ("dialing", "d1", 1)
    assert order.caller_id == "4008205566" and order.ring_timeout == 30
    # claimed: nobody else gets it while the lease holds
    assert _claim(db, tenant, campaign, MONDAY_10_BEIJING + timedelta(seconds=5), owner="d2").orders == []


def test_no_call_outside_the_callees_window_in_their_own_zone(db: Database, tenant: int) -> None:
    # 10:00 in Beijing is 21:00 the evening before in New York: outside; the entry waits for 09:00 New York.
    campaign, (entry_id,) = _campaign(db, tenant, "+12125550100", timezone="America/New_York")
    result = _claim(db, tenant, campaign, MONDAY_10_BEIJING)
    assert result.orders == [] and _attempts(db, tenant, entry_id) == []
    entry = _entry(db, tenant, entry_id)
    assert (entry.state, entry.last_outcome) == ("pending", "outside_window")
    assert entry.next_attempt_at == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Mon 09:00 EST
    assert _claim(db, tenant, campaign, datetime(2026, 11, 23, 13, 59, tzinfo=UTC)).orders == []
    assert len(_claim(db, tenant, campaign, datetime(2026, 11, 23, 14, 0, tzinfo=UTC)).orders) == 1
    # and a Beijing contact at 21:30 Beijing waits until Tuesday 09:00 Beijing
    campaign, (entry_id,) = _campaign(db, tenant, _phone())
    assert _claim(db, tenant, campaign, MONDAY_2130_BEIJING).orders == []
    assert _entry(db, tenant, entry_id).next_attempt_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def test_no_call_on_a_holiday_of_the_tenants_calendar(db: Database, tenant: int) -> None:
    with db.platform() as session:
        row = session.get(Tenant, tenant)
        settings = dict(row.settings or {})
        calendar = dict(settings.get("calendar") or {"timezone": "Asia/Shanghai", "weekly": {}})
        calendar["holidays"] = [*calendar.get("holidays", []), "2026-11-23"]
        row.settings = {**settings, "calendar": calendar}
    try:
        campaign, (entry_id,) = _campaign(db, tenant, _phone())
        assert _claim(db, tenant, campaign, MONDAY_10_BEIJING).orders == []
        assert _entry(db, tenant, entry_id).next_attempt_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    finally:
        with db.platform() as session:
            row = session.get(Tenant, tenant)
            calendar = dict(row.settings["calendar"])
            calendar["holidays"] = [d for d in calendar["holidays"] if d != "2026-11-23"]
            row.settings = {**row.settings, "calendar": calendar}


def test_no_call_to_a_number_on_the_tenants_or_the_platforms_list(db: Database, tenant: int) -> None:
    mine, platforms, fine = _phone(), _phone(), _phone()
    with db.tenant(tenant) as session:
        dnc.add(session, mine, "import", "op")
    with db.platform() as session:
        dnc.add_platform(session, platforms, "regulator", "operator")
    campaign, entries = _campaign(db, tenant, mine, platforms, fine)
    result = _claim(db, tenant, campaign, MONDAY_10_BEIJING)
    assert [o.phone_e164 for o in result.orders] == [fine]
    assert result.refused == {entries[0]: "dnc", entries[1]: "dnc"}
    for entry_id, listed in zip(entries[:2], ("tenant", "platform"), strict=True):
        entry = _entry(db, tenant, entry_id)
        assert entry.state == "skipped" and listed in entry.closed_reason
        (attempt,) = _attempts(db, tenant, entry_id)
        assert (attempt.outcome, attempt.disposition) == ("skipped", "dnc")


def test_marketing_needs_consent_and_the_attempt_cap_holds(db: Database, tenant: int) -> None:
    campaign, (no_consent,) = _campaign(db, tenant, _phone(), purpose="marketing", consent=False)
    assert _claim(db, tenant, campaign, MONDAY_10_BEIJING).refused == {no_consent: "no_consent"}
    campaign, (entry_id,) = _campaign(db, tenant, _phone(), max_attempts_per_contact=2,
                                      retry_policy={"no_answer": {"delay_minutes": 1, "max": 10}})
    now = MONDAY_10_BEIJING
    for _ in range(2):
        (order,) = _claim(db, tenant, campaign, now).orders
        with db.tenant(tenant) as session:
            dialing.record_failure(session, order.attempt_id, "NO_ANSWER", now)
        now += timedelta(minutes=5)
    result = _claim(db, tenant, campaign, now)
    assert result.orders == [] and result.refused == {entry_id: "attempt_cap"}
    assert "cap is 2" in _entry(db, tenant, entry_id).closed_reason


def test_retries_follow_the_policy_per_outcome(db: Database, tenant: int) -> None:
    campaign, (busy, invalid) = _campaign(db, tenant, _phone(), _phone())
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in _claim(db, tenant, campaign, now).orders}
    with db.tenant(tenant) as session:
        assert dialing.record_failure(session, orders[busy].attempt_id, "USER_BUSY", now) == "busy"
        assert dialing.record_failure(session, orders[invalid].attempt_id, "UNALLOCATED_NUMBER", now) == "invalid"
    entry = _entry(db, tenant, busy)
    assert (entry.state, entry.next_attempt_at, entry.last_outcome) == ("pending", now + timedelta(minutes=30), "busy")
    assert _entry(db, tenant, invalid).state == "failed"  # an unallocated number is never retried
    assert _claim(db, tenant, campaign, now + timedelta(minutes=29)).orders == []
    for _ in range(2):  # busy twice more: the policy's 2 retries are used up by the third busy
        now += timedelta(minutes=30)
        (order,) = _claim(db, tenant, campaign, now).orders
        with db.tenant(tenant) as session:
            dialing.record_failure(session, order.attempt_id, "USER_BUSY", now)
    entry = _entry(db, tenant, busy)
    assert (entry.state, entry.attempts) == ("failed", 3)
    assert [a.outcome for a in _attempts(db, tenant, busy)] == ["busy", "busy", "busy"]


def test_an_abandoned_call_is_not_redialled_within_72_hours_by_any_campaign(db: Database, tenant: int) -> None:
    phone = _phone()
    first, (entry_id,) = _campaign(db, tenant, phone)
    now = MONDAY_10_BEIJING
    (order,) = _claim(db, tenant, first, now).orders
    with db.tenant(tenant) as session:
        dialing.record_answer(session, order.attempt_id, now)
        dialing.record_call_end(session, order.attempt_id, now + timedelta(seconds=3), abandoned=True)
    entry = _entry(db, tenant, entry_id)
    assert entry.state == "pending" and entry.next_attempt_at >= now + timedelta(hours=72)
    second, (other,) = _campaign(db, tenant, phone)  # another campaign, same person, the next day
    assert _claim(db, tenant, second, now + timedelta(hours=24)).orders == []
    later = _entry(db, tenant, other)
    assert later.last_outcome == "abandoned_72h"
    assert later.next_attempt_at == now + timedelta(seconds=3) + timedelta(hours=72)


def test_callback_goes_back_to_the_agent_at_the_chosen_time_and_dnc_stops_every_campaign(db: Database,
                                                                                          tenant: int) -> None:
    phone, other = _phone(), _phone()
    campaign, (entry_id, other_id) = _campaign(db, tenant, phone, other)
    second, (elsewhere,) = _campaign(db, tenant, other)
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in _claim(db, tenant, campaign, now).orders}
    chosen = now + timedelta(days=1, hours=6)
    with db.tenant(tenant) as session:
        dialing.record_answer(session, orders[entry_id].attempt_id, now)
        dialing.record_call_end(session, orders[entry_id].attempt_id, now + timedelta(minutes=2), agent="1001")
        dialing.record_disposition(session, orders[entry_id].attempt_id, "callback_later", now, agent="1001",
                                   callback_at=chosen, answers={"convenient": "later"})
        dialing.record_answer(session, orders[other_id].attempt_id, now)
        dialing.record_disposition(session, orders[other_id].attempt_id, "dnc", now, agent="1002")
    entry = _entry(db, tenant, entry_id)
    assert (entry.state, entry.next_attempt_at, entry.preferred_agent) == ("pending", chosen, "1001")
    (attempt,) = _attempts(db, tenant, entry_id)
    assert (attempt.disposition, attempt.answers, attempt.agent) == ("callback_later", {"convenient": "later"},
                                                                      "1001")
    (order,) = _claim(db, tenant, campaign, chosen, free=frozenset({"1001", "1002"})).orders
    assert order.preferred_agent == "1001"
    assert _entry(db, tenant, other_id).state == "closed"
    with db.tenant(tenant) as session:
        assert session.scalar(select(DncEntry).where(DncEntry.phone_e164 == other)).source == "disposition"
    assert _claim(db, tenant, second, now + timedelta(minutes=1)).refused == {elsewhere: "dnc"}
    with pytest.raises(ValueError, match="time the contact chose"), db.tenant(tenant) as session:
        dialing.record_disposition(session, order.attempt_id, "callback_later", chosen)


def test_a_lapsed_lease_is_reclaimed_and_the_lost_attempt_recorded(db: Database, tenant: int) -> None:
    campaign, (entry_id,) = _campaign(db, tenant, _phone())
    now = MONDAY_10_BEIJING
    (first,) = _claim(db, tenant, campaign, now, owner="dead").orders
    (second,) = _claim(db, tenant, campaign, now + timedelta(seconds=dialing.LEASE_SECONDS + 1), owner="d2").orders
    assert first.entry_id == second.entry_id and first.call_uuid != second.call_uuid
    assert [a.outcome for a in _attempts(db, tenant, entry_id)] == ["lost", "dialing"]
    assert _entry(db, tenant, entry_id).lease_owner == "d2"


def test_two_dialers_claiming_at_once_never_take_one_entry_twice(db: Database, tenant: int) -> None:
    phones = [_phone() for _ in range(60)]
    campaign, entries = _campaign(db, tenant, *phones)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(owner: str) -> None:
        try:
            barrier.wait()
            for _ in range(20):
                for order in _claim(db, tenant, campaign, MONDAY_10_BEIJING, limit=4, owner=owner).orders:
                    claimed[owner].append(order.entry_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(owner,)) for owner in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    everything = claimed["a"] + claimed["b"]
    assert sorted(everything) == sorted(entries)  # each entry once, by one of them
    with db.tenant(tenant) as session:
        per_entry = session.execute(select(DialAttempt.entry_id).where(DialAttempt.campaign_id == campaign)).all()
    assert len(per_entry) == len(entries)


def test_an_answer_that_never_reaches_a_runtime_frees_its_entry_in_a_minute(db: Database, tenant: int) -> None:
    """Issue 13, item 4: an answered call held its entry for 4 hours even when no runtime ever took it."""
    campaign, (lost_id, taken_id) = _campaign(db, tenant, _phone(), _phone())
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in _claim(db, tenant, campaign, now).orders}
    answered = now + timedelta(seconds=12)
    with db.tenant(tenant) as session:
        dialing.record_arrival(session, orders[taken_id].attempt_id, answered)  # the runtime's write came first
        dialing.record_answer(session, orders[taken_id].attempt_id, answered)
        dialing.record_answer(session, orders[lost_id].attempt_id, answered)
    bound = max(now + timedelta(seconds=dialing.LEASE_SECONDS), answered + dialing.ARRIVAL_MARGIN)
    assert _entry(db, tenant, lost_id).lease_until == bound  # the claim's lease or the margin, not 4 hours
    assert _entry(db, tenant, taken_id).lease_until == answered + dialing.ANSWERED_LEASE  # not shortened
    with db.tenant(tenant) as session:
        assert dialing.expire_unreached(session, bound - timedelta(seconds=1)) == 0
    later = bound + timedelta(seconds=1)
    with db.tenant(tenant) as session:
        assert dialing.expire_unreached(session, later) == 1
    (attempt,) = _attempts(db, tenant, lost_id)
    assert (attempt.outcome, attempt.abandoned, attempt.ended_at) == ("abandoned", True, later)
    assert "never reached a runtime" in attempt.reason
    entry = _entry(db, tenant, lost_id)
    assert (entry.state, entry.lease_owner) == ("pending", None)
    assert entry.next_attempt_at == later + timedelta(hours=72)  # the person heard silence: the 72-hour rule
    assert _entry(db, tenant, taken_id).state == "dialing"
    assert [a.outcome for a in _attempts(db, tenant, taken_id)] == ["answered"]


def test_a_claim_of_a_lapsed_unreached_answer_closes_it_and_does_not_redial(db: Database, tenant: int) -> None:
    campaign, (entry_id,) = _campaign(db, tenant, _phone())
    now = MONDAY_10_BEIJING
    (order,) = _claim(db, tenant, campaign, now, owner="dead").orders
    with db.tenant(tenant) as session:
        dialing.record_answer(session, order.attempt_id, now + timedelta(seconds=5))
    result = _claim(db, tenant, campaign, now + timedelta(seconds=dialing.LEASE_SECONDS + 1), owner="d2")
    assert result.orders == [] and entry_id in result.deferred
    (attempt,) = _attempts(db, tenant, entry_id)
    assert attempt.outcome == "abandoned" and "never reached a runtime" in attempt.reason


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
    campaign, (solved_id, unsolved_id, empty_id) = _campaign(db, tenant, _phone(), _phone(), _phone())
    _script_with_ticket(db, tenant, campaign, COMPLAINT_FROM_ANSWERS)
    orders = {o.entry_id: o for o in _claim(db, tenant, campaign, MONDAY_10_BEIJING).orders}
    end = MONDAY_10_BEIJING + timedelta(minutes=4)
    with db.tenant(tenant) as session:
        dialing.record_disposition(session, orders[solved_id].attempt_id, "completed", end, agent="1001",
                                   answers={"solved": "yes"})
        dialing.record_disposition(session, orders[unsolved_id].attempt_id, "unsolved", end, agent="1001",
                                   answers={"solved": "no", "remaining_issue": "包裹外箱破损，里面少了一件"})
        dialing.record_disposition(session, orders[unsolved_id].attempt_id, "unsolved", end, agent="1001")
        dialing.record_disposition(session, orders[empty_id].attempt_id, "unsolved", end, agent="1001",
                                   answers={"solved": "no"})
    solved, = _attempts(db, tenant, solved_id)
    assert solved.ticket_id is None and solved.disposition == "completed"
    unsolved, = _attempts(db, tenant, unsolved_id)
    with db.tenant(tenant) as session:
        tickets = list(session.scalars(select(Ticket).where(Ticket.form_name == "complaint",
                                                            Ticket.id == unsolved.ticket_id)))
        assert len(tickets) == 1  # made once, though the wrap-up was posted twice
        assert tickets[0].data["details"] == "包裹外箱破损，里面少了一件"
        assert tickets[0].data["phone"] == unsolved.phone_e164 and tickets[0].data["complainant"] == "张三"
    # the form refuses a ticket without details: the disposition stands, the reason says what was missing
    empty, = _attempts(db, tenant, empty_id)
    assert empty.ticket_id is None and empty.disposition == "unsolved"
    assert empty.reason.startswith("ticket not created (complaint)") and "details" in empty.reason
    assert _entry(db, tenant, empty_id).state == "done"


def test_a_callback_is_dialled_for_its_agent_when_free_and_for_anyone_after_the_wait(db: Database,
                                                                                     tenant: int) -> None:
    """Issue 13, item 2: 另约时间 with a time books the callback with the agent who took the call; it is dialled
    when that agent is free, and after the campaign's agent_wait_seconds for whoever is."""
    campaign, (entry_id, twin_id, plain_id) = _campaign(db, tenant, _phone(), _phone(), _phone(),
                                                        agent_wait_seconds=600)
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in _claim(db, tenant, campaign, now).orders}
    chosen = now + timedelta(hours=4)
    with db.tenant(tenant) as session:
        for booked in (entry_id, twin_id):
            dialing.record_answer(session, orders[booked].attempt_id, now)
            dialing.record_disposition(session, orders[booked].attempt_id, "callback_later", now, agent="1001",
                                       callback_at=chosen)
        dialing.record_answer(session, orders[plain_id].attempt_id, now)
        dialing.record_disposition(session, orders[plain_id].attempt_id, "callback_later", now,
                                   callback_at=chosen)  # no agent known: anyone
    busy = _claim(db, tenant, campaign, chosen, free=frozenset({"1002"}))
    assert [o.entry_id for o in busy.orders] == [plain_id] and busy.orders[0].preferred_agent is None
    assert _entry(db, tenant, entry_id).state == "pending"  # waits for 1001
    free = _claim(db, tenant, campaign, chosen + timedelta(minutes=1), free=frozenset({"1001", "1002"}))
    (order,) = free.orders  # one call at a time for one agent: the twin waits
    assert order.preferred_agent == "1001" and twin_id in free.deferred
    with db.tenant(tenant) as session:  # both calls placed so far were busy (retried 30 minutes on)
        dialing.record_failure(session, busy.orders[0].attempt_id, "USER_BUSY", chosen)
        dialing.record_failure(session, order.attempt_id, "USER_BUSY", chosen + timedelta(minutes=1))
    late = _claim(db, tenant, campaign, chosen + timedelta(seconds=601), free=frozenset({"1002"}))
    assert [(o.entry_id, o.preferred_agent) for o in late.orders] == [(twin_id, None)]  # the wait is over


def test_a_claim_takes_no_more_than_asked_in_a_few_statements(db: Database, tenant: int) -> None:
    """Issue 13, item 6: on PostgreSQL the lease, the dial's count and every fact the rules read come back from one
    UPDATE … RETURNING (a locking CTE: an `IN (… LIMIT n FOR UPDATE)` subquery can take more rows than n)."""
    from sqlalchemy import event

    campaign, entries = _campaign(db, tenant, *(_phone() for _ in range(6)))
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.split(None, 1)[0].upper())

    with db.tenant(tenant) as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            result = dialing.claim(session, campaign, "d1", MONDAY_10_BEIJING, 4)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(result.orders) == 4
    states = [_entry(db, tenant, e).state for e in entries]
    assert states.count("dialing") == 4 and states.count("pending") == 2
    assert [_entry(db, tenant, o.entry_id).attempts for o in result.orders] == [1, 1, 1, 1]
    if engine.dialect.name == "postgresql":
        # the campaign, the claim, the numbers' advisory locks and their dials by other campaigns (QA 13 #2: the
        # minimum gap across campaigns), the tenant's calendar, the attempts' INSERT … RETURNING
        assert statements.count("WITH") == 1 and len(statements) <= 6, statements


def test_a_batch_of_results_counts_retries_from_one_preload(db: Database, tenant: int) -> None:
    """The dialer writes a tick's results after one preload (no COUNT per result): the policy's cap still holds."""
    campaign, (busy,) = _campaign(db, tenant, _phone())
    now = MONDAY_10_BEIJING
    for _ in range(3):  # the policy retries busy twice: the third busy fails the entry
        (order,) = _claim(db, tenant, campaign, now).orders
        with db.tenant(tenant) as session:
            dialing.preload(session, [order.attempt_id])
            dialing.record_failure(session, order.attempt_id, "USER_BUSY", now)
        now += timedelta(minutes=30)
    entry = _entry(db, tenant, busy)
    assert (entry.state, entry.attempts) == ("failed", 3) and "3 times" in entry.closed_reason


def test_a_ticks_answers_are_recorded_together_as_one_by_one(db: Database, tenant: int) -> None:
    """record_answers (the dialer's batch) writes what record_answer writes, and never undoes a runtime's end."""
    campaign, (first, second, ended) = _campaign(db, tenant, _phone(), _phone(), _phone())
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in _claim(db, tenant, campaign, now).orders}
    with db.tenant(tenant) as session:  # the runtime saw the third one's machine before the dialer's +OK was written
        dialing.record_call_end(session, orders[ended].attempt_id, now + timedelta(seconds=9), outcome="machine",
                                answered_at=now + timedelta(seconds=4))
        dialing.record_arrival(session, orders[second].attempt_id, now + timedelta(seconds=6))
    with db.tenant(tenant) as session:
        dialing.record_answers(session, [(orders[first].attempt_id, now + timedelta(seconds=70)),
                                         (orders[second].attempt_id, now + timedelta(seconds=5)),
                                         (orders[ended].attempt_id, now + timedelta(seconds=4))])
    (a,) = _attempts(db, tenant, first)
    assert (a.outcome, a.answered_at) == ("answered", now + timedelta(seconds=70))
    assert _entry(db, tenant, first).lease_until == now + timedelta(seconds=70) + dialing.ARRIVAL_MARGIN
    assert _entry(db, tenant, second).lease_until == now + timedelta(seconds=6) + dialing.ANSWERED_LEASE
    (machine,) = _attempts(db, tenant, ended)
    assert (machine.outcome, machine.answered_at) == ("machine", now + timedelta(seconds=4))
    assert _entry(db, tenant, ended).state == "pending"


def test_two_campaigns_claiming_one_number_at_once_keep_the_minimum_gap(db: Database, tenant: int) -> None:
    """QA 13 #2: PROG and PRED dialled the same number a second apart despite a 60-minute gap."""
    phone = _phone()
    first, (one,) = _campaign(db, tenant, phone, min_gap_minutes=60)
    second, (two,) = _campaign(db, tenant, phone, min_gap_minutes=60)
    orders: dict[int, list[int]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(campaign: int) -> None:
        try:
            barrier.wait()
            orders[campaign] = [o.entry_id for o in _claim(db, tenant, campaign, MONDAY_10_BEIJING,
                                                           owner=f"d{campaign}").orders]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(orders[first] + orders[second]) in ([one], [two])  # one dial of the number, not two
    waiting = two if orders[first] else one
    entry = _entry(db, tenant, waiting)
    assert (entry.state, entry.last_outcome) == ("pending", "min_gap")
    assert entry.next_attempt_at == MONDAY_10_BEIJING + timedelta(minutes=60)


def test_a_preview_offer_keeps_the_gap_after_another_campaigns_dial(db: Database, tenant: int) -> None:
    """QA 13 #2: preview P1 offered a number four minutes after a progressive campaign dialled it."""
    from hotline.platform.outbound import preview

    phone = _phone()
    progressive, _ = _campaign(db, tenant, phone, min_gap_minutes=60)
    previewed, (held,) = _campaign(db, tenant, phone, min_gap_minutes=60)
    with db.tenant(tenant) as session:
        session.get(Campaign, previewed).mode = "preview"
    assert len(_claim(db, tenant, progressive, MONDAY_10_BEIJING).orders) == 1
    later = MONDAY_10_BEIJING + timedelta(minutes=4)
    with db.tenant(tenant) as session:
        assert preview.offer(session, "1001", set(), later) is None
    assert _entry(db, tenant, held).next_attempt_at == MONDAY_10_BEIJING + timedelta(minutes=60)
    with db.tenant(tenant) as session:
        assert preview.offer(session, "1001", set(), MONDAY_10_BEIJING + timedelta(minutes=61)) is not None


def test_a_call_an_agent_took_is_closed_when_it_ends_without_a_wrap_up(db: Database, tenant: int) -> None:
    """QA 13 #7: answered by agent 1001 (no desk), the entry stayed `dialing` for the 4-hour lease."""
    campaign, (entry_id,) = _campaign(db, tenant, _phone())
    now = MONDAY_10_BEIJING
    (order,) = _claim(db, tenant, campaign, now).orders
    with db.tenant(tenant) as session:
        dialing.record_answer(session, order.attempt_id, now)
        dialing.record_call_end(session, order.attempt_id, now + timedelta(minutes=3), agent="1001")
    entry = _entry(db, tenant, entry_id)
    assert (entry.state, entry.last_outcome, entry.lease_until) == ("done", "answered", None)
    assert "1001" in entry.closed_reason
    (attempt,) = _attempts(db, tenant, entry_id)
    assert (attempt.outcome, attempt.agent) == ("answered", "1001")
    assert _claim(db, tenant, campaign, now + timedelta(hours=5)).orders == []  # not dialled again
