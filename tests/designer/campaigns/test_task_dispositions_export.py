"""Review leftover 4: the tasks campaign (call-back tasks) runs no script, so its attempts' dispositions — the
defaults every task call offers (已完成 / 另约时间 / …) — were exported as their stored codes. The campaign export
(CSV and Excel), the report's attempts export and its by-disposition rows show the label in the reader's language;
an old row whose code no label knows shows the code with a note."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from hotline.platform.db import Database
from hotline.platform.models import DialAttempt
from hotline.platform.outbound.task_campaign import tasks_campaign

from .conftest import tenant_id

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing
CODES = ("completed", "callback_later", "dnc", "legacy_done")


def _tasks_attempts(db: Database, tenant: int) -> int:
    with db.tenant(tenant) as session:
        campaign = tasks_campaign(session)
        for i, code in enumerate(CODES):
            session.add(DialAttempt(tenant_id=tenant, campaign_id=campaign.id, phone_e164=f"+8613800000{i:03d}",
                                    at=AT + timedelta(minutes=i), outcome="answered", disposition=code,
                                    answered_at=AT + timedelta(minutes=i, seconds=10),
                                    ended_at=AT + timedelta(minutes=i, seconds=70)))
        session.flush()
        return campaign.id


def _column(header: list[str]) -> int:
    return next(i for i, name in enumerate(header) if name in ("处理结果", "Disposition"))


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_task_dispositions_are_exported_by_their_labels(api_as, db: Database, world, campaigner) -> None:
    campaign_id = _tasks_attempts(db, tenant_id(db, world.tenant_a))
    client = api_as(campaigner)
    expected = {"zh_CN": ["已完成", "另约时间", "要求不再来电", "legacy_done（未知的结果代码）"],
                "en": ["Completed", "Call back later", "Asked not to be called again",
                       "legacy_done (unknown disposition code)"]}
    for lang, words in expected.items():
        rows = _csv(client.get(f"/campaigns/{campaign_id}/export?format=csv&lang={lang}"))
        column = _column(rows[0])
        assert [row[column] for row in rows[1:]] == words, rows
        book = load_workbook(io.BytesIO(client.get(f"/campaigns/{campaign_id}/export?format=xlsx&lang={lang}")
                                        .get_data()))
        sheet = [[cell.value or "" for cell in row] for row in book.active.iter_rows()]
        assert [row[column] for row in sheet[1:]] == words
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    start, end = "2026-11-23T00:00:00%2B08:00", "2026-11-24T00:00:00%2B08:00"
    for lang, words in expected.items():
        rows = _csv(supervisor.get(f"/supervision/reports/attempts?start={start}&end={end}&campaign={campaign_id}"
                                   f"&format=csv&lang={lang}"))
        column = _column(rows[0])
        assert sorted(row[column] for row in rows[1:]) == sorted(words)
        report = _csv(supervisor.get("/supervision/reports/export?format=csv&kind=outbound&by=disposition"
                                     f"&from=2026-11-23&to=2026-11-23&group=total&lang={lang}"))
        shown = " ".join(",".join(row) for row in report)
        assert all(word in shown for word in words), report
        assert "callback_later" not in shown
