"""A condition node's new branch, as a Chinese analyst met it (fix-nodes QA item 2): the empty builder no longer
says 无条件（总是执行）, the finding says 分支 N 还没有条件, and the branch's missing next step is connected in one
click (连接到…) like 否则's. Chinese and English, no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import select_node, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

BODY = {
    "title": "分流", "start": "route", "fallback": "bye",
    "nodes": {
        "route": {"type": "condition", "label": "分流", "else": "bye", "position": {"x": 0, "y": 0},
                  "branches": [{"when": {"field": "call.caller", "op": "eq", "value": "1"}, "next": "bye"}, {}]},
        "bye": {"type": "hangup", "label": "再见", "position": {"x": 300, "y": 200}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_branch_says_it_has_no_condition_and_its_next_step_connects_in_one_click(
        open_ivr, page, world: World, api_as, console_errors, lang: str) -> None:
    zh = lang == "zh"
    name = f"branch_{lang}"
    open_ivr(name, BODY, lang)
    select_node(page, "route")
    panel = page.get_by_test_id("properties")
    expect(panel.locator(".ed-condition-empty")).to_contain_text(
        "还没有条件：分支必须有条件才能发布" if zh else "No condition yet: a branch needs one")
    expect(panel).not_to_contain_text("总是执行" if zh else "Always (no condition)")

    page.get_by_test_id("validate").click()
    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text("「分流」的分支 2 还没有条件" if zh else "Branch 2 of “分流” has no condition yet")
    expect(findings).not_to_contain_text("needs one of")
    # The branch's next step: 连接到… like else's.
    missing_next = findings.get_by_test_id("finding").filter(has=page.get_by_test_id("fix-connect"))
    expect(missing_next).to_have_count(1)
    missing_next.get_by_test_id("fix-target").select_option(label="再见 (bye)")
    missing_next.get_by_test_id("fix-connect").click()
    expect(findings.get_by_test_id("fix-connect")).to_have_count(0)
    wait_saved(page)
    draft = api_as(world.analyst_a).get(f"/api/documents/ivr/{name}").get_json()["draft"]
    assert draft["nodes"]["route"]["branches"][1]["next"] == "bye"
    assert console_errors == []
