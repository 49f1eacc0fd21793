"""The wallboard's service level is the reports' (one definition, reports/figures.service_level): answered within
the queue's target ÷ (offered − short abandons), the wait counted to the agent's answer. The same calls give the
same service level on the wallboard, the site dashboard and the report, per queue and for the tenant."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.platform.db import Database
from hotline.platform.models import CallRecord
from hotline.platform.reports.dashboard import report_calls
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_report
from hotline.platform.wallboard import tenant_figures

from .wallboard_helpers import add_call, make_tenant

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
DAY = date(2026, 11, 30)


def test_the_wallboard_and_the_report_give_the_same_service_level(db: Database) -> None:
    tenant_id = make_tenant(db)  # general: target 20 s, vip: 10 s; short abandon: the default 5 s
    t = NOW - timedelta(hours=1)
    add_call(db, tenant_id, t, wait=4)  # answered within target
    add_call(db, tenant_id, t, wait=19)  # within target
    add_call(db, tenant_id, t, wait=35)  # answered after the target
    add_call(db, tenant_id, t, wait=3, talk=None, outcome="abandoned")  # short abandon: out of the base
    add_call(db, tenant_id, t, wait=40, talk=None, outcome="abandoned")  # abandoned after waiting
    add_call(db, tenant_id, t, wait=60, talk=None, outcome="overflow", trace_status="timeout")  # timed out
    # ringing counts: queued for 8 s, then the agent answered 15 s after the call entered the queue (vip: 10 s)
    with db.tenant(tenant_id) as session:
        session.add(CallRecord(tenant_id=tenant_id, uuid=uuid.uuid4().hex, did="4008000000", caller="13800000001",
                               started_at=t, answered_at=t + timedelta(seconds=16), ended_at=t + timedelta(minutes=2),
                               queue="vip", wait_seconds=8, outcome="completed",
                               trace={"steps": [{"type": "queue", "at_ms": 1000}]}))
    add_call(db, tenant_id, t, queue="vip", wait=2, talk=None, outcome="abandoned")  # short abandon
    wallboard = tenant_figures(db, tenant_id, None, now=NOW)
    with db.tenant(tenant_id) as session:
        period = Period(DAY, DAY, "total", SHANGHAI)
        by_queue = {row["key"]: row
                    for row in call_report(session, tenant_id, period, "queue").rows}
        total = call_report(session, tenant_id, period).totals
        dashboard = report_calls(session, tenant_id, NOW)
    queues = {q["name"]: q for q in wallboard["queues"]}
    assert total["service_level"] == 33.3  # 2 in target ÷ (8 offered − 2 short)
    assert wallboard["totals"]["service_level"] == total["service_level"] == dashboard["service_level"]
    assert queues["general"]["service_level"] == by_queue["general"]["service_level"] == 40.0  # 2 ÷ (6 − 1)
    assert queues["vip"]["service_level"] == by_queue["vip"]["service_level"] == 0.0  # 15 s > 10 s
