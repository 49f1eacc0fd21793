"""The dispatch editor offers priority levels by their words (QA of dev-conditions, item 4): "set priority" of a
routing action and a condition on the ticket's priority list 紧急（9）… / Urgent (9)…, and the rule stores the level
as a number — in Chinese and English, with no console error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.designer.conftest import Api, World
from tests.designer.console_guard import watch
from tests.designer.editors.test_dispatch_editor import pick_in_condition

pytestmark = pytest.mark.browser

OPENED = ".ant-select-dropdown:not(.ant-select-dropdown-hidden):not(.ant-slide-up-leave)"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_priority_is_chosen_by_its_words(app, serve, page, sign_in, built_frontend, world: World,
                                         api_as: Callable[..., Api], lang: str) -> None:
    zh = lang == "zh_CN"
    page.set_viewport_size({"width": 1366, "height": 768})
    errors = watch(page)
    base = serve(app)
    sign_in(base, world.analyst_a)
    api = api_as(world.analyst_a)
    count = len(api.get("/api/documents/dispatch/default").get_json()["draft"]["rules"])
    page.goto(f"{base}/studio/dispatch/default?lang={lang}")
    page.get_by_test_id("rule-0").wait_for()
    page.get_by_test_id("add-rule").click()
    rule = page.get_by_test_id(f"rule-{count}")
    rule.get_by_test_id("rule-event").select_option("call.entered_queue")
    rule.get_by_test_id("add-action").click()
    rule.get_by_test_id("action-type").select_option("route_to_queue")
    priority = rule.get_by_test_id("param-priority")
    offered = priority.locator("option").all_inner_texts()
    assert ("紧急（9）" if zh else "Urgent (9)") in offered and ("低（0）" if zh else "Low (0)") in offered
    priority.select_option(label="紧急（9）" if zh else "Urgent (9)")

    rule.get_by_test_id("rule-event").select_option("ticket.created")
    rule.get_by_test_id("add-condition").click()
    pick_in_condition(page, rule, "condition-field", "ticket.priority")
    pick_in_condition(page, rule, "condition-op", "等于" if zh else "equals")
    rule.get_by_test_id("condition-value").click()
    page.locator(OPENED).wait_for()
    words = page.locator(OPENED).inner_text()
    assert ("紧急" if zh else "Urgent") in words and ("普通" if zh else "Normal") in words
    page.keyboard.type("8")
    page.locator(f"{OPENED} .ant-select-item-option-active").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")
    saved = api.get("/api/documents/dispatch/default").get_json()["draft"]["rules"][count]
    assert saved["actions"][0]["priority"] == 9
    assert saved["when"] == {"field": "ticket.priority", "op": "eq", "value": 8}
    assert errors == []
