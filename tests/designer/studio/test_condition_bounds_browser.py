"""当前小时 等于 25 in the condition builder (fix-builder item 1): the row took it without a word, and only the
server's value-out-of-bounds finding said it never holds. The row now says the bound (0–23, the lint's own table,
sent with the designer context) as soon as the value is typed, and says nothing for a value inside it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import console_errors, make_ivr, open_designer, select_node, sign_in, use_language  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

BODY = {
    "title": "夜间", "start": "route", "fallback": "bye",
    "nodes": {
        "route": {"type": "condition", "label": "夜间分流", "else": "bye", "position": {"x": 0, "y": 0},
                  "branches": [{"when": {"field": "call.hour", "op": "eq", "value": 9}, "next": "bye"}]},
        "bye": {"type": "hangup", "label": "再见", "position": {"x": 300, "y": 200}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_hour_outside_0_to_23_is_said_in_the_row_as_typed(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    zh = lang == "zh"
    name = f"hour_bound_{lang}"
    make_ivr(api_as, world.analyst_a, name, BODY)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=name)
    use_language(page, lang)
    select_node(page, "route")
    builder = page.locator("[data-testid=condition-builder]")
    error = builder.locator("[data-testid=condition-value-out-of-bounds]")
    expect(error).to_have_count(0)
    builder.locator("[data-testid=condition-value]").fill("25")
    expect(error).to_be_visible()
    expect(error).to_have_text("当前小时只能是 0–23，25 永远不会成立" if zh
                               else "Hour is between 0 and 23: 25 never matches")
    builder.locator("[data-testid=condition-value]").fill("23")
    expect(error).to_have_count(0)
    assert console_errors == []
