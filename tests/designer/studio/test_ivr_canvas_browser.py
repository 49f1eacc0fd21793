"""The IVR canvas's group gestures in headless Chromium (issue 16): search by name or id, the shortcuts' help,
copy/paste of a group of nodes within one IVR and into another (ids renamed on clash, links inside the group
following), Delete, and undo/redo of all of it from the keyboard; in Chinese and in English, with no console
error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hotline.platform.services.layouts import without_positions

from ..conftest import World
from .browser_helpers import draft_of, make_ivr, node, open_designer, use_language, wait_saved  # noqa: F401 (re-exported)

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


def __getattr__(name: str):
    """`console_errors` moved to browser_helpers (the studio conftest offers it to every test): a module still
    importing it from here gets it (PEP 562), without a module-level name the tests' parameter would shadow."""
    if name == "console_errors":
        from . import browser_helpers
        return browser_helpers.console_errors
    raise AttributeError(name)

#: Main menu: 1 → bye, 2 → news (a group of two linked nodes to copy), and a goodbye.
GROUP_IVR = {
    "title": "复制源", "start": "menu", "fallback": "bye",
    "nodes": {
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "查件请按1"},
                 "options": {"1": "bye", "2": "news"}, "fallback": "bye", "position": {"x": 0, "y": 0}},
        "news": {"type": "play", "label": "公告", "prompt": {"text": "今日无公告"}, "next": "bye",
                 "position": {"x": 420, "y": 0}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": 200, "y": 320}},
    },
}
#: The IVR pasted into: it has a goodbye of its own, but no "news".
OTHER_IVR = {
    "title": "复制目标", "start": "hello", "fallback": "bye",
    "nodes": {
        "hello": {"type": "play", "label": "欢迎", "prompt": {"text": "您好"}, "next": "bye",
                  "position": {"x": 0, "y": 0}},
        "bye": {"type": "hangup", "label": "再见", "prompt": {"text": "再见"}, "position": {"x": 0, "y": 300}},
    },
}

TEXT = {
    "zh": {"help": "复制选中的节点", "missed": "没有节点匹配「不存在」",
           "pasted": "已粘贴 2 个节点；改名：menu → menu_2, news → news_2"},
    "en": {"help": "Copy the selected nodes", "missed": "No node matches \u201c不存在\u201d",
           "pasted": "Pasted 2 nodes; renamed: menu → menu_2, news → news_2"},
}


