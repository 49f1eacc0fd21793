"""Task E item 1: an agent appeals a score in Chromium (zh and en) by ticking the disputed item and proposing its
score; QA sees the proposal pre-filled and amends the score in fields; no console errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Evaluation
from tests.designer.conftest import World
from tests.designer.console_guard import watch

from .helpers import add_call, quality_app, tenant_id, user_id
from .test_quality_pages import ANSWERS, SHEET

pytestmark = pytest.mark.browser

WORDS = {"zh_CN": {"send": "提交申诉", "amended": "已改分"},
         "en": {"send": "Send appeal", "amended": "amended on appeal"}}


@pytest.fixture
def app(db: Database, tmp_path: Path) -> Flask:
    return quality_app(db, tmp_path)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_an_agent_appeals_an_item_and_qa_amends_it_in_the_form(db: Database, page, world: World, open_as, api_as,
                                                               unique, lang: str) -> None:
    errors = watch(page)
    name = unique("appeal")
    admin = api_as(world.admin_a, world.tenant_a)
    assert admin.put(f"/quality/api/sheets/{name}", {"title": "申诉表", "body": SHEET,
                                                     "publish": True}).status_code == 200
    tenant = tenant_id(db, world.tenant_a)
    call = add_call(db, tenant, None, agent_id=user_id(db, world.agent_a))
    qa = api_as(world.supervisor_a, world.tenant_a)
    evaluation = qa.post(f"/quality/api/calls/{call.uuid}/evaluations",
                         {"sheet": name, "answers": ANSWERS}).get_json()["id"]
    open_as(world.agent_a, f"/quality/evaluations/{evaluation}?lang={lang}")
    assert page.locator("[data-testid=send-appeal]").inner_text() == WORDS[lang]["send"]
    page.check("[data-testid=appeal-item-accuracy]")
    page.fill("[data-testid=appeal-p-accuracy]", "70")
    page.fill("[data-testid=appeal-reason]", "运单号复述无误")
    page.click("[data-testid=send-appeal]")
    page.wait_for_selector("[data-testid=appeal-items]")
    assert "70 / 70" in page.inner_text("[data-testid=appeal-items]")
    open_as(world.supervisor_a, f"/quality/evaluations/{evaluation}?lang={lang}")
    assert page.input_value("[data-testid=amend-p-accuracy]") == "70"  # the proposal, pre-filled
    page.check("[data-testid=amend]")
    page.fill("textarea[name=note]", "复听确认")
    page.locator("form", has=page.locator("[data-testid=amend]")).locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=total]")
    assert page.inner_text("[data-testid=total]") == "90"
    assert WORDS[lang]["amended"] in page.inner_text("[data-testid=appeal-status]").lower()
    with db.tenant(tenant) as session:
        row = session.scalar(select(Evaluation).where(Evaluation.id == evaluation))
        assert row.appeal_status == "amended" and row.appeal_items == {"accuracy": {"points": 70}}
    assert errors == [], errors
