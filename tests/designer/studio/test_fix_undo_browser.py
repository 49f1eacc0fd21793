"""A finding's one-click fix is an edit like any other (issue 16 tester, item 7): after 连接 or 删除这个按键 the
toolbar's 撤销 is enabled and Ctrl+Z takes the fix back. In Chinese and in English, with no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import draft_of, wait_saved
from .test_findings_fixes_browser import BROKEN_IVR, finding

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_one_click_fix_can_be_undone(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    name = f"undo_fix_{lang}"
    open_ivr(name, BROKEN_IVR, lang)
    page.get_by_test_id("validate").click()
    undo = page.get_by_test_id("undo")
    expect(undo).to_be_disabled()

    digit9 = finding(page, "/nodes/track_menu/options/9")
    digit9.get_by_test_id("fix-target").select_option(value="bye")
    digit9.get_by_test_id("fix-connect").click()
    expect(digit9).to_have_count(0)
    expect(undo).to_be_enabled()
    undo.click()
    wait_saved(page)
    assert draft_of(api_as(world.analyst_a), name)["nodes"]["track_menu"]["options"]["9"] == ""

    # The lint's fix (remove a dangling digit) is undone by Ctrl+Z.
    page.get_by_test_id("validate").click()
    digit2 = finding(page, "/nodes/track_menu/options/2")
    digit9.get_by_test_id("fix-target").select_option(value="bye")
    digit9.get_by_test_id("fix-connect").click()
    digit2.get_by_test_id("fix-remove").click()
    expect(digit2).to_have_count(0)
    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert draft_of(api_as(world.analyst_a), name)["nodes"]["track_menu"]["options"]["2"] == "gone"
    assert console_errors == []
