"""The IVR designer in headless Chromium, as an analyst uses it: add a menu option and a node, see the lint
errors on the nodes, fix them, publish, run a test call pressing digits, compare and roll back versions.
Screenshots of each step go to var/screenshots/ (scripts/refresh_screenshots.sh: docs/screenshots/)."""

from __future__ import annotations

import re
import wave

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot

from ..conftest import World
from .browser_helpers import OPEN, choose_target, node, select_node, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

NEW_PROMPT = "同城急送服务已开通，详情请关注公众号。"


def test_analyst_adds_a_menu_option_fixes_lint_publishes_calls_and_rolls_back(
        page, open_ivr) -> None:
    open_ivr()
    expect(page.get_by_test_id("save-state")).to_contain_text("已保存")
    expect(page.get_by_test_id("palette-menu")).to_be_visible()  # the palette comes from the schema

    # A new digit on the main menu: it points nowhere yet, so the node gets an error badge.
    select_node(page, "main_menu")
    page.get_by_test_id("add-option").click()
    expect(node(page, "main_menu").get_by_test_id("node-error")).to_be_visible()
    expect(page.get_by_test_id("node-findings")).to_contain_text("按键选项 › 6")  # the field by its label

    # A new play node: its prompt and next are missing, shown on the node and in the property panel.
    page.get_by_test_id("palette-play").click()
    expect(node(page, "play_1")).to_be_visible()
    expect(node(page, "play_1").get_by_test_id("node-error")).to_be_visible()
    expect(page.locator("[data-testid=findings] [data-testid=finding]").first).to_be_visible()
    screenshot(page, "ivr-designer")

    # Fix the new node in the property panel, then connect digit 6 to it.
    page.get_by_test_id("prompt-text-prompt").fill(NEW_PROMPT)
    choose_target(page, "#root_next", "main_menu")
    expect(node(page, "play_1").get_by_test_id("node-error")).to_have_count(0)
    select_node(page, "main_menu")
    choose_target(page, "#root_options_6", "play_1")
    expect(node(page, "main_menu").get_by_test_id("node-error")).to_have_count(0)
    wait_saved(page)
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("findings")).not_to_contain_text("错误")

    # Publish with a note.
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-note").fill("新增同城急送菜单")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("publish-result")).to_contain_text("已发布版本 2")
    expect(page.get_by_test_id("version-2")).to_contain_text("新增同城急送菜单")
    # the platform's own note in words, not "cloned from template express_delivery" (QA of issue 11, item 5)
    expect(page.get_by_test_id("version-1")).to_contain_text("由行业模板创建")
    expect(page.get_by_test_id("version-1")).not_to_contain_text("cloned from template")

    # A test call of the published version: the main menu waits, digit 6 plays the new prompt.
    page.get_by_test_id("test-call").click()
    page.select_option("[data-testid=call-version]", "2")
    page.get_by_test_id("call-at").fill(OPEN)
    page.get_by_test_id("call-start").click()
    expect(page.get_by_test_id("call-status")).to_contain_text("等待按键")
    expect(page.locator('.react-flow__node.current-node[data-id="main_menu"]')).to_be_visible()
    page.get_by_test_id("key-6").click()
    expect(page.get_by_test_id("call-prompts")).to_contain_text(NEW_PROMPT, timeout=20000)
    expect(page.get_by_test_id("call-path")).to_contain_text("play_1")
    expect(page.get_by_test_id("call-variables")).to_be_visible()
    # The new node leads back to the main menu, which waits again, highlighted on the canvas.
    expect(page.get_by_test_id("call-status")).to_contain_text("等待按键")
    expect(page.locator('.react-flow__node.current-node[data-id="main_menu"]')).to_be_visible()
    screenshot(page, "ivr-test-call")
    page.get_by_test_id("call-hangup").click()
    expect(page.get_by_test_id("call-status")).to_contain_text("已结束")
    expect(page.locator(".react-flow__node.current-node")).to_have_count(0)

    # Compare version 1 with version 2, readable, then roll back to version 1.
    page.select_option("[data-testid=diff-from]", "1")
    page.select_option("[data-testid=diff-to]", "2")
    expect(page.get_by_test_id("diff")).to_contain_text("play_1")
    expect(page.get_by_test_id("diff")).to_contain_text(NEW_PROMPT)
    screenshot(page, "versions-diff")
    page.get_by_test_id("rollback-1").click()
    page.get_by_test_id("rollback-confirm").click()  # a rollback asks first, like publishing
    expect(page.get_by_test_id("version-3")).to_contain_text("1")
    expect(node(page, "play_1")).to_have_count(0)  # the draft is version 1 again
    wait_saved(page)


