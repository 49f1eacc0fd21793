"""The wallboard, the site dashboard and the day's report show the same figures for the same calls (QA 14 #1):
abandon rate = queue abandons ÷ (offered − short abandons) and ASA = the wait from queue entry to the agent's
answer, ring time included — one function each in reports/figures.py, as the service level is."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.platform.db import Database
from hotline.platform.models import CallRecord
from hotline.platform.reports.dashboard import site_dashboard
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_report
from hotline.platform.wallboard import tenant_figures

from .wallboard_helpers import add_call, make_tenant

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
DAY = date(2026, 11, 30)
FIGURES = ("offered", "answered", "abandoned", "answered_in_target", "service_level", "abandon_rate", "asa")


def _rung(db: Database, tenant_id: int, started: datetime, *, claimed: int, answered: int) -> None:
    """An answered call as the runtime writes it: queued 1 s after the start, `wait_seconds` stopped when an agent
    was claimed, the agent's answer `answered` s after the call entered the queue (ring time in between)."""
    with db.tenant(tenant_id) as session:
        session.add(CallRecord(tenant_id=tenant_id, uuid=uuid.uuid4().hex, did="4008000000", caller="13800000001",
                               started_at=started, answered_at=started + timedelta(seconds=1 + answered),
                               ended_at=started + timedelta(minutes=3), queue="general", wait_seconds=claimed,
                               outcome="completed", trace={"steps": [{"type": "queue", "at_ms": 1000}]}))


def test_the_wallboard_dashboard_and_report_agree_on_every_call_figure(db: Database) -> None:
    tenant_id = make_tenant(db)  # general: target 20 s; short abandon: the default 5 s
    t = NOW - timedelta(hours=1)
    _rung(db, tenant_id, t, claimed=4, answered=8)  # within target, 4 s of ringing
    _rung(db, tenant_id, t, claimed=17, answered=24)  # after the target only with its ring time
    add_call(db, tenant_id, t, wait=35)  # answered after the target
    add_call(db, tenant_id, t, wait=3, talk=None, outcome="abandoned")  # short abandon
    add_call(db, tenant_id, t, wait=40, talk=None, outcome="abandoned")  # long abandon
    add_call(db, tenant_id, t, queue=None, wait=None, talk=None, outcome="caller_hangup")  # IVR abandon
    add_call(db, tenant_id, t, queue=None, wait=None, talk=None, outcome="abandoned")  # IVR abandon

    wallboard = tenant_figures(db, tenant_id, None, now=NOW)
    dashboard = site_dashboard(db, tenant_id, None, now=NOW)["calls"]
    with db.tenant(tenant_id) as session:
        period = Period(DAY, DAY, "total", SHANGHAI)
        report = call_report(session, tenant_id, period).totals
        general = {r["key"]: r for r in call_report(session, tenant_id, period, "queue").rows}["general"]
    report = {**report, "abandoned": report["abandoned_queue"]}
    general = {**general, "abandoned": general["abandoned_queue"]}
    assert report["abandon_rate"] == 25.0  # 1 long abandon ÷ (5 offered − 1 short)
    assert report["asa"] == round((8 + 24 + 35) / 3, 1)  # ring time included
    for name in FIGURES:
        assert wallboard["totals"][name] == dashboard[name] == report[name], name
    queue = next(q for q in wallboard["queues"] if q["name"] == "general")
    for name in FIGURES:
        assert queue[name] == general[name], name
    assert wallboard["totals"]["colours"] == dashboard["colours"]
