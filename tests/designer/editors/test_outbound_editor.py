"""The outbound script editor in Chromium: an analyst adds a question to a page and a call result, and
sees the dialing policy; the saved draft holds them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser import screenshot
from tests.designer.conftest import Api, World

pytestmark = pytest.mark.browser


def test_analyst_adds_a_question_with_options_and_a_disposition(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/outbound/return_visit")
    greeting = page.get_by_test_id("page-greeting")
    greeting.get_by_test_id("add-question").wait_for()
    assert page.get_by_test_id("dialing-policy").is_visible()

    greeting.get_by_test_id("add-question").click()
    question = greeting.locator("[data-testid^=question-]").filter(has=page.get_by_test_id("question-label")).last
    question.get_by_test_id("question-label").fill("是否愿意参加满意度调查")
    question.get_by_test_id("question-type").select_option("choice")
    question.get_by_test_id("add-option").click()
    question.get_by_test_id("option-label").last.fill("不愿意")

    page.get_by_test_id("add-disposition").click()
    page.get_by_test_id("disposition-label").last.fill("同意参加调查")
    page.get_by_test_id("dialing-mode").select_option("preview")
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")
    screenshot(page, "outbound-editor")

    saved = api_as(world.analyst_a).get("/api/documents/outbound/return_visit").get_json()["draft"]
    asked = saved["pages"]["greeting"]["questions"][-1]
    assert asked["label"] == "是否愿意参加满意度调查" and asked["type"] == "choice"
    assert [o["label"] for o in asked["options"]][-1] == "不愿意" and len(asked["options"]) == 2
    assert saved["dispositions"][-1]["label"] == "同意参加调查"
    assert saved["dialing"]["mode"] == "preview"
    findings = api_as(world.analyst_a).post("/api/documents/outbound/return_visit/validate", {}).get_json()["findings"]
    assert [f for f in findings if f["severity"] == "error"] == []


def test_a_call_window_that_ends_before_it_starts_is_flagged_on_that_window(
        app, serve, page, sign_in, built_frontend, world: World) -> None:
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/outbound/satisfaction_survey")
    window = page.get_by_test_id("window-0")
    start = window.get_by_test_id("window-start").input_value()
    window.get_by_test_id("window-end").select_option(start)
    finding = window.locator("[data-testid=field-finding][data-code=empty-window]")
    finding.wait_for()
    window.get_by_test_id("window-end").select_option("24:00")
    finding.wait_for(state="detached")
