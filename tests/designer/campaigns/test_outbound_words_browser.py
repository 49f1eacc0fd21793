"""Every outbound page in headless Chromium, in Chinese and in English (QA 13a): no stored code (status.*, rule.*,
reason.*, a JSON reason), no unfilled placeholder, and — in Chinese — none of the English the testers found; no
console error on any page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.outbound import campaigns, contact_jobs, contacts, dnc, preview
from tests.designer.conftest import PASSWORD
from tests.designer.console_guard import watch

from .conftest import preview_campaign, tenant_id
from .test_dnc_notes import _refusing_call

pytestmark = [pytest.mark.browser, pytest.mark.redis]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing
CODES = re.compile(r"\b(status|mode|purpose|outcome|rule|reason|detail|entry|import|campaign|list|example)\.[a-z_]+"
                   r"|\"code\"|\{[a-z_]+\}")
#: Counts worded wrong: an English plural after 1, a Chinese line number before its noun ("行 2" for "第 2 行").
WRONG_COUNTS = re.compile(r"\b1 (contacts|lines|attempts|minutes)\b|行 \d|\d+ / \d+ line")
ENGLISH = ("skipped by", "Skipped by", "disposition dnc", "call disposition", "attempts made", "/windows/",
           "is outside the call windows", "line", "contacts", "Lines read")


@pytest.fixture(scope="module")
def db(postgres_database: Database) -> Database:
    """One browser run, on PostgreSQL (the page tests cover SQLite)."""
    return postgres_database


def test_every_outbound_page_reads_in_the_chosen_language(app, serve, page, world, db, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    _refusing_call(db, a)
    campaign_id, _phones = preview_campaign(db, a, ("钱一",))
    with db.tenant(a) as session:
        offer = preview.offer(session, "1001", set(), NOW + timedelta(minutes=5))
        preview.skip(session, offer.attempt_id, "1001", "wrong_data", NOW + timedelta(minutes=5))
        contact_list = contacts.create_list(session, "名单-浏览", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", "姓名,手机\n甲,13812345678\n乙,12\n".encode(),
                                     "op").id
        list_id = contact_list.id
        refused = contacts.create_list(session, "名单-免打扰", "service", "op")
        contacts.import_contacts(session, refused, "r.csv", "姓名,手机\n丙,13912345670\n".encode())
        dnc.add(session, "13912345670", "operator", "op")
        draft_id = campaigns.create(session, name="草稿-浏览", script="return_visit", contact_list_id=refused.id,
                                    actor="op").id  # its pre-launch check lists the refused line
    contact_jobs.run(db, a, job_id)
    errors = watch(page)
    base = serve(app)
    page.goto(f"{base}/login?next=/campaigns/")
    page.fill("input[name=username]", campaigner)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/campaigns/")
    urls = ["/campaigns/", "/campaigns/new", f"/campaigns/{campaign_id}", f"/campaigns/{draft_id}", "/campaigns/lists",
            f"/campaigns/lists/{list_id}", f"/campaigns/lists/{list_id}/imports/{job_id}", "/campaigns/dnc",
            "/campaigns/tasks/windows"]
    for lang in ("zh_CN", "en"):
        for url in urls:
            page.goto(f"{base}{url}?lang={lang}")
            text = page.locator("body").inner_text()
            assert CODES.findall(text) == [], (lang, url, CODES.findall(text))
            assert WRONG_COUNTS.findall(text) == [], (lang, url, WRONG_COUNTS.findall(text))
            if lang == "zh_CN":
                assert [e for e in ENGLISH if e in text] == [], (url, [e for e in ENGLISH if e in text])
    page.goto(f"{base}/campaigns/{campaign_id}?lang=zh_CN")
    assert "座席跳过：联系人资料有误" in page.locator("[data-testid=ended]").inner_text()
    page.goto(f"{base}/campaigns/{draft_id}?lang=zh_CN")
    assert "第 2 行：+8613912345670" in page.locator("[data-testid=prelaunch]").inner_text()
    page.goto(f"{base}/campaigns/dnc?lang=en")
    assert "call disposition: 要求不再来电" in page.locator("[data-testid=dnc]").inner_text()
    assert errors == []
