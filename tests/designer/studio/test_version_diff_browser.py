"""Version diffs an analyst can read, in headless Chromium (issue 16, item 3): added and deleted nodes by their
label with their type's name, a node renamed (same content, new id) as one "renamed A → B" line instead of a
deletion and an addition, property changes by the field's label, and no box positions. Chinese and English,
with no console error."""

from __future__ import annotations

import copy

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import make_ivr

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

V1 = {
    "title": "差异", "start": "menu", "fallback": "bye",
    "nodes": {
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "查件请按1"}, "options": {"1": "news"},
                 "fallback": "bye", "timeout_seconds": 5, "position": {"x": 0, "y": 0}},
        "news": {"type": "play", "label": "公告", "prompt": {"text": "今日无公告"}, "next": "bye",
                 "position": {"x": 400, "y": 0}},
        "old_note": {"type": "play", "label": "旧通知", "prompt": {"text": "旧的"}, "next": "bye",
                     "position": {"x": 800, "y": 0}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": 200, "y": 300}},
    },
}


def version_2() -> dict:
    """news renamed to notice (menu digit 1 follows), old_note deleted, a goodbye node added, a time-out changed,
    and every box moved."""
    body = copy.deepcopy(V1)
    nodes = body["nodes"]
    nodes["notice"] = nodes.pop("news")
    nodes["menu"]["options"]["1"] = "notice"
    nodes["menu"]["timeout_seconds"] = 8
    del nodes["old_note"]
    nodes["farewell"] = {"type": "hangup", "label": "告别", "prompt": {"text": "感谢来电"}}
    nodes["menu"]["options"]["2"] = "farewell"
    for node in nodes.values():
        node["position"] = {"x": 5, "y": 7}
    return body


TEXT = {
    "zh": {"renamed": "重命名 公告 (news) → 公告 (notice)", "added": "告别 (farewell)", "added_type": "挂机",
           "removed": "旧通知 (old_note)", "removed_type": "放音", "field": "超时（秒）"},
    "en": {"renamed": "Renamed 公告 (news) → 公告 (notice)", "added": "告别 (farewell)", "added_type": "Hang up",
           "removed": "旧通知 (old_note)", "removed_type": "Play", "field": "Timeout seconds"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_version_diff_names_nodes_and_fields_and_sees_renames(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    name = f"diff_{lang}"
    api = api_as(world.analyst_a)
    make_ivr(api_as, world.analyst_a, name, V1)
    assert api.post(f"/api/documents/ivr/{name}/publish", {"note": "v1"}).status_code == 201
    revision = api.get(f"/api/documents/ivr/{name}").get_json()["draft_revision"]
    saved = api.write("put", f"/api/documents/ivr/{name}/draft", {"body": version_2(), "base_revision": revision})
    assert saved.status_code == 200, saved.get_json()
    assert api.post(f"/api/documents/ivr/{name}/publish", {"note": "v2"}).status_code == 201

    open_ivr(name, lang=lang)
    page.select_option("[data-testid=diff-from]", "1")
    page.select_option("[data-testid=diff-to]", "2")
    diff, text = page.get_by_test_id("diff"), TEXT[lang]
    renamed = diff.locator("tr.change-renamed")
    expect(renamed).to_have_count(1)
    expect(renamed).to_contain_text(text["renamed"])
    added, removed = diff.locator("tr.change-added.node-change"), diff.locator("tr.change-removed.node-change")
    expect(added).to_contain_text(text["added"])
    expect(added).to_contain_text(text["added_type"])
    expect(removed).to_contain_text(text["removed"])
    expect(removed).to_contain_text(text["removed_type"])
    expect(diff).to_contain_text(text["field"])
    shown = diff.inner_text()
    for raw in ("timeout_seconds", "position", "type:", "label:", "5, 7", "x:"):
        assert raw not in shown, f"{raw!r} shown in the diff:\n{shown}"
    # The rename is one line: news is neither listed as deleted nor notice as added.
    assert diff.locator("tr.change-removed").count() == 1 and diff.locator("tr.change-added").count() == 2
    assert console_errors == []
