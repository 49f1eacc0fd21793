"""The calls drill-down shows each call's wait as the reports define it (QA 14 #2): queue entry to the agent's
answer, the ring time included, so the answered calls' waits average to the report's ASA; its column says so."""

from __future__ import annotations

import html as markup
import re
from datetime import timedelta

from hotline.platform.db import Database
from hotline.platform.models import Queue
from hotline.platform.services.tenants import get_tenant
from tests.platform.reports.seed import MENU_2, T10, add_calls, call

DAY = "from=2026-03-09&to=2026-03-09"
CALLS = "/supervision/reports/calls?start=2026-03-09T10:00:00%2B08:00&end=2026-03-09T10:15:00%2B08:00"
QUEUE_STEP = {"node": "to_agent", "type": "queue", "at_ms": 2000}  # the call entered the queue 2 s in


def _rung(minute: int, *, claimed: int, answered: int) -> dict:
    """Claimed after `claimed` s in the queue (the runtime's wait_seconds), answered `answered` s after entry."""
    started = T10 + timedelta(minutes=minute)
    values = call(started, wait=claimed, talk=60, steps=[MENU_2, QUEUE_STEP])
    values["answered_at"] = started + timedelta(seconds=2 + answered)
    values["ended_at"] = values["answered_at"] + timedelta(seconds=60)
    return values


def test_the_drill_downs_waits_include_the_ring_and_average_to_the_asa(db: Database, api_as, world) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
        if not session.query(Queue).filter(Queue.tenant_id == tenant_id, Queue.name == "general").count():
            session.add(Queue(tenant_id=tenant_id, name="general", label="GENERAL", skills=["general"],
                              service_level_seconds=20))
    add_calls(db, tenant_id, [_rung(0, claimed=0, answered=3), _rung(1, claimed=10, answered=14),
                              call(T10 + timedelta(minutes=2), wait=30, outcome="abandoned", steps=[MENU_2])])
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    asa = supervisor.get(f"/supervision/api/reports?{DAY}&group=day").get_json()["totals"]["asa"]
    html = supervisor.get(CALLS + "&figure=answered&lang=zh_CN").get_data(as_text=True)
    waits = [float(w) for w in re.findall(r'<td data-testid="wait">([^<]*)</td>', html)]
    assert sorted(waits) == [3.0, 14.0]  # 0 and 10 before: the ring time was left out
    assert sum(waits) / len(waits) == asa == 8.5
    assert "入队至坐席接听，含振铃" in html
    english = supervisor.get(CALLS + "&lang=en").get_data(as_text=True)
    assert "queue entry to the agent's answer, ringing included" in markup.unescape(english)
    assert sorted(float(w) for w in re.findall(r'<td data-testid="wait">([^<]*)</td>', english)) == [3.0, 14.0, 30.0]
