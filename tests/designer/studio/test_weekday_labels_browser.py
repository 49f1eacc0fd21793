"""A condition on the call's weekday, as a Chinese analyst met it (fix-nodes QA item 3, weekdays): the value's
choices read mon…sun in the Chinese UI; they read 周一…周日 / Monday…Sunday, the stored value staying the code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser_helpers import options_of, select_node

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

BODY = {
    "title": "周末", "start": "route", "fallback": "bye",
    "nodes": {
        "route": {"type": "condition", "label": "周末分流", "else": "bye", "position": {"x": 0, "y": 0},
                  "branches": [{"when": {"field": "call.weekday", "op": "eq", "value": "sat"}, "next": "bye"}]},
        "bye": {"type": "hangup", "label": "再见", "position": {"x": 300, "y": 200}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_weekday_values_are_offered_by_their_names(
        open_ivr, page, console_errors, lang: str) -> None:
    zh = lang == "zh"
    name = f"weekday_{lang}"
    open_ivr(name, BODY, lang)
    select_node(page, "route")
    value = "[data-testid=condition-builder] [data-testid=condition-value]"
    expect(page.locator(value)).to_contain_text("周六" if zh else "Saturday")
    offered = options_of(page, value)
    week = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"] if zh else [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert [o.split(" ")[0] for o in offered] == week, offered
    assert console_errors == []
