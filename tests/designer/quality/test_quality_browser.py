"""Scoring in Chromium: QA opens a recorded call, the player loads the WAV (Range requests), a remark is
stamped with the player's position, points are entered, and the score page shows the weighted total."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from hotline.platform.db import Database
from tests.browser import screenshot
from tests.designer.conftest import World

from .helpers import add_call, quality_app, tenant_id, user_id
from .test_quality_pages import SHEET

pytestmark = pytest.mark.browser


@pytest.fixture
def app(db: Database, tmp_path: Path) -> Flask:
    return quality_app(db, tmp_path)


def test_qa_scores_a_call_with_a_remark_at_the_player_position(db: Database, page, world: World, open_as,
                                                                api_as, tmp_path: Path, unique) -> None:
    name = unique("sheet")
    admin = api_as(world.admin_a, world.tenant_a)
    assert admin.put(f"/quality/api/sheets/{name}", {"title": "浏览器质检表", "body": SHEET,
                                                     "publish": True}).status_code == 200
    call = add_call(db, tenant_id(db, world.tenant_a), tmp_path, agent_id=user_id(db, world.agent_a))
    open_as(world.supervisor_a, f"/quality/calls/{call.uuid}?sheet={name}")
    # the length comes from the call record: the player fetches nothing until played (task 15a item 1)
    assert page.get_by_test_id("recording-length").inner_text() == "时长 0:02"
    page.get_by_test_id("player").click(position={"x": 20, "y": 27})  # play
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    assert abs(page.evaluate("document.getElementById('player').duration") - 2.0) < 0.05
    page.evaluate("() => { const p = document.getElementById('player'); p.pause(); p.currentTime = 1.5; }")
    page.wait_for_function("() => Math.abs(document.getElementById('player').currentTime - 1.5) < 0.01")
    page.get_by_test_id("add-remark").click()
    page.fill("input[name=remark_text]", "复述运单号")
    page.select_option("select[name=remark_item]", "accuracy")
    page.fill("input[name=points_greeting]", "25")
    page.fill("input[name=points_accuracy]", "60")
    screenshot(page, "quality-score")
    page.get_by_test_id("submit-score").click()
    page.get_by_test_id("total").wait_for()
    assert page.get_by_test_id("total").inner_text() == "85"
    remarks = page.get_by_test_id("remarks").inner_text()
    assert "1.5" in remarks and "复述运单号" in remarks and "信息准确" in remarks
