"""A queue node's priority is chosen by its words, as the dispatch editor and the desk word a level."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import OPEN_LIST, draft_of, options_of, picked, select_node, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

QUEUE_IVR = {
    "title": "转人工", "start": "wait", "fallback": "bye",
    "nodes": {
        "wait": {"type": "queue", "label": "人工服务", "queue": "general", "priority": 5, "next": "bye",
                 "position": {"x": 0, "y": 0}},
        "bye": {"type": "hangup", "label": "再见", "position": {"x": 0, "y": 300}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_queue_nodes_priority_is_chosen_by_its_words(
        open_ivr, page, world: World, api_as, console_errors, lang: str) -> None:
    name = f"prio_{lang}"
    open_ivr(name, QUEUE_IVR, lang)
    select_node(page, "wait")
    # The stored level reads as its band's word with the level (a bare "5" in a number box before).
    expect(picked(page, "#root_priority")).to_contain_text("普通（5）" if lang == "zh" else "Normal (5)")
    offered = options_of(page, "#root_priority")
    urgent = "紧急（9）" if lang == "zh" else "Urgent (9)"
    assert urgent in offered and not [o for o in offered if o.isdigit()], offered
    page.locator("#root_priority").click()
    page.locator(OPEN_LIST).locator(f'.ant-select-item-option[title="{urgent}"]').click()
    wait_saved(page)
    assert draft_of(api_as(world.analyst_a), name)["nodes"]["wait"]["priority"] == 9  # stored as the level
    assert console_errors == []
