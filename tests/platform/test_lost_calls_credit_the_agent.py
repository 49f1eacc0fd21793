"""Issue 14: a call a crashed runtime left open while the caller talked to an agent is closed by the lease sweep
(platform/lost_calls.py) with that agent credited in the reports, even on an extension no user holds."""

from __future__ import annotations

from hotline.platform.lost_calls import record_fields
from hotline.platform.reports import classify


def test_a_lost_call_answered_by_an_agent_is_credited_to_the_agents_extension() -> None:
    fields = record_fields({"uuid": "u1", "tenant_id": "1", "agent": "s1", "queue": "care",
                            "started_at": "2026-12-07T03:54:10+00:00", "queued_at": "2026-12-07T03:54:20+00:00",
                            "answered_at": "2026-12-07T03:54:30+00:00", "lost_at": "2026-12-07T03:55:00+00:00"})
    assert classify.answering_extension(fields) == "s1"
    counts = classify.call_counts(fields, {})
    assert counts["answered"] == 1 and counts["handle_count"] == 1
    assert "died" in fields["trace"]["lost"]["why"]  # marked as closed by the sweep, not by the call's end


def test_a_lost_call_nobody_answered_credits_no_agent() -> None:
    fields = record_fields({"uuid": "u2", "tenant_id": "1", "agent": "s1", "queue": "care",
                            "queued_at": "2026-12-07T03:54:20+00:00", "lost_at": "2026-12-07T03:55:00+00:00"})
    assert classify.answering_extension(fields) == ""
    assert "answered" not in classify.call_counts(fields, {})