def placed_node(page, api, name: str, node_id: str) -> dict | None:
    """The node's stored layout entry, once the designer's debounced layout save has reached the server."""
    for _ in range(50):
        found = api.get(f"/api/documents/ivr/{name}/layout").get_json()["positions"].get(node_id)
        if found is not None:
            return found
        page.wait_for_timeout(200)
    return None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_help_copy_paste_delete_and_undo_from_the_keyboard(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    source, target = f"group_{lang}", f"other_{lang}"
    make_ivr(api_as, world.analyst_a, target, OTHER_IVR)
    api = api_as(world.analyst_a)
    base = open_ivr(source, GROUP_IVR, lang)

    # The shortcuts are listed in a popover from the toolbar.
    page.get_by_test_id("shortcuts").click()
    expect(page.get_by_test_id("shortcut-help")).to_contain_text("Ctrl+C")
    expect(page.get_by_test_id("shortcut-help")).to_contain_text(TEXT[lang]["help"])
    page.get_by_test_id("shortcuts").click()
    expect(page.get_by_test_id("shortcut-help")).to_have_count(0)

    # Ctrl+F goes to the search; a node is found by its name (not only its id), selected and shown.
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+f")
    expect(page.get_by_test_id("find-node")).to_be_focused()
    page.keyboard.type("公告")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("node-id-current")).to_have_text("news")
    expect(node(page, "news")).to_have_class(re.compile(r"\bselected\b"))
    page.get_by_test_id("find-node").fill("不存在")
    page.get_by_test_id("find-node").press("Enter")
    expect(page.get_by_test_id("find-missed")).to_have_text(TEXT[lang]["missed"])
    page.get_by_test_id("find-node").fill("bye")  # by id too
    page.get_by_test_id("find-node").press("Enter")
    expect(page.get_by_test_id("node-id-current")).to_have_text("bye")
    page.get_by_test_id("fit").click()

    # A group (menu + news, Shift+click) copied and pasted into the same IVR: ids taken get _2, and the
    # group's own link (menu's 2 → news) follows the rename; the link out of the group (→ bye) stays.
    node(page, "menu").locator(".ivr-node-label").click()
    node(page, "news").locator(".ivr-node-label").click(modifiers=["Shift"])
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("canvas-message")).to_have_text(TEXT[lang]["pasted"])
    expect(node(page, "menu_2")).to_be_visible()
    wait_saved(page)
    draft = draft_of(api, source)
    assert draft["nodes"]["menu_2"]["options"] == {"1": "bye", "2": "news_2"}
    assert draft["nodes"]["news_2"]["next"] == "bye"
    assert "position" not in draft["nodes"]["menu_2"]  # the layout is kept apart from the flow (issue 16)
    assert placed_node(page, api, source, "menu_2") == {"x": 40, "y": 40, "pinned": True}

    # The pasted group is selected: Delete removes both; Ctrl+Z brings them back, Ctrl+Shift+Z removes again.
    page.keyboard.press("Delete")
    expect(node(page, "menu_2")).to_have_count(0)
    expect(node(page, "news_2")).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(node(page, "menu_2")).to_be_visible()
    expect(node(page, "news_2")).to_be_visible()
    expect(page.get_by_test_id("redo")).to_be_enabled()
    page.keyboard.press("Control+Shift+z")
    expect(node(page, "menu_2")).to_have_count(0)
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")  # the paste itself
    expect(node(page, "menu_2")).to_have_count(0)
    expect(node(page, "menu")).to_be_visible()
    wait_saved(page)
    assert set(draft_of(api, source)["nodes"]) == {"menu", "news", "bye"}

    # Into another IVR: the ids are free there, so they stay; bye exists there, so the links to it stay.
    open_designer(page, base, name=target)
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+v")
    expect(node(page, "menu")).to_be_visible()
    expect(node(page, "news")).to_be_visible()
    wait_saved(page)
    draft = draft_of(api, target)
    assert draft["nodes"]["menu"]["options"] == {"1": "bye", "2": "news"}
    assert draft["nodes"]["news"]["label"] == "公告"
    assert draft["nodes"]["hello"]["next"] == "bye"  # nothing of the destination changed
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_prompt_text_is_previewed_with_the_tts_voice(
        studio_app, page, open_ivr, console_errors, tmp_path, lang: str) -> None:
    """The 试听 button beside a prompt's text plays it as the publish-time TTS engine speaks it."""
    import dataclasses
    import sys

    from hotline.designer.redis_access import SETTINGS

    from ..api.test_prompt_preview import FAKE_ENGINE

    script = tmp_path / "fake_tts.py"
    script.write_text(FAKE_ENGINE)
    studio_app.config["HOTLINE_PROMPT_DIR"] = str(tmp_path / "prompts")
    studio_app.extensions[SETTINGS] = dataclasses.replace(
        studio_app.extensions[SETTINGS], prompts_tts="command",
        prompts_tts_command=f"{sys.executable} {script} {{file}} {{text}}")
    name = f"preview_{lang}"
    open_ivr(name, GROUP_IVR, lang)
    node(page, "news").locator(".ivr-node-label").click()
    with page.expect_response(lambda r: r.url.endswith("/api/prompts/preview")) as answer:
        page.get_by_test_id("prompt-preview-prompt").click()
    assert answer.value.status == 200 and answer.value.headers["content-type"] == "audio/wav"
    expect(page.get_by_test_id("properties")).to_contain_text(
        "正在播放来电者将听到的语音" if lang == "zh" else "Playing the text as callers will hear it")
    # Without text there is nothing to hear: the button is off.
    page.get_by_test_id("prompt-text-prompt").fill("")
    expect(page.get_by_test_id("prompt-preview-prompt")).to_be_disabled()
    assert console_errors == []


