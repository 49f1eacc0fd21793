"""The recording player in Chromium (task 15a items 1 and 4): opening a call's page fetches no audio and audits no
listen — the length is shown from the call record — while pressing play is one audited listen; a remark's time on
a score's page seeks the player there and plays. No console errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from hotline.platform.db import Database
from tests.designer.conftest import World
from tests.designer.console_guard import watch

from .helpers import add_call, listens, quality_app, tenant_id, user_id
from .test_quality_pages import ANSWERS, SHEET

pytestmark = pytest.mark.browser


@pytest.fixture
def app(db: Database, tmp_path: Path) -> Flask:
    return quality_app(db, tmp_path)


def test_opening_a_call_is_not_a_listen_and_pressing_play_is_one(db: Database, page, world: World, open_as,
                                                                  tmp_path: Path) -> None:
    errors = watch(page)
    tenant = tenant_id(db, world.tenant_a)
    call = add_call(db, tenant, tmp_path, agent_id=user_id(db, world.agent_a))
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/recording" in r.url else None)
    open_as(world.supervisor_a, f"/quality/calls/{call.uuid}")
    page.wait_for_load_state("networkidle")
    assert fetched == [] and listens(db, tenant, call.uuid) == []
    assert page.get_by_test_id("recording-length").inner_text() == "时长 0:02"  # from the call record
    page.get_by_test_id("player").click(position={"x": 20, "y": 27})  # the play button, at the controls' left
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.2")
    assert abs(page.evaluate("document.getElementById('player').duration") - 2.0) < 0.05
    assert fetched and listens(db, tenant, call.uuid) == [world.supervisor_a]
    assert errors == [], errors


def test_a_remarks_time_seeks_the_player_to_it(db: Database, page, world: World, open_as, api_as, unique,
                                               tmp_path: Path) -> None:
    errors = watch(page)
    name = unique("sheet")
    assert api_as(world.admin_a, world.tenant_a).put(f"/quality/api/sheets/{name}", {
        "title": "通用质检表", "body": SHEET, "publish": True}).status_code == 200
    call = add_call(db, tenant_id(db, world.tenant_a), tmp_path, agent_id=user_id(db, world.agent_a))
    evaluation = api_as(world.supervisor_a, world.tenant_a).post(f"/quality/api/calls/{call.uuid}/evaluations", {
        "sheet": name, "answers": ANSWERS, "remarks": [{"at_seconds": 1.5, "text": "复述运单号"}]}).get_json()["id"]
    open_as(world.agent_a, f"/quality/evaluations/{evaluation}")
    assert page.evaluate("document.getElementById('player').currentTime") == 0
    seek = page.get_by_test_id("seek")
    assert seek.inner_text() == "1.5"
    seek.click()
    page.wait_for_function("() => document.getElementById('player').currentTime >= 1.5")
    assert page.evaluate("document.getElementById('player').currentTime") <= 2.01
    assert errors == [], errors
