"""The operator's main flow in headless Chromium: import a list, create an agentless campaign, start it, and
watch its progress follow the dial attempts live over server-sent events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from playwright.sync_api import expect
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Campaign, Contact, DialAttempt
from hotline.platform.outbound import contact_jobs
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD
from tests.jobs_support import run_worker

from .conftest import tenant_id

pytestmark = [pytest.mark.browser, pytest.mark.redis]
# Wednesday 2026-03-11, 10:30 in Shanghai: inside the survey's 10:00-12:00 window.
MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)


def _finished(db: Database, tenant: int, job_id: int) -> bool:
    with db.tenant(tenant) as session:
        return contact_jobs.as_dict(contact_jobs.get(session, job_id))["finished"]


@pytest.fixture(scope="module")
def db(postgres_database: Database) -> Database:
    """One browser run, on PostgreSQL (the page tests cover SQLite)."""
    return postgres_database


def test_import_create_start_and_watch_progress(app, serve, page, world, db, campaigner, tmp_path,
                                                queues) -> None:
    app.config["HOTLINE_CAMPAIGN_STREAM_SECONDS"] = 60
    app.config["HOTLINE_CAMPAIGN_STREAM_INTERVAL"] = 0.3
    a = tenant_id(db, world.tenant_a)
    upload = tmp_path / "名单.csv"
    upload.write_bytes("姓名,手机\n张三,13812345678\n李四,12\n王五,13912345678\n".encode("gbk"))
    list_name, campaign_name = f"满意度名单{uuid.uuid4().hex[:4]}", f"满意度调查{uuid.uuid4().hex[:4]}"
    with time_machine.travel(MORNING, tick=True):
        base = serve(app)
        page.goto(f"{base}/login?next=/campaigns/lists")
        page.fill("input[name=username]", campaigner)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        form = page.locator("[data-testid=list-form]")
        form.locator("input[name=name]").fill(list_name)
        form.locator("input[name=file]").set_input_files(str(upload))
        form.locator("button[type=submit]").click()
        expect(page.locator("[data-testid=import-status]")).to_have_text("排队中")
        job_id = int(page.url.rsplit("/", 1)[1])
        run_worker(queues, until=lambda: _finished(db, a, job_id))
        expect(page.locator("[data-testid=import-status]")).to_have_text("已完成（部分行有错误）")
        expect(page.locator("[data-testid=report]")).to_contain_text("已导入: 2")
        expect(page.locator("[data-testid=line-errors]")).to_contain_text("“12”不是中国大陆的手机、固话或 400/800 号码")

        page.click("text=新建外呼活动")
        page.fill("input[name=name]", campaign_name)
        page.select_option("select[name=script]", "satisfaction_survey")
        page.select_option("select[name=contact_list]", label=list_name)
        page.click("[data-testid=campaign-form] button[type=submit]")
        expect(page.locator("[data-testid=status]")).to_have_text("草稿")
        page.click("[data-testid=start]")
        expect(page.locator("[data-testid=status]")).to_have_text("进行中")
        expect(page.locator("#campaign-live-state")).to_have_text("实时")
        expect(page.locator("[data-testid=attempts]")).to_have_text("0")

        with db.tenant(a) as session:
            campaign = session.scalar(select(Campaign).where(Campaign.name == campaign_name))
            contact = session.scalar(select(Contact).where(Contact.list_id == campaign.contact_list_id,
                                                           Contact.name == "张三"))
            session.add(DialAttempt(contact_id=contact.id, phone_e164=contact.phone_e164, outcome="answered",
                                    campaign_id=campaign.id, answered_at=MORNING))
        expect(page.locator("[data-testid=attempts]")).to_have_text("1")
        screenshot(page, "campaign")
