"""Version diffs say a condition's option values by their labels (fix-builder item 2): a changed comparison showed
its stored code (星期 等于 sat, dispatch `category == "attitude"`) where the condition builder offers 周六 / 服务态度.
Whole comparisons, a lone changed value and one item of an "is one of" list are all said by label (the same
option_labels the builder reads); Chinese and English, no console error."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import make_ivr

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


def _branch(when: dict) -> dict:
    return {"when": when, "next": "bye"}


V1 = {
    "title": "周末", "start": "route", "fallback": "bye",
    "nodes": {
        "route": {"type": "condition", "label": "周末分流", "else": "bye", "position": {"x": 0, "y": 0},
                  "branches": [_branch({"field": "call.weekday", "op": "eq", "value": "sat"}),
                               _branch({"field": "call.weekday", "op": "in", "value": ["mon", "tue"]})]},
        "bye": {"type": "hangup", "label": "再见", "position": {"x": 300, "y": 200}},
    },
}

WORDS = {"zh": ("周六", "周日", "周三", "周五"), "en": ("Saturday", "Sunday", "Wednesday", "Friday")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_condition_value_is_said_by_its_label_in_the_diff(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    name = f"diff_options_{lang}"
    api = api_as(world.analyst_a)
    make_ivr(api_as, world.analyst_a, name, V1)
    assert api.post(f"/api/documents/ivr/{name}/publish", {"note": "v1"}).status_code == 201
    body = copy.deepcopy(V1)
    branches = body["nodes"]["route"]["branches"]
    branches[0]["when"]["value"] = "sun"          # a lone value changed
    branches[1]["when"]["value"][1] = "wed"       # one item of an "is one of" list
    branches.append(_branch({"field": "call.weekday", "op": "eq", "value": "fri"}))  # a whole comparison added
    revision = api.get(f"/api/documents/ivr/{name}").get_json()["draft_revision"]
    saved = api.write("put", f"/api/documents/ivr/{name}/draft", {"body": body, "base_revision": revision})
    assert saved.status_code == 200, saved.get_json()

    open_ivr(name, lang=lang)
    page.select_option("[data-testid=diff-from]", "1")
    page.select_option("[data-testid=diff-to]", "draft")
    diff = page.get_by_test_id("diff")
    expect(diff.locator("tr")).not_to_have_count(0)
    sat, sun, wed, fri = WORDS[lang]
    expect(diff).to_contain_text(sat)
    for word in (sun, wed, fri):
        expect(diff).to_contain_text(word)
    shown = diff.inner_text()
    codes = re.findall(r"\b(mon|tue|wed|thu|fri|sat|sun)\b", shown)
    assert codes == [], f"stored codes {codes} shown in the diff:\n{shown}"
    assert console_errors == []
