"""A call that timed out of its queue (the queue's time-out, then overflow to voicemail or a hang-up) is a figure
of its own, 排队超时 / queue timeout: offered = answered + abandoned (short or not) + timed out, by hand, in the
live counters and in the rebuilds alike."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.db import Database
from hotline.platform.reports import intervals
from hotline.platform.reports.labels import label
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_report

from .seed import T10, add_calls, make_tenant
from .seed import call as seed_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def _timeout(wait: int) -> list[dict]:
    return [{"type": "queue", "queue": "general", "status": "timeout", "agent": None, "wait_seconds": wait}]


def _day(db: Database) -> int:
    """general: answered 2, abandoned 1 (wait 30), short abandon 1 (wait 2), timed out 2 (one overflowed to
    voicemail and ended there, one hung up at the overflow's goodbye) → offered 6 = 2 + 1 + 1 + 2."""
    tenant_id = make_tenant(db)
    m = timedelta(minutes=1)
    add_calls(db, tenant_id, [
        seed_call(T10, wait=5, talk=100),
        seed_call(T10 + m, wait=8, talk=60),
        seed_call(T10 + 2 * m, wait=30, outcome="abandoned"),
        seed_call(T10 + 3 * m, wait=2, outcome="abandoned"),
        seed_call(T10 + 4 * m, wait=120, outcome="voicemail", events=_timeout(120)),
        seed_call(T10 + 5 * m, wait=120, outcome="completed", events=_timeout(120)),
    ])
    return tenant_id


def _figures(db: Database, tenant_id: int) -> dict:
    with db.tenant(tenant_id) as session:
        return call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI)).totals


def test_a_queue_timeout_is_its_own_figure_and_offered_adds_up(db: Database) -> None:
    f = _figures(db, _day(db))
    assert (f["offered"], f["answered"], f["abandoned_queue"], f["abandoned_short"], f["timed_out"]) == (6, 2, 1, 1, 2)
    assert f["offered"] == f["answered"] + f["abandoned_queue"] + f["abandoned_short"] + f["timed_out"]
    assert f["timeout_rate"] == 40.0  # 2 timed out / (6 offered - 1 short abandon)
    assert f["self_service"] == 0  # a timed-out call that ended at a hang-up node was queued: not self-service


@pytest.mark.parametrize("in_database", [None, False])
def test_the_rebuild_counts_queue_timeouts_as_the_live_counters_do(db: Database, in_database: bool | None) -> None:
    tenant_id = _day(db)
    live = _figures(db, tenant_id)
    with db.platform() as session:
        intervals.rebuild(session, tenant_id, T10 - timedelta(hours=1), T10 + timedelta(hours=1),
                          in_database=in_database)
    assert _figures(db, tenant_id) == live


def test_the_queue_timeout_figure_is_named_in_both_languages() -> None:
    assert label("figure.timed_out", "zh_CN") == "排队超时"
    assert label("figure.timed_out", "en") == "Queue timeouts"
