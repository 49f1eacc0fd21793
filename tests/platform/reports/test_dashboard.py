"""The site manager's dashboard: today's business figures beside the wallboard's call figures, each coloured
the wallboard's way, for the tenant's local day (run at night, in business hours and before midnight)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from hotline.platform.db import Database
from hotline.platform.models import ManualDispatch, Tenant, TicketUrge, utcnow
from hotline.platform.reports.dashboard import colour, site_dashboard
from hotline.platform.services import templates, tickets
from hotline.platform.wallboard.thresholds import Levels
from tests.platform.wallboard_helpers import add_call


@pytest.fixture(scope="module")
def express(db: Database, frozen_clock: datetime) -> int:  # a fresh tenant per instant
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), f"d{uuid.uuid4().hex[:8]}", None,
                               "test").id


def test_business_beside_calls_with_colours(db: Database, express: int, frozen_clock: datetime) -> None:
    tenant_id = express
    query = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}
    now = utcnow()
    with db.tenant(tenant_id) as session:
        fresh = tickets.create(session, "tracking_query", query, "agent1", now=now - timedelta(seconds=30))
        old = tickets.create(session, "tracking_query", query, "agent1", now=now - timedelta(days=3))  # overdue
        session.add(ManualDispatch(ticket_id=old.id, reason="no courier covers the address"))
        session.add(TicketUrge(ticket_id=old.id, actor="supervisor", note="", at=now - timedelta(seconds=10)))
        session.add(TicketUrge(ticket_id=old.id, actor="supervisor", note="", at=now - timedelta(days=2)))
        done = tickets.create(session, "tracking_query", query, "agent1", now=now - timedelta(seconds=20))
        tickets.transition(session, done.number, "done", base_revision=done.revision, actor="agent1")
        assert fresh.number
    add_call(db, tenant_id, now - timedelta(seconds=40), wait=5, talk=30)
    add_call(db, tenant_id, now - timedelta(seconds=40), wait=60, talk=None, outcome="abandoned")
    board = site_dashboard(db, tenant_id, None, now=utcnow())
    business = board["business"]
    assert business["values"] == {"created": 2, "pending_dispatch": 1, "overdue": 1, "urged": 1, "resolved": 1}
    assert business["colours"] == {"created": "none", "pending_dispatch": "amber", "overdue": "amber",
                                   "urged": "amber", "resolved": "none"}
    assert (board["calls"]["offered"], board["calls"]["abandoned"]) == (2, 1)
    assert board["calls"]["colours"]["service_level"] in ("green", "amber", "red")


def test_the_dashboards_handle_time_is_the_reports(db: Database, frozen_clock: datetime) -> None:
    """Talk by the switch (hold included) + the queue's wrap-up, as the report counts it: a survey after the
    agent hung up lengthens answer-to-end, never the handle time."""
    from hotline.platform.reports.periods import Period
    from hotline.platform.reports.service import call_report
    from hotline.platform.wallboard.today import tenant_zone

    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), f"h{uuid.uuid4().hex[:8]}",
                                    None, "test").id
    now = utcnow()
    for talk in (20, 25, 30):  # 10 s more on the line (the survey) than the switch's talk time
        add_call(db, tenant_id, now - timedelta(seconds=90), wait=5, talk=talk + 10, talk_seconds=float(talk))
    board = site_dashboard(db, tenant_id, None, now=utcnow())
    with db.tenant(tenant_id) as session:
        zone = tenant_zone(session.get(Tenant, tenant_id).settings)
        day = now.astimezone(zone).date()
        report = call_report(session, tenant_id, Period(day, day, "total", zone))
    assert board["calls"]["aht"] == report.totals["aht"] is not None


def test_colours_follow_the_wallboard_rule() -> None:
    levels = Levels(1, 10)
    assert [colour(v, levels) for v in (0, 1, 9, 10)] == ["green", "amber", "amber", "red"]
    assert colour(None, levels) == "none"


def test_the_dashboard_reads_calls_and_business_in_one_session(db: Database, express: int,
                                                               frozen_clock: datetime) -> None:
    """One connection checkout and transaction (it took two, each a pre-ping and a BEGIN more on a loaded
    machine: the 211 ms of the benchmark were mostly round trips)."""
    checkouts: list[int] = []

    def counted(*_args: object) -> None:
        checkouts.append(1)

    event.listen(db.engine, "checkout", counted)
    try:
        board = site_dashboard(db, express, None, now=utcnow())
    finally:
        event.remove(db.engine, "checkout", counted)
    assert len(checkouts) == 1
    assert set(board["business"]["values"]) == {"created", "pending_dispatch", "overdue", "urged", "resolved"}


def test_overdue_counts_each_open_ticket_once(db: Database, frozen_clock: datetime) -> None:
    """Past the response due only, past the resolution due only, past both: three overdue; a resolved ticket past
    its dues and an answered one not yet due: none (the count is split in two disjoint index-only counts)."""
    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), f"o{uuid.uuid4().hex[:8]}", None,
                                    "test").id
    query = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}
    now = utcnow()
    hour = timedelta(hours=1)
    dues = [(now - hour, now + hour, None, None), (now - 2 * hour, now - hour, now - hour, None),
            (now - 2 * hour, now - hour, None, None), (now - 2 * hour, now - hour, None, now - hour),
            (now - hour, now + hour, now - hour, None)]
    with db.tenant(tenant_id) as session:
        for response_due, resolution_due, responded, resolved in dues:
            ticket = tickets.create(session, "tracking_query", query, "agent1", now=now - 3 * hour)
            ticket.first_response_due, ticket.resolution_due = response_due, resolution_due
            ticket.first_responded_at, ticket.resolved_at = responded, resolved
    board = site_dashboard(db, tenant_id, None, now=now)
    assert board["business"]["values"]["overdue"] == 3


def test_the_dashboard_and_the_days_report_give_the_same_call_figures(db: Database, frozen_clock: datetime) -> None:
    """Service level, abandons (short ones apart), their rate and ASA on the dashboard are the report's, from the
    same interval rows: 1 in target ÷ (4 offered − 1 short abandon) = 33.3%, 1 queue abandon ÷ 3 = 33.3%."""
    from hotline.platform.reports.periods import Period
    from hotline.platform.reports.service import call_report
    from hotline.platform.wallboard.today import tenant_zone

    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), f"g{uuid.uuid4().hex[:8]}",
                                    None, "test").id
    now = utcnow()
    at = now - timedelta(seconds=60)
    add_call(db, tenant_id, at, wait=5, talk=30)
    add_call(db, tenant_id, at, wait=30, talk=30)
    add_call(db, tenant_id, at, wait=30, talk=None, outcome="abandoned")
    add_call(db, tenant_id, at, wait=2, talk=None, outcome="abandoned")  # a short abandon
    board = site_dashboard(db, tenant_id, None, now=utcnow())["calls"]
    with db.tenant(tenant_id) as session:
        zone = tenant_zone(session.get(Tenant, tenant_id).settings)
        day = now.astimezone(zone).date()
        report = call_report(session, tenant_id, Period(day, day, "total", zone)).totals
    assert (board["offered"], board["answered"], board["abandoned"], board["abandoned_short"]) == (4, 2, 1, 1)
    assert board["service_level"] == report["service_level"] == 33.3
    assert board["abandon_rate"] == report["abandon_rate"] == 33.3
    assert board["asa"] == report["asa"] == 17.5
    assert board["definitions"] == "report"
