"""A condition on the call's weekday, as a Chinese analyst met it (fix-nodes QA item 3, weekdays): the value's
choices read mon…sun in the Chinese UI; they read 周一…周日 / Monday…Sunday, the stored value staying the code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import console_errors, make_ivr, open_designer, options_of, select_node, sign_in, use_language  # noqa: F401

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
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    zh = lang == "zh"
    name = f"weekday_{lang}"
    make_ivr(api_as, world.analyst_a, name, BODY)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=name)
    use_language(page, lang)
    select_node(page, "route")
    value = "[data-testid=condition-builder] [data-testid=condition-value]"
    expect(page.locator(value)).to_contain_text("周六" if zh else "Saturday")
    offered = options_of(page, value)
    week = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"] if zh else [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert [o.split(" ")[0] for o in offered] == week, offered
    assert console_errors == []
