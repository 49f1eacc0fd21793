"""The IVR funnel matches the traces of the seeded calls, per version, and two versions compare side by side."""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SAWarning

from hotline.platform.db import Database
from hotline.platform.reports.funnel import funnel, versions
from hotline.platform.reports.periods import Period

from .seed import BYE, MENU, T10, TRACK, add_calls, call, make_tenant, seeded_calls

MONDAY = Period(date(2026, 3, 9), date(2026, 3, 9), "total", ZoneInfo("Asia/Shanghai"))


def test_the_funnel_matches_the_seeded_traces_and_compares_versions(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    # version 2: two callers, both straight to self-service; one call on another day is outside the period
    add_calls(db, tenant_id, [call(T10, queue=None, steps=[MENU, TRACK, BYE], ivr_version=2) for _ in range(2)])
    add_calls(db, tenant_id, [call(T10 + timedelta(days=1), queue=None, steps=[MENU, TRACK, BYE], ivr_version=2)])
    with db.tenant(tenant_id) as session:
        one = funnel(session, tenant_id, "main", 1, MONDAY)
        two = funnel(session, tenant_id, "main", 2, MONDAY)
        assert versions(session, tenant_id, "main") == [2, 1]
    # version 1, by hand from seed.seeded_calls: 10 counted callers reach the menu; 5 press 2 for an agent,
    # 3 press 1 for tracking (2 finish at "bye", 1 hangs up at the lookup), 1 presses 0 for a transfer,
    # 1 hangs up at the menu.
    assert one["nodes"]["menu"] == {"reached": 10, "hangups": 1, "completed": 0}
    assert one["nodes"]["track"] == {"reached": 3, "hangups": 1, "completed": 0}
    assert one["nodes"]["bye"] == {"reached": 2, "hangups": 0, "completed": 2}
    assert one["nodes"]["to_agent"]["reached"] == 5
    assert {(e["node"], e["next"], e["digit"]): e["passes"] for e in one["edges"]} == {
        ("menu", "to_agent", "2"): 5, ("menu", "track", "1"): 3, ("track", "bye", ""): 2, ("menu", "out", "0"): 1}
    assert (one["callers"], one["hangups"], one["completed"]) == (10, 2, 2)
    assert (two["callers"], two["completed"], two["nodes"]["bye"]["completed"]) == (2, 2, 2)


TO_COLLECT = dict(MENU, next="track_collect")
COLLECT = {"node": "track_collect", "type": "collect", "digits": ["7730012345601"], "next": "track"}


def test_collected_digits_are_never_stored_as_funnel_edges(db: Database) -> None:
    """A waybill the caller typed at a collect node is counted on an "entered" edge; only a menu's key is kept."""
    tenant_id = make_tenant(db)
    phone = dict(COLLECT, digits=["13800000000"])
    add_calls(db, tenant_id, [call(T10, queue=None, steps=[TO_COLLECT, COLLECT, TRACK, BYE]),
                              call(T10, queue=None, steps=[TO_COLLECT, phone, TRACK, BYE])])
    with db.tenant(tenant_id) as session:
        one = funnel(session, tenant_id, "main", 1, MONDAY)
    assert {(e["node"], e["next"], e["digit"]): e["passes"] for e in one["edges"]} == {
        ("menu", "track_collect", "1"): 2, ("track_collect", "track", "entered"): 2, ("track", "bye", ""): 2}
    assert "7730012345601" not in repr(one) and "13800000000" not in repr(one)


def test_funnel_hides_collected_digits_of_rows_written_before_the_fix(db: Database) -> None:
    """Edge rows stored with a typed number (before the fix, until a rebuild) are shown as one "entered" edge."""
    from hotline.platform.models import ReportIvrEdge

    tenant_id = make_tenant(db)
    with db.tenant(tenant_id) as session:
        for digit in ("7730012345601", "7730012345602"):
            session.add(ReportIvrEdge(tenant_id=tenant_id, interval_start=T10, ivr_document="main", ivr_version=1,
                                      node="track_collect", next_node="track", digit=digit[:16], passes=1))
    with db.tenant(tenant_id) as session:
        one = funnel(session, tenant_id, "main", 1, MONDAY)
    assert one["edges"] == [{"node": "track_collect", "next": "track", "digit": "entered", "passes": 2}]


def test_listing_the_versions_with_traffic_raises_no_sqlalchemy_warning(db: Database) -> None:
    """versions() used a column-level distinct() outside an aggregate, which SQLAlchemy warns about (SAWarning)
    and whose SQL is not guaranteed; the listing is a SELECT DISTINCT, newest first, each version once."""
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, [call(T10, queue=None, steps=[MENU, TRACK, BYE], ivr_version=v) for v in (1, 3, 3, 2)])
    with warnings.catch_warnings(), db.tenant(tenant_id) as session:
        warnings.simplefilter("error", SAWarning)
        assert versions(session, tenant_id, "main") == [3, 2, 1]
