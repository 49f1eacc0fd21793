"""Interval rows from seeded calls and tickets equal the hand-computed sums, stay right as records change,
and a rebuild of a range gives the same rows again."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import delete, func, select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, ReportInterval, ReportIvrEdge, ReportIvrNode, Tenant
from hotline.platform.reports import intervals

from .seed import T10, add_calls, make_tenant, seeded_calls


def _sums(db: Database, tenant_id: int, start=T10, end=T10 + timedelta(minutes=15)) -> dict[str, float]:
    columns = ("calls", "offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short",
               "answered_in_target", "wait_sum", "wait_count", "handle_sum", "handle_count", "transfers",
               "callbacks", "self_service", "survey_count", "survey_sum", "survey_satisfied", "h02", "h03", "h06",
               "h07", "h01")
    with db.tenant(tenant_id) as session:
        row = session.execute(select(*(func.coalesce(func.sum(getattr(ReportInterval, c)), 0) for c in columns))
                              .where(ReportInterval.interval_start >= start,
                                     ReportInterval.interval_start < end)).one()
    return dict(zip(columns, row, strict=True))


EXPECTED = {"calls": 10, "offered": 6, "answered": 4, "abandoned_ivr": 2, "abandoned_queue": 1, "abandoned_short": 1,
            "answered_in_target": 2, "wait_sum": 5 + 20 + 45 + 12, "wait_count": 4,
            "handle_sum": 110 + 210 + 70 + 50, "handle_count": 4, "transfers": 1, "callbacks": 1, "self_service": 1,
            "survey_count": 2, "survey_sum": 7, "survey_satisfied": 1,
            # histogram: 50 → h01 (≤60), 70 → h02 (≤90), 110 → h03 (≤120), 210 → h06 (≤210)
            "h01": 1, "h02": 1, "h03": 1, "h06": 1, "h07": 0}


def test_calls_are_summed_into_their_interval_as_they_are_written(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    assert _sums(db, tenant_id) == EXPECTED
    later = _sums(db, tenant_id, T10 + timedelta(minutes=15), T10 + timedelta(minutes=30))
    assert (later["calls"], later["self_service"]) == (1, 1)


def test_rows_follow_a_changed_record_and_a_rebuild_changes_nothing(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    with db.tenant(tenant_id) as session:  # the short abandon turns out to be a test call
        short = session.scalar(select(CallRecord).where(CallRecord.wait_seconds == 3))
        short.test_call = True
    after = _sums(db, tenant_id)
    assert (after["offered"], after["abandoned_short"], after["callbacks"]) == (5, 0, 0)
    with db.tenant(tenant_id) as session:
        before = session.scalar(select(func.count()).select_from(ReportInterval))
    for _ in range(2):
        with db.platform() as session:
            intervals.rebuild(session, tenant_id, T10 - timedelta(hours=1), T10 + timedelta(hours=1))
    assert _sums(db, tenant_id) == {**EXPECTED, "calls": 9, "offered": 5, "abandoned_short": 0, "callbacks": 0}
    with db.tenant(tenant_id) as session:
        assert session.scalar(select(func.count()).select_from(ReportInterval)) == before


def test_ivr_nodes_and_edges_count_each_caller_once(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    with db.tenant(tenant_id) as session:
        nodes = {n: (r, h, c) for n, r, h, c in session.execute(
            select(ReportIvrNode.node, func.sum(ReportIvrNode.reached), func.sum(ReportIvrNode.hangups),
                   func.sum(ReportIvrNode.completed)).group_by(ReportIvrNode.node))}
        edges = {(a, b, d): n for a, b, d, n in session.execute(
            select(ReportIvrEdge.node, ReportIvrEdge.next_node, ReportIvrEdge.digit, func.sum(ReportIvrEdge.passes))
            .group_by(ReportIvrEdge.node, ReportIvrEdge.next_node, ReportIvrEdge.digit))}
    # menu: 5 queued + 4 IVR-only + the 10:20 call (the test call is not counted); hang-up at menu 1
    assert nodes["menu"] == (10, 1, 0)
    assert nodes["track"] == (3, 1, 0)
    assert nodes["bye"] == (2, 0, 2)
    assert edges == {("menu", "to_agent", "2"): 5, ("menu", "track", "1"): 3, ("track", "bye", ""): 2,
                     ("menu", "out", "0"): 1}


def test_rebuild_command_recomputes_a_range(db: Database) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    with db.tenant(tenant_id) as session:
        session.execute(delete(ReportInterval))  # rows lost: the command brings them back
        slug = session.scalar(select(Tenant.slug).where(Tenant.id == tenant_id))
    from hotline.cli import main

    result = CliRunner().invoke(main, ["reports", "rebuild", "--from", "2026-03-09", "--to", "2026-03-09",
                                       "--tenant", slug], env={"HOTLINE_DATABASE_URL": db.url},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "11 calls" in result.output  # the test call is not read
    assert _sums(db, tenant_id) == EXPECTED
    bad = CliRunner().invoke(main, ["reports", "rebuild", "--from", "2026-03-09", "--to", "2026-03-01"],
                             env={"HOTLINE_DATABASE_URL": db.url})
    assert bad.exit_code != 0 and "before --from" in bad.output
