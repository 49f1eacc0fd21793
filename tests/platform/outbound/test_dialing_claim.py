"""The dialer's claim side (platform/outbound/dialing.py): what a claim dials, skips or puts back at a given
instant — windows, holidays, DNC lists, consent, caps, gaps, leases, and two dialers at once. Every instant is
explicit, so nothing here depends on the hour the suite runs; both databases."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import (
    Campaign,
    DialAttempt,
    Tenant,
)
from hotline.platform.outbound import dialing, dnc, outcomes, reasons

from .dialing_factories import (
    MONDAY_10_BEIJING,
    MONDAY_2130_BEIJING,
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


def test_inside_the_window_the_attempt_is_written_before_the_call(db: Database, tenant: int) -> None:
    campaign, (entry_id,) = running_campaign(db, tenant, new_phone())
    result = claim_at(db, tenant, campaign, MONDAY_10_BEIJING)
    (order,) = result.orders
    (attempt,) = attempts_of(db, tenant, entry_id)
    assert (attempt.outcome, attempt.call_uuid, attempt.id) == ("dialing", order.call_uuid, order.attempt_id)
    entry = entry_of(db, tenant, entry_id)
    assert (entry.state, entry.lease_owner, entry.attempts) == ("dialing", "d1", 1)
    assert order.caller_id == "4008205566" and order.ring_timeout == 30
    # claimed: nobody else gets it while the lease holds
    assert claim_at(db, tenant, campaign, MONDAY_10_BEIJING + timedelta(seconds=5), owner="d2").orders == []


def test_no_call_outside_the_callees_window_in_their_own_zone(db: Database, tenant: int) -> None:
    # 10:00 in Beijing is 21:00 the evening before in New York: outside; the entry waits for 09:00 New York.
    campaign, (entry_id,) = running_campaign(db, tenant, "+12125550100", timezone="America/New_York")
    result = claim_at(db, tenant, campaign, MONDAY_10_BEIJING)
    assert result.orders == [] and attempts_of(db, tenant, entry_id) == []
    entry = entry_of(db, tenant, entry_id)
    assert (entry.state, entry.last_outcome) == ("pending", "outside_window")
    assert entry.next_attempt_at == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Mon 09:00 EST
    assert claim_at(db, tenant, campaign, datetime(2026, 11, 23, 13, 59, tzinfo=UTC)).orders == []
    assert len(claim_at(db, tenant, campaign, datetime(2026, 11, 23, 14, 0, tzinfo=UTC)).orders) == 1
    # and a Beijing contact at 21:30 Beijing waits until Tuesday 09:00 Beijing
    campaign, (entry_id,) = running_campaign(db, tenant, new_phone())
    assert claim_at(db, tenant, campaign, MONDAY_2130_BEIJING).orders == []
    assert entry_of(db, tenant, entry_id).next_attempt_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def test_no_call_on_a_holiday_of_the_tenants_calendar(db: Database, tenant: int) -> None:
    with db.platform() as session:
        row = session.get(Tenant, tenant)
        settings = dict(row.settings or {})
        calendar = dict(settings.get("calendar") or {"timezone": "Asia/Shanghai", "weekly": {}})
        calendar["holidays"] = [*calendar.get("holidays", []), "2026-11-23"]
        row.settings = {**settings, "calendar": calendar}
    try:
        campaign, (entry_id,) = running_campaign(db, tenant, new_phone())
        assert claim_at(db, tenant, campaign, MONDAY_10_BEIJING).orders == []
        assert entry_of(db, tenant, entry_id).next_attempt_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    finally:
        with db.platform() as session:
            row = session.get(Tenant, tenant)
            calendar = dict(row.settings["calendar"])
            calendar["holidays"] = [d for d in calendar["holidays"] if d != "2026-11-23"]
            row.settings = {**row.settings, "calendar": calendar}


def test_no_call_to_a_number_on_the_tenants_or_the_platforms_list(db: Database, tenant: int) -> None:
    mine, platforms, fine = new_phone(), new_phone(), new_phone()
    with db.tenant(tenant) as session:
        dnc.add(session, mine, "import", "op")
    with db.platform() as session:
        dnc.add_platform(session, platforms, "regulator", "operator")
    campaign, entries = running_campaign(db, tenant, mine, platforms, fine)
    result = claim_at(db, tenant, campaign, MONDAY_10_BEIJING)
    assert [o.phone_e164 for o in result.orders] == [fine]
    assert result.refused == {entries[0]: "dnc", entries[1]: "dnc"}
    for entry_id, listed in zip(entries[:2], ("tenant", "platform"), strict=True):
        entry = entry_of(db, tenant, entry_id)
        assert entry.state == "skipped" and listed in reasons.plain(entry.closed_reason)
        (attempt,) = attempts_of(db, tenant, entry_id)
        assert (attempt.outcome, attempt.disposition) == ("skipped", "dnc")


def test_marketing_needs_consent_and_the_attempt_cap_holds(db: Database, tenant: int) -> None:
    campaign, (no_consent,) = running_campaign(db, tenant, new_phone(), purpose="marketing", consent=False)
    assert claim_at(db, tenant, campaign, MONDAY_10_BEIJING).refused == {no_consent: "no_consent"}
    campaign, (entry_id,) = running_campaign(db, tenant, new_phone(), max_attempts_per_contact=2,
                                      retry_policy={"no_answer": {"delay_minutes": 1, "max": 10}})
    now = MONDAY_10_BEIJING
    for _ in range(2):
        (order,) = claim_at(db, tenant, campaign, now).orders
        with db.tenant(tenant) as session:
            outcomes.record_failure(session, order.attempt_id, "NO_ANSWER", now)
        now += timedelta(minutes=5)
    result = claim_at(db, tenant, campaign, now)
    assert result.orders == [] and result.refused == {entry_id: "attempt_cap"}
    assert "cap is 2" in reasons.plain(entry_of(db, tenant, entry_id).closed_reason)


def test_a_lapsed_lease_is_reclaimed_and_the_lost_attempt_recorded(db: Database, tenant: int) -> None:
    campaign, (entry_id,) = running_campaign(db, tenant, new_phone())
    now = MONDAY_10_BEIJING
    (first,) = claim_at(db, tenant, campaign, now, owner="dead").orders
    (second,) = claim_at(db, tenant, campaign, now + timedelta(seconds=dialing.LEASE_SECONDS + 1), owner="d2").orders
    assert first.entry_id == second.entry_id and first.call_uuid != second.call_uuid
    assert [a.outcome for a in attempts_of(db, tenant, entry_id)] == ["lost", "dialing"]
    assert entry_of(db, tenant, entry_id).lease_owner == "d2"


def test_two_dialers_claiming_at_once_never_take_one_entry_twice(db: Database, tenant: int) -> None:
    phones = [new_phone() for _ in range(60)]
    campaign, entries = running_campaign(db, tenant, *phones)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(owner: str) -> None:
        try:
            barrier.wait()
            for _ in range(20):
                for order in claim_at(db, tenant, campaign, MONDAY_10_BEIJING, limit=4, owner=owner).orders:
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


def test_a_claim_of_a_lapsed_unreached_answer_closes_it_and_does_not_redial(db: Database, tenant: int) -> None:
    campaign, (entry_id,) = running_campaign(db, tenant, new_phone())
    now = MONDAY_10_BEIJING
    (order,) = claim_at(db, tenant, campaign, now, owner="dead").orders
    with db.tenant(tenant) as session:
        outcomes.record_answer(session, order.attempt_id, now + timedelta(seconds=5))
    result = claim_at(db, tenant, campaign, now + timedelta(seconds=dialing.LEASE_SECONDS + 1), owner="d2")
    assert result.orders == [] and entry_id in result.deferred
    (attempt,) = attempts_of(db, tenant, entry_id)
    assert attempt.outcome == "abandoned" and "never reached a runtime" in reasons.plain(attempt.reason)


def test_a_callback_is_dialled_for_its_agent_when_free_and_for_anyone_after_the_wait(db: Database,
                                                                                     tenant: int) -> None:
    """Issue 13, item 2: 另约时间 with a time books the callback with the agent who took the call; it is dialled
    when that agent is free, and after the campaign's agent_wait_seconds for whoever is."""
    campaign, (entry_id, twin_id, plain_id) = running_campaign(db, tenant, new_phone(), new_phone(), new_phone(),
                                                        agent_wait_seconds=600)
    now = MONDAY_10_BEIJING
    orders = {o.entry_id: o for o in claim_at(db, tenant, campaign, now).orders}
    chosen = now + timedelta(hours=4)
    with db.tenant(tenant) as session:
        for booked in (entry_id, twin_id):
            outcomes.record_answer(session, orders[booked].attempt_id, now)
            outcomes.record_disposition(session, orders[booked].attempt_id, "callback_later", now, agent="1001",
                                       callback_at=chosen)
        outcomes.record_answer(session, orders[plain_id].attempt_id, now)
        outcomes.record_disposition(session, orders[plain_id].attempt_id, "callback_later", now,
                                   callback_at=chosen)  # no agent known: anyone
    busy = claim_at(db, tenant, campaign, chosen, free=frozenset({"1002"}))
    assert [o.entry_id for o in busy.orders] == [plain_id] and busy.orders[0].preferred_agent is None
    assert entry_of(db, tenant, entry_id).state == "pending"  # waits for 1001
    free = claim_at(db, tenant, campaign, chosen + timedelta(minutes=1), free=frozenset({"1001", "1002"}))
    (order,) = free.orders  # one call at a time for one agent: the twin waits
    assert order.preferred_agent == "1001" and twin_id in free.deferred
    with db.tenant(tenant) as session:  # both calls placed so far were busy (retried 30 minutes on)
        outcomes.record_failure(session, busy.orders[0].attempt_id, "USER_BUSY", chosen)
        outcomes.record_failure(session, order.attempt_id, "USER_BUSY", chosen + timedelta(minutes=1))
    late = claim_at(db, tenant, campaign, chosen + timedelta(seconds=601), free=frozenset({"1002"}))
    assert [(o.entry_id, o.preferred_agent) for o in late.orders] == [(twin_id, None)]  # the wait is over