def test_refused_publish_lists_every_finding_with_a_link_to_its_node(page, open_ivr, world: World) -> None:
    open_ivr(user=world.admin_a)
    page.get_by_test_id("palette-collect").click()
    wait_saved(page)
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-confirm").click()
    result = page.get_by_test_id("publish-result")
    expect(result).to_contain_text("发布被拒绝")
    links = result.locator("li a")
    assert links.count() >= 3  # prompt, variable, next, fallback are all missing
    assert all("collect_1" in text for text in links.all_inner_texts())
    page.get_by_test_id("fit").click()
    select_node(page, "main_menu")
    links.first.click()  # a link selects the node it points into
    expect(page.get_by_test_id("properties")).to_contain_text("collect_1")
    expect(page.locator(".react-flow__node.selected")).to_have_attribute("data-id", "collect_1")
    page.get_by_test_id("delete-node").click()
    wait_saved(page)
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("publish-result")).to_contain_text(re.compile(r"已发布版本 \d+"))


def test_undo_takes_back_the_last_edit(page, open_ivr) -> None:
    open_ivr()
    page.get_by_test_id("palette-hangup").click()
    expect(page.locator('.react-flow__node[data-id^="hangup_"]')).to_have_count(1)
    page.get_by_test_id("undo").click()
    expect(page.locator('.react-flow__node[data-id^="hangup_"]')).to_have_count(0)
    wait_saved(page)


def test_recorded_prompt_is_uploaded_from_the_property_panel(
        studio_app, page, open_ivr, world: World, tmp_path, api_as) -> None:
    studio_app.config["HOTLINE_PROMPT_DIR"] = str(tmp_path)
    recording = tmp_path / "greeting.wav"
    with wave.open(str(recording), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 800)
    open_ivr()
    select_node(page, "welcome")
    page.get_by_placeholder("提示音名称").fill("welcome_rec")
    page.get_by_test_id("prompt-upload-prompt").locator("input[type=file]").set_input_files(str(recording))
    expect(page.get_by_test_id("properties")).to_contain_text("已上传: welcome_rec")
    expect(page.get_by_test_id("prompt-audio-prompt")).to_have_value("welcome_rec")
    expect(page.locator("[data-testid=properties] audio")).to_have_count(1)  # the recording can be played
    wait_saved(page)
    draft = api_as(world.analyst_a).get("/api/documents/ivr/main").get_json()["draft"]
    assert draft["nodes"]["welcome"]["prompt"]["audio"] == "welcome_rec"


def test_node_type_dragged_from_the_palette_lands_on_the_canvas(page, open_ivr) -> None:
    open_ivr()
    canvas = page.get_by_test_id("canvas")
    box = canvas.bounding_box()
    assert box is not None
    page.get_by_test_id("palette-goto").drag_to(canvas, target_position={"x": box["width"] / 2, "y": 60})
    dropped = page.locator('.react-flow__node[data-id^="goto_"]')
    expect(dropped).to_have_count(1)
    landed = dropped.bounding_box()
    assert landed is not None and landed["y"] < box["y"] + 200  # where it was dropped, near the top
    expect(page.get_by_test_id("properties")).to_contain_text("goto_")
    wait_saved(page)
