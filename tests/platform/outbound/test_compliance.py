"""The dialer's rules: do-not-call, call windows in the callee's zone with holidays, consent for marketing,
attempt caps and gaps, and the 72-hour quiet time after an abandoned call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from hotline.platform.outbound.compliance import ContactFacts, check, in_window

DIALING = {"mode": "progressive", "timezone": "Asia/Shanghai", "max_attempts_per_contact": 3,
           "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "12:00"},
                       {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "14:00", "end": "20:00"}]}
#: Wednesday 2026-03-11 10:30 in Shanghai
WEDNESDAY_MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)
PHONE = "+8613812345678"


def test_a_contact_in_the_window_with_no_history_may_be_dialled() -> None:
    assert check(ContactFacts(PHONE), DIALING, WEDNESDAY_MORNING) is None


def test_windows_are_the_callees_local_time() -> None:
    lunch = WEDNESDAY_MORNING + timedelta(hours=2, minutes=30)  # 13:00 in Shanghai
    refusal = check(ContactFacts(PHONE), DIALING, lunch)
    assert refusal is not None and refusal.rule == "outside_window"
    assert "next opening 2026-03-11 14:00 (Asia/Shanghai)" in refusal.detail
    # 10:30 in Shanghai is 03:30 in Berlin: a contact there is asleep
    berlin = check(ContactFacts("+4930123456", timezone="Europe/Berlin"), DIALING, WEDNESDAY_MORNING)
    assert berlin is not None and berlin.rule == "outside_window" and "(Europe/Berlin)" in berlin.detail
    night = check(ContactFacts(PHONE), DIALING, datetime(2026, 3, 10, 19, 30, tzinfo=UTC))  # 03:30 Wednesday
    assert night is not None and "next opening 2026-03-11 09:00" in night.detail


def test_holidays_and_weekends_close_the_window() -> None:
    refusal = check(ContactFacts(PHONE), DIALING, WEDNESDAY_MORNING, holidays=["2026-03-11"])
    assert refusal is not None and refusal.rule == "outside_window"
    assert "next opening 2026-03-12 09:00" in refusal.detail
    saturday = check(ContactFacts(PHONE), DIALING, WEDNESDAY_MORNING + timedelta(days=3))
    assert saturday is not None and "next opening 2026-03-16 09:00" in saturday.detail
    assert not in_window(datetime(2026, 3, 11, 20, 0), DIALING["windows"])  # the end is not inside


def test_do_not_call_wins_and_names_the_list() -> None:
    refusal = check(ContactFacts(PHONE, dnc_lists=("tenant", "platform")), DIALING, WEDNESDAY_MORNING)
    assert refusal is not None and refusal.rule == "dnc" and "tenant, platform" in refusal.detail


def test_marketing_needs_consent_and_service_calls_do_not() -> None:
    refusal = check(ContactFacts(PHONE), DIALING, WEDNESDAY_MORNING, purpose="marketing")
    assert refusal is not None and refusal.rule == "no_consent"
    consented = ContactFacts(PHONE, consent_at=datetime(2026, 1, 5, tzinfo=UTC))
    assert check(consented, DIALING, WEDNESDAY_MORNING, purpose="marketing") is None


def test_caps_gaps_and_the_72_hour_rule_after_an_abandon() -> None:
    now = WEDNESDAY_MORNING
    capped = ContactFacts(PHONE, attempts=[(now - timedelta(days=d), False) for d in (1, 2, 3)])
    assert check(capped, DIALING, now).rule == "attempt_cap"
    recent = ContactFacts(PHONE, attempts=[(now - timedelta(minutes=20), False)])
    assert check(recent, DIALING, now).rule == "min_gap"
    abandoned = ContactFacts(PHONE, attempts=[(now - timedelta(hours=71), True)])
    refusal = check(abandoned, DIALING, now)
    assert refusal.rule == "abandoned_72h" and "no automatic redial before 2026-03-11 11:30" in refusal.detail
    assert check(ContactFacts(PHONE, attempts=[(now - timedelta(hours=73), True)]), DIALING, now) is None


#: Weekday windows to midnight (24:00, which the form's own words allow) and the early hours of Saturday; in Berlin.
TO_MIDNIGHT = {"mode": "progressive", "timezone": "Asia/Shanghai", "max_attempts_per_contact": 3,
               "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "24:00"},
                           {"days": ["sat"], "start": "00:00", "end": "01:00"}]}
BERLIN = ContactFacts("+4930123456", timezone="Europe/Berlin")


def test_a_window_ending_24_00_runs_to_midnight_across_the_day_boundary_in_the_callees_zone() -> None:
    # Friday 2026-03-13 23:59:30 in Berlin (UTC+1) is 22:59:30 UTC: inside the window that ends at midnight
    with time_machine.travel(datetime(2026, 3, 13, 22, 59, 30, tzinfo=UTC), tick=False):
        assert check(BERLIN, TO_MIDNIGHT, datetime.now(UTC)) is None
    # Saturday 00:00:30 Berlin: Friday's window is over, Saturday's early one has begun
    with time_machine.travel(datetime(2026, 3, 13, 23, 0, 30, tzinfo=UTC), tick=False):
        assert check(BERLIN, TO_MIDNIGHT, datetime.now(UTC)) is None
    # Saturday 01:00 Berlin: closed until Monday 18:00, and the words say so in the callee's zone
    with time_machine.travel(datetime(2026, 3, 14, 0, 0, tzinfo=UTC), tick=False):
        refusal = check(BERLIN, TO_MIDNIGHT, datetime.now(UTC))
    assert refusal is not None and refusal.rule == "outside_window"
    assert "next opening 2026-03-16 18:00 (Europe/Berlin)" in refusal.detail
    # midnight itself belongs to the next day: not inside Thursday's window, and Friday has no early one
    assert not in_window(datetime(2026, 3, 13, 0, 0), TO_MIDNIGHT["windows"])
    assert in_window(datetime(2026, 3, 12, 23, 59, 59, 999999), TO_MIDNIGHT["windows"])
