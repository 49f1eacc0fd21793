"""Mock lookup answers in the designer's test call (issue "designer as analysts expect it"), in headless Chromium
failing on any console error, in Chinese and English, at 1366x768 and 390 px: the lookup node is chosen by its
label, "found" with a value typed for a variable it sets, and the path says a mock answered; the value is heard
in the next prompt. Nothing is saved in the document."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import open_designer, sign_in
from .test_ivr_canvas_browser import console_errors, draft_of, use_language  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

TEXT = {
    "zh": {"summary": "模拟查询结果", "found": "找到", "note": "模拟：找到（status = 已签收）", "waiting": "等待按键",
           "call": "模拟来电"},
    "en": {"summary": "Mock lookup answers", "found": "Found", "note": "Mock: Found (status = 已签收)",
           "waiting": "Waiting for a key", "call": "Test call"},
}
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_mocked_lookup_answer_is_chosen_by_label_and_shown_in_the_path(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str, size: str) -> None:  # noqa: F811
    text = TEXT[lang]
    page.set_viewport_size(VIEWPORTS[size])
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base)  # the express template's main IVR: 查询运单状态 reads the waybill table
    use_language(page, lang)
    before = draft_of(api_as(world.analyst_a), "main")
    if size == "phone":  # the narrow toolbar keeps the test call under 更多
        page.get_by_test_id("toolbar-more").click()
        expect(page.get_by_test_id("more-test-call")).to_contain_text(text["call"])
        page.get_by_test_id("more-test-call").click()
    else:
        page.get_by_test_id("test-call").click()
    mocks = page.get_by_test_id("call-mocks")
    mocks.locator("summary").click()
    expect(mocks).to_contain_text(text["summary"])
    chooser = mocks.locator('.call-mock[data-node="track_lookup"]')
    expect(chooser).to_contain_text("查询运单状态")  # by its label
    page.get_by_test_id("mock-track_lookup").select_option(label=text["found"])
    page.get_by_test_id("mock-track_lookup-status").fill("已签收")
    box = page.get_by_test_id("mock-track_lookup-status").bounding_box()
    assert box is not None and box["x"] + box["width"] <= VIEWPORTS[size]["width"]  # within the window

    page.get_by_test_id("call-at").fill("2026-11-23 10:00")
    page.get_by_test_id("call-start").click()
    expect(page.get_by_test_id("call-status")).to_contain_text(text["waiting"])
    page.get_by_test_id("key-1").click()
    expect(page.get_by_test_id("call-prompts")).to_contain_text("请输入12到15位运单号码", timeout=20000)
    page.get_by_test_id("call-digits").fill("7730012345601#")
    page.get_by_test_id("call-send").click()
    expect(page.get_by_test_id("call-prompts")).to_contain_text("当前状态：已签收", timeout=20000)
    note = page.get_by_test_id("call-path").locator('li[data-node="track_lookup"]')
    expect(note).to_contain_text("查询运单状态")
    expect(note.get_by_test_id("call-mock-note")).to_contain_text(text["note"])
    expect(page.get_by_test_id("mock-track_lookup")).to_be_disabled()  # fixed for the call under way

    page.get_by_test_id("call-hangup").click()
    assert draft_of(api_as(world.analyst_a), "main") == before  # nothing saved
    assert console_errors == []