def folded_text(lang: str, n: int) -> str:
    return f"已折叠 {n} 个节点" if lang == "zh" else f"{n} nodes folded"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_branch_folds_into_one_box_and_unfolds(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    """Sub-flows: folding the news play node hides nothing reachable another way; folding the menu (the start)
    hides its whole branch into its box, with the count; unfolding brings it back; the document never changes."""
    name = f"fold_{lang}"
    open_ivr(name, GROUP_IVR, lang)
    # news only leads to bye, which the menu also reaches: folding news hides nothing.
    node(page, "news").get_by_test_id("fold").click()
    expect(node(page, "news").get_by_test_id("folded-note")).to_have_text(folded_text(lang, 0))
    expect(node(page, "bye")).to_be_visible()
    node(page, "news").get_by_test_id("fold").click()
    # The menu leads to everything: folded, it stands for the two others.
    node(page, "menu").get_by_test_id("fold").click()
    expect(node(page, "menu").get_by_test_id("folded-note")).to_have_text(folded_text(lang, 2))
    expect(node(page, "news")).to_have_count(0)
    expect(node(page, "bye")).to_have_count(0)
    expect(page.locator(".react-flow__edge")).to_have_count(0)
    node(page, "menu").get_by_test_id("fold").click()
    expect(node(page, "news")).to_be_visible()
    expect(node(page, "bye")).to_be_visible()
    expect(page.locator('.react-flow__edge[data-id="menu|options/2"]')).to_have_count(1)
    # Folding is a view: nothing was saved.
    expect(page.get_by_test_id("undo")).to_be_disabled()
    assert api_as(world.analyst_a).get(f"/api/documents/ivr/{name}").get_json()["draft"] == without_positions(GROUP_IVR)
    assert console_errors == []


#: An hours node with no calendar of its own (it uses the tenant's).
HOURS_IVR = {
    "title": "营业时间", "start": "when", "fallback": "bye",
    "nodes": {
        "when": {"type": "hours", "label": "营业时间判断", "open": "bye", "closed": "bye",
                 "position": {"x": 0, "y": 0}},
        "bye": {"type": "hangup", "label": "再见", "prompt": {"text": "再见"}, "position": {"x": 0, "y": 250}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_hours_node_uses_the_tenants_calendar_or_its_own(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    """The calendar picker: the tenant's business calendar in words by default (nothing stored), or a copy to
    edit as the node's own; back to the tenant's removes it."""
    name = f"hours_{lang}"
    api = api_as(world.analyst_a)
    open_ivr(name, HOURS_IVR, lang)
    node(page, "when").locator(".ivr-node-label").click()
    expect(page.get_by_test_id("calendar-tenant")).to_be_checked()
    expect(page.get_by_test_id("calendar-summary")).to_contain_text(
        "周一 08:00–21:00" if lang == "zh" else "Mon 08:00–21:00")
    expect(page.get_by_test_id("calendar-summary")).to_contain_text("Asia/Shanghai")
    page.get_by_test_id("calendar-own").check()
    expect(page.locator("#root_calendar_timezone")).to_have_value("Asia/Shanghai")
    wait_saved(page)
    calendar = draft_of(api, name)["nodes"]["when"]["calendar"]
    assert calendar["timezone"] == "Asia/Shanghai" and calendar["weekly"]["mon"] == [{"start": "08:00", "end": "21:00"}]
    page.get_by_test_id("calendar-tenant").check()
    wait_saved(page)
    assert "calendar" not in draft_of(api, name)["nodes"]["when"]
    assert console_errors == []


def test_typing_into_a_field_is_one_undo_step(page, open_ivr, console_errors) -> None:
    """Undo across every edit, sensibly: a text typed key by key comes back whole with one Ctrl+Z (it took one
    Ctrl+Z per key), and a second Ctrl+Z takes back the edit before it."""
    open_ivr("typing", GROUP_IVR)
    node(page, "news").locator(".ivr-node-label").click()
    page.get_by_test_id("set-start").click()  # an edit before the typing
    text = page.get_by_test_id("prompt-text-prompt")
    text.click()
    page.keyboard.press("End")
    page.keyboard.type("，明天见", delay=30)
    expect(text).to_have_value("今日无公告，明天见")
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    node(page, "news").locator(".ivr-node-label").click()
    expect(page.get_by_test_id("prompt-text-prompt")).to_have_value("今日无公告")
    expect(node(page, "news").locator(".tag.start")).to_have_count(1)  # the edit before is still there
    page.get_by_test_id("undo").click()
    expect(node(page, "news").locator(".tag.start")).to_have_count(0)
    expect(page.get_by_test_id("undo")).to_be_disabled()
    assert console_errors == []


def test_edges_are_orthogonal_with_their_digit_at_the_source_port(
        page, open_ivr, console_errors) -> None:
    """A menu's digit is written at the port its edge leaves from (not mid-line, where a fan of edges crosses),
    once (in the box, just above the port), and the edge is drawn with horizontal and vertical runs only."""
    open_ivr("edges", GROUP_IVR)
    label = node(page, "menu").locator('[data-testid=port][data-handle="options/2"] .ivr-port-label')
    expect(label).to_have_text("2")
    port = node(page, "menu").locator('.react-flow__handle[data-handleid="options/2"]').bounding_box()
    box = label.bounding_box()
    assert port is not None and box is not None
    assert abs((box["x"] + box["width"] / 2) - (port["x"] + port["width"] / 2)) < 4
    assert 0 <= (port["y"] + port["height"] / 2) - (box["y"] + box["height"]) < 20
    path = page.locator('.react-flow__edge[data-id="menu|options/2"] path.react-flow__edge-path').get_attribute("d")
    # Straight runs joined by small rounded corners (Q); no Bézier curves (C) as the default edges draw.
    assert path and not re.search(r"[CcSsTt]", path), path
    assert console_errors == []
