"""Typing a word into a condition's value box (fix-focus item 1): in an IVR condition node (是否有登记地址, operator
包含) focus left the box after every keystroke, so each click added one character. A whole word typed at once is
stored as typed, with the box still focused. In Chinese and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser_helpers import OPEN_LIST, draft_of, select_node, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

WORD = "浦东新区张江"

#: The express template's 是否有登记地址 node as it is: a value-less operator (不为空) on the customer's address.
PICKUP_IVR = {
    "title": "取件", "start": "pickup_check", "fallback": "bye",
    "nodes": {
        "pickup_check": {"type": "condition", "label": "是否有登记地址", "else": "bye", "position": {"x": 0, "y": 0},
                         "branches": [{"when": {"field": "customer.address", "op": "not_empty"}, "next": "bye"}]},
        "bye": {"type": "hangup", "label": "再见", "position": {"x": 300, "y": 200}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_word_typed_into_a_condition_value_stays_whole(
        page, open_ivr, world, api_as, console_errors, lang: str) -> None:
    name = f"cond_typing_{lang}"
    open_ivr(name, PICKUP_IVR, lang)
    select_node(page, "pickup_check")
    builder = page.get_by_test_id("properties").get_by_test_id("condition-builder")
    builder.get_by_test_id("condition-op").click()
    contains = "包含" if lang == "zh" else "contains"
    page.locator(OPEN_LIST).locator(f'.ant-select-item-option[title="{contains}"]').click()
    box = builder.get_by_test_id("condition-value")
    box.click()
    # Slower than the findings' 300 ms re-validation between keys, as a person types.
    for ch in WORD:
        page.keyboard.type(ch)
        page.wait_for_timeout(400)
    expect(box).to_be_focused()
    expect(box).to_have_value(WORD)
    wait_saved(page)
    page.wait_for_timeout(500)
    wait_saved(page)
    when = draft_of(api_as(world.analyst_a), name)["nodes"]["pickup_check"]["branches"][0]["when"]
    assert when == {"field": "customer.address", "op": "contains", "value": WORD}, when
    assert console_errors == []
