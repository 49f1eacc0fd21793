"""What a tester found in Chromium (QA 16, findings round): a clipboard that does not hold nodes (text such as
`nope`, JSON with a node type the IVR does not have) was pasted into the draft; a 5,000-character node label
filled the findings panel. A refused paste says why (antd message, Chinese and English) and leaves the draft as it
was; quoted tenant text in a finding is shortened with an ellipsis, the full text on hover. No console error."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import node, select_node, wait_saved
from .test_ivr_canvas_browser import GROUP_IVR

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

CLIPBOARD = "hotline.ivr.clipboard"
LONG = "长" * 5000

TEXT = {
    "zh": {"not-nodes": "剪贴板里不是复制的节点，未粘贴任何内容",
           "bad-type": "剪贴板里的节点「x」的类型「teleport」不存在，未粘贴任何内容",
           "bad-id": "剪贴板里的节点编号「1 bad」不可用",
           "pasted": "已粘贴 1 个节点；改名：news → news_2"},
    "en": {"not-nodes": "The clipboard does not hold copied nodes, so nothing was pasted",
           "bad-type": "Node x in the clipboard has the unknown type \u201cteleport\u201d, so nothing was pasted",
           "bad-id": "The clipboard holds a node with the id \u201c1 bad\u201d",
           "pasted": "Pasted 1 nodes; renamed: news → news_2"},
}


def draft_of(api, name: str) -> dict:
    return api.get(f"/api/documents/ivr/{name}").get_json()["draft"]


def paste_from_storage(page, value: str) -> None:
    page.evaluate("([key, value]) => window.localStorage.setItem(key, value)", [CLIPBOARD, value])
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+v")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_clipboard_without_nodes_is_refused_and_the_draft_keeps_what_it_had(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    name = f"paste_{lang}"
    api = api_as(world.analyst_a)
    open_ivr(name, GROUP_IVR, lang)
    before = draft_of(api, name)

    for clip, said in (("nope", "not-nodes"), ('{"nodes": []}', "not-nodes"),
                       (json.dumps({"nodes": {"x": {"type": "teleport", "label": "?"}}}), "bad-type"),
                       (json.dumps({"nodes": {"1 bad": {"type": "hangup"}}}), "bad-id")):
        paste_from_storage(page, clip)
        expect(page.locator(".ant-message")).to_contain_text(TEXT[lang][said])
        expect(page.get_by_test_id("canvas-message")).to_contain_text(TEXT[lang][said])
    expect(page.locator(".react-flow__node")).to_have_count(3)
    assert draft_of(api, name) == before

    # A good clipboard still pastes, its taken id renamed.
    good = {"nodes": {"news": {"type": "play", "label": "公告", "prompt": {"text": "今日无公告"}}}}
    paste_from_storage(page, json.dumps(good))
    expect(page.get_by_test_id("canvas-message")).to_have_text(TEXT[lang]["pasted"])
    expect(node(page, "news_2")).to_be_attached()
    wait_saved(page)
    assert set(draft_of(api, name)["nodes"]) == {"menu", "news", "bye", "news_2"}
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_five_thousand_character_label_is_shortened_in_the_findings_with_the_full_text_on_hover(
        page, open_ivr, console_errors, lang: str) -> None:
    name = f"long_{lang}"
    body = json.loads(json.dumps(GROUP_IVR))
    body["nodes"]["news"]["label"] = LONG
    body["nodes"]["news"]["next"] = "gone"  # a second finding that names the node by its label
    open_ivr(name, body, lang)
    page.get_by_test_id("validate").click()
    messages = page.get_by_test_id("finding-message")
    expect(messages.first).to_be_visible()
    for i in range(messages.count()):
        text = messages.nth(i).inner_text()
        assert len(text) < 400, text[:100]
    shortened = page.locator("[data-testid=findings] .quoted-cut").first
    expect(shortened).to_contain_text("…")
    # The server quotes at most the label's limit (200 characters); the panel shows 40 and the rest on hover.
    title = shortened.get_attribute("title")
    assert title.startswith("长" * 150) and len(title) == 200, len(title)
    # The limit and the length are said (the label's own finding).
    expect(page.get_by_test_id("findings")).to_contain_text("200")
    expect(page.get_by_test_id("findings")).to_contain_text("5,000" if lang == "en" else "5000")
    # Where the finding is stays short too.
    for where in page.locator("[data-testid=findings] .where").all():
        assert len(where.inner_text()) < 200
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_two_hundred_character_label_is_shortened_on_the_canvas_and_in_the_property_panel(
        page, open_ivr, console_errors, lang: str) -> None:
    """Issue 16 #3: the node box and the property panel's field findings showed a 200-character label in full."""
    label = "长" * 200  # the label's schema limit: valid, so only the canvas and other findings show it
    name = f"long200_{lang}"
    body = json.loads(json.dumps(GROUP_IVR))
    body["nodes"]["news"]["label"] = label
    body["nodes"]["news"]["next"] = "gone"  # a field finding that names the node by its label
    open_ivr(name, body, lang)
    box = node(page, "news").locator(".ivr-node")
    width = box.bounding_box()["width"]
    assert width <= 240, width  # the box keeps its width (220 px)
    shown = node(page, "news").locator(".ivr-node-label .quoted-cut")
    expect(shown).to_contain_text("…")
    assert len(shown.inner_text()) <= 40 and shown.get_attribute("title") == label
    page.get_by_test_id("validate").click()
    select_node(page, "news")
    listed = page.get_by_test_id("node-findings")
    expect(listed).to_be_visible()
    expect(listed.locator(".quoted-cut").first).to_contain_text("…")
    for item in listed.locator("li").all():
        assert len(item.inner_text()) < 200, item.inner_text()[:80]
    under_field = page.locator(".property-form .error-detail li")
    expect(under_field.first).to_be_visible()
    for item in under_field.all():
        assert len(item.inner_text()) < 200, item.inner_text()[:80]
    assert node(page, "news").locator(".ivr-node").bounding_box()["width"] <= 240  # still bounded once validated
    assert console_errors == []