def test_a_claim_takes_no_more_than_asked_in_a_few_statements(db: Database, tenant: int) -> None:
    """Issue 13, item 6: on PostgreSQL the lease, the dial's count and every fact the rules read come back from one
    UPDATE … RETURNING (a locking CTE: an `IN (… LIMIT n FOR UPDATE)` subquery can take more rows than n)."""
    from sqlalchemy import event

    campaign, entries = running_campaign(db, tenant, *(new_phone() for _ in range(6)))
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
    states = [entry_of(db, tenant, e).state for e in entries]
    assert states.count("dialing") == 4 and states.count("pending") == 2
    assert [entry_of(db, tenant, o.entry_id).attempts for o in result.orders] == [1, 1, 1, 1]
    if engine.dialect.name == "postgresql":
        # the campaign, the claim, the numbers' advisory locks and their dials by other campaigns (QA 13 #2: the
        # minimum gap across campaigns), the tenant's calendar, the attempts' INSERT … RETURNING
        assert statements.count("WITH") == 1 and len(statements) <= 6, statements


def test_two_campaigns_claiming_one_number_at_once_keep_the_minimum_gap(db: Database, tenant: int) -> None:
    """QA 13 #2: PROG and PRED dialled the same number a second apart despite a 60-minute gap."""
    phone = new_phone()
    first, (one,) = running_campaign(db, tenant, phone, min_gap_minutes=60)
    second, (two,) = running_campaign(db, tenant, phone, min_gap_minutes=60)
    orders: dict[int, list[int]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(campaign: int) -> None:
        try:
            barrier.wait()
            orders[campaign] = [o.entry_id for o in claim_at(db, tenant, campaign, MONDAY_10_BEIJING,
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
    entry = entry_of(db, tenant, waiting)
    assert (entry.state, entry.last_outcome) == ("pending", "min_gap")
    assert entry.next_attempt_at == MONDAY_10_BEIJING + timedelta(minutes=60)


def test_a_preview_offer_keeps_the_gap_after_another_campaigns_dial(db: Database, tenant: int) -> None:
    """QA 13 #2: preview P1 offered a number four minutes after a progressive campaign dialled it."""
    from hotline.platform.outbound import preview

    phone = new_phone()
    progressive, _ = running_campaign(db, tenant, phone, min_gap_minutes=60)
    previewed, (held,) = running_campaign(db, tenant, phone, min_gap_minutes=60)
    with db.tenant(tenant) as session:
        session.get(Campaign, previewed).mode = "preview"
    assert len(claim_at(db, tenant, progressive, MONDAY_10_BEIJING).orders) == 1
    later = MONDAY_10_BEIJING + timedelta(minutes=4)
    with db.tenant(tenant) as session:
        assert preview.offer(session, "1001", set(), later) is None
    assert entry_of(db, tenant, held).next_attempt_at == MONDAY_10_BEIJING + timedelta(minutes=60)
    with db.tenant(tenant) as session:
        assert preview.offer(session, "1001", set(), MONDAY_10_BEIJING + timedelta(minutes=61)) is not None
