"""The designer shell in headless Chromium: a stale save shows the conflict and keeps the user's work, an
expired session keeps the unsaved draft in the browser until the user signs in again, the language switch."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from ..conftest import Api, World
from .browser_helpers import open_designer, sign_in, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def someone_else_retitles(api: Api, title: str) -> None:
    doc = api.get("/api/documents/ivr/main").get_json()
    response = api.put("/api/documents/ivr/main/draft", {"body": {**doc["draft"], "title": title},
                                                          "base_revision": doc["draft_revision"]})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("choice", ["keep-mine", "take-theirs"])
def test_stale_save_shows_the_conflict_and_the_user_decides(
        page, open_ivr, world: World, api_as: Callable[..., Api], choice: str) -> None:
    open_ivr()
    other = api_as(world.admin_a)
    nodes = other.get("/api/documents/ivr/main").get_json()["draft"]["nodes"]
    added = next(f"hangup_{n}" for n in range(1, 99) if f"hangup_{n}" not in nodes)  # the id the palette picks
    someone_else_retitles(other, "改名：他人的版本")

    page.get_by_test_id("palette-hangup").click()
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(page.get_by_test_id("save-state")).to_contain_text("冲突")
    expect(conflict).to_contain_text("改名：他人的版本")  # theirs, next to the user's own change
    expect(conflict).to_contain_text(added)
    page.get_by_test_id(choice).click()
    wait_saved(page)
    expect(conflict).to_have_count(0)
    draft = other.get("/api/documents/ivr/main").get_json()["draft"]
    if choice == "keep-mine":
        assert added in draft["nodes"] and draft["title"] != "改名：他人的版本"
    else:
        assert added not in draft["nodes"] and draft["title"] == "改名：他人的版本"
        expect(page.locator(f'.react-flow__node[data-id="{added}"]')).to_have_count(0)


def test_expired_session_keeps_the_draft_until_the_user_signs_in_again(
        page, open_ivr, world: World, api_as: Callable[..., Api]) -> None:
    open_ivr()
    # The session expires while the page is open (after its requests settle: a response still in flight
    # would set the refreshed session cookie again).
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    nodes = api_as(world.analyst_a).get("/api/documents/ivr/main").get_json()["draft"]["nodes"]
    added = next(f"sms_{n}" for n in range(1, 99) if f"sms_{n}" not in nodes)
    page.get_by_test_id("palette-sms").click()
    expect(page.get_by_test_id("signed-out")).to_be_visible()
    assert added not in api_as(world.analyst_a).get("/api/documents/ivr/main").get_json()["draft"]["nodes"]

    page.get_by_test_id("signed-out").get_by_role("link").click()
    page.fill("input[name=username]", world.analyst_a)
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/studio/ivr/main")
    page.get_by_test_id("restore").click()
    wait_saved(page)
    assert added in api_as(world.analyst_a).get("/api/documents/ivr/main").get_json()["draft"]["nodes"]


def test_reader_sees_the_designer_read_only(page, open_ivr, world: World) -> None:
    open_ivr(user=world.agent_a)
    expect(page.get_by_test_id("publish")).to_be_disabled()
    expect(page.get_by_test_id("palette-menu")).to_be_disabled()


def test_language_switch_turns_the_designer_english(page, open_ivr) -> None:
    open_ivr()
    expect(page.get_by_test_id("validate")).to_have_text("校验")
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("validate")).to_have_text("Validate")
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")
    page.wait_for_load_state("networkidle")
    page.reload()  # the choice is kept by the server for the session
    expect(page.get_by_test_id("validate")).to_have_text("Validate")


def test_changes_against_the_template_are_listed_readably(studio_app, serve, page, world: World) -> None:
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, "form", "complaint")
    page.get_by_test_id("template-changes").click()
    expect(page.get_by_test_id("template-diff")).to_be_visible()
    expect(page.get_by_test_id("template-diff")).to_contain_text("没有差异")  # a fresh clone changed nothing


def test_a_rollback_says_so_in_chinese_and_the_publish_result_does_not_stay(
        studio_app, serve, page, world: World) -> None:
    """Issue 16: the note read "rollback to version 1" in English and "已发布版本 N" stayed after the rollback."""
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, "form", "complaint")  # a document no other test here changes
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-confirm").click()
    result = page.get_by_test_id("publish-result")
    expect(result).to_contain_text("已发布版本")
    published = int(re.search(r"已发布版本 (\d+)", result.inner_text()).group(1))
    page.get_by_test_id(f"rollback-{published - 1}").click()
    page.get_by_test_id("rollback-confirm").click()  # a rollback asks first, like publishing
    rolled = page.get_by_test_id(f"version-{published + 1}")
    expect(rolled).to_contain_text(f"回滚到版本 {published - 1}")
    expect(rolled).not_to_contain_text("rollback")
    expect(result).to_have_count(0)
    expect(page.locator(".toolbar")).to_contain_text(f"已发布版本 {published + 1}")
