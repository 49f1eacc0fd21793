"""By skill (QA 14 #3), the report page and its exports say under the table that a call counts in each skill of
its queue, and list the calls that never queued as 未排队 / Not queued, in Chinese and English."""

from __future__ import annotations

import csv
import html as markup
import io

from hotline.platform.db import Database
from hotline.platform.models import Queue
from hotline.platform.reports.labels import label
from hotline.platform.services.tenants import get_tenant
from tests.platform.reports.seed import T10, add_calls, seeded_calls

QUERY = "/supervision/reports?kind=calls&from=2026-03-09&to=2026-03-09&group=total&by=skill"
EXPORT = "/supervision/reports/export?format=csv&kind=calls&from=2026-03-09&to=2026-03-09&group=total&by=skill"


def test_by_skill_the_page_and_export_say_how_rows_reconcile(db: Database, api_as, world) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
        for name in ("general", "vip"):
            if not session.query(Queue).filter(Queue.tenant_id == tenant_id, Queue.name == name).count():
                session.add(Queue(tenant_id=tenant_id, name=name, label=name.upper(), skills=[name]))
    add_calls(db, tenant_id, seeded_calls(T10))
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    chinese = markup.unescape(supervisor.get(QUERY + "&lang=zh_CN").get_data(as_text=True))
    assert label("report.skill_note") in chinese and ">未排队<" in chinese
    english = markup.unescape(supervisor.get(QUERY + "&lang=en").get_data(as_text=True))
    assert label("report.skill_note", "en") in english and ">Not queued<" in english
    rows = list(csv.reader(io.StringIO(supervisor.get(EXPORT + "&lang=en").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[-1] == [label("report.skill_note", "en")]
    assert any(row[1] == "Not queued" for row in rows[1:-2])
