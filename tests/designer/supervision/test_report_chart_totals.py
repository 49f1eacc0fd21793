"""Review leftover 2: by skill a call counts in the row of every skill of its queue (the documented rule), and the
chart summed those rows, so a call of a queue with two skills was drawn twice. The chart's lines are the report's
totals per period (what 合计 counts: each call once), whatever the breakdown."""

from __future__ import annotations

import html as markup
import json

from sqlalchemy import update

from hotline.platform.db import Database
from hotline.platform.models import Queue
from hotline.platform.services.tenants import get_tenant
from tests.platform.reports.seed import T10, add_calls, call

PAGE = "/supervision/reports?kind=calls&from=2026-03-09&to=2026-03-10&group=day"


def _chart(client, query: str) -> dict:
    page = client.get(PAGE + query).get_data(as_text=True)
    assert 'id="report-data"' in page, page[:500]
    return json.loads(markup.unescape(page.split('<script id="report-data" type="application/json">')[1]
                                      .split("</script>")[0]))


def test_a_call_in_a_queue_with_two_skills_is_drawn_once(db: Database, api_as, world) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
        if session.query(Queue).filter(Queue.tenant_id == tenant_id, Queue.name == "general").count():
            session.execute(update(Queue).where(Queue.tenant_id == tenant_id, Queue.name == "general")
                            .values(skills=["general", "vip"]))
        else:
            session.add(Queue(tenant_id=tenant_id, name="general", label="综合", skills=["general", "vip"]))
    add_calls(db, tenant_id, [call(T10, queue="general", wait=4, talk=30)])
    client = api_as(world.supervisor_a, world.tenant_a)
    for by in ("skill", "queue", ""):
        chart = _chart(client, f"&by={by}" if by else "")
        assert chart["series"]["labels"] == ["2026-03-09", "2026-03-10"], chart
        offered, answered = chart["series"]["lines"][0], chart["series"]["lines"][1]
        assert (offered["data"], answered["data"]) == ([1, 0], [1, 0]), (by, chart)
