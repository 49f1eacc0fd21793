"""QA 14 wording: the zone note ends with a Chinese full stop on a Chinese page, and the totals row is one word
everywhere — 合计 / Total on the page, in the exports and in the scheduled e-mail."""

from __future__ import annotations

import csv
import html
import io
from datetime import date

import pytest

from hotline.platform.db import Database
from hotline.platform.models import SavedReport
from hotline.platform.reports.saved import render
from hotline.platform.wallboard.today import tenant_zone

from .test_reports import DAY, _seed


@pytest.fixture(scope="module")
def seeded(db: Database, world) -> int:
    return _seed(db, world.tenant_a)


@pytest.mark.parametrize(("lang", "note", "total"), [
    ("zh_CN", "时间按时区 Asia/Shanghai。测试呼叫不计入统计。", "合计"),
    ("en", "Times in Asia/Shanghai. Test calls are never counted.", "Total")])
def test_the_zone_note_and_the_totals_word_in_each_language(seeded: int, api_as, world, lang: str, note: str,
                                                            total: str) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    page = html.unescape(supervisor.get(f"/supervision/reports?{DAY}&lang={lang}").get_data(as_text=True))
    assert note in page
    assert page.split('data-testid="totals"><th>')[1].startswith(total + "</th>")
    sheet = supervisor.get(f"/supervision/reports/export?format=csv&{DAY}&lang={lang}").data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(sheet)))[-1][0] == total


@pytest.mark.parametrize(("locale", "total"), [("zh_CN", "合计"), ("en", "Total")])
def test_the_scheduled_e_mail_says_the_same_totals_word(seeded: int, db: Database, locale: str, total: str) -> None:
    with db.tenant(seeded) as session:
        report = SavedReport(tenant_id=seeded, name="日报", params={"kind": "calls", "group": "day"}, schedule="",
                             recipients="", created_by="t")
        _subject, body = render(session, seeded, report, date(2026, 3, 9), date(2026, 3, 9), tenant_zone(None),
                                locale)
    assert body.splitlines()[-1].split("\t")[0] == total
