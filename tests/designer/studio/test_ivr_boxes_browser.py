"""The IVR canvas's boxes as a Chinese analyst reads them (fix-boxes round), in headless Chromium failing on any
console error: every port named in words in both languages (no stored codes), a long prompt clamped inside its
box with the ports where they were, auto layout keeping manual moves yet never overlapping boxes, the test call's
path saying which way the call went, and the test-call panel brought into view when it opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import node, open_designer, sign_in
from .test_ivr_canvas_browser import console_errors, use_language  # noqa: F401 (fixture)
from .test_ivr_editing_browser import make_ivr

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

#: One node of every type with every port it has (positions given so every box is placed, none drawn on another).
EVERY_PORT_IVR = {
    "title": "端口", "start": "hours", "fallback": "bye",
    "nodes": {
        "hours": {"type": "hours", "label": "营业", "open": "menu", "closed": "bye"},
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "查件请按1"}, "options": {"1": "play"},
                 "fallback": "bye"},
        "play": {"type": "play", "label": "放音", "prompt": {"text": "你好"}, "next": "collect"},
        "collect": {"type": "collect", "label": "收号", "prompt": {"text": "请输入"}, "variable": "waybill",
                    "next": "lookup", "fallback": "bye"},
        "lookup": {"type": "lookup", "label": "查询", "source": {"table": "waybills"}, "key": "{{waybill}}",
                   "found": "cond", "not_found": "bye", "error": "bye"},
        "cond": {"type": "condition", "label": "条件", "branches": [
            {"when": {"path": "var.waybill", "op": "eq", "value": "1"}, "next": "set"}], "else": "bye"},
        "set": {"type": "set", "label": "设置", "values": {"a": "1"}, "next": "queue"},
        "queue": {"type": "queue", "label": "排队", "queue": "general", "overflow": "transfer", "after": "bye"},
        "transfer": {"type": "transfer", "label": "转接", "number": "+8613800138000", "failed": "vm"},
        "vm": {"type": "voicemail", "label": "留言", "queue": "general", "next": "cb"},
        "cb": {"type": "callback", "label": "回电", "queue": "general", "accepted": "ticket", "declined": "bye"},
        "ticket": {"type": "ticket", "label": "工单", "form": "pickup", "next": "urge", "no_handler": "bye"},
        "urge": {"type": "urge", "label": "催办", "ticket": "{{t}}", "next": "sms", "no_handler": "bye",
                 "refused": "bye"},
        "sms": {"type": "sms", "label": "短信", "to": "{{call.caller}}", "text": "hi", "next": "survey"},
        "survey": {"type": "survey", "label": "评价", "next": "goto"},
        "goto": {"type": "goto", "label": "跳转", "target": "bye"},
        "bye": {"type": "hangup", "label": "结束语"},
    },
}

#: Every port of every node type: (node, handle) → its label (Chinese, English). One table, both languages.
PORT_WORDS = {
    ("hours", "open"): ("营业时间内", "Open"), ("hours", "closed"): ("非营业时间", "Closed"),
    ("menu", "options/1"): ("1", "1"), ("menu", "fallback"): ("兜底", "Fallback"),
    ("play", "next"): ("下一步", "Next"),
    ("collect", "next"): ("下一步", "Next"), ("collect", "fallback"): ("兜底", "Fallback"),
    ("lookup", "found"): ("找到", "Found"), ("lookup", "not_found"): ("未找到", "Not found"),
    ("lookup", "error"): ("出错时", "On error"),
    ("cond", "branches/0/next"): ("分支 1", "Branch 1"), ("cond", "else"): ("否则", "Else"),
    ("set", "next"): ("下一步", "Next"),
    ("queue", "overflow"): ("溢出去向", "Overflow"), ("queue", "after"): ("通话结束后", "After the call"),
    ("transfer", "failed"): ("失败时", "If it fails"),
    ("vm", "next"): ("下一步", "Next"),
    ("cb", "accepted"): ("接受时", "Accepted"), ("cb", "declined"): ("拒绝时", "Declined"),
    ("ticket", "next"): ("下一步", "Next"), ("ticket", "no_handler"): ("无人处理", "No handler"),
    ("urge", "next"): ("下一步", "Next"), ("urge", "no_handler"): ("无人处理", "No handler"),
    ("urge", "refused"): ("被拒绝", "Refused"),
    ("sms", "next"): ("下一步", "Next"), ("survey", "next"): ("下一步", "Next"),
    ("goto", "target"): ("目标节点", "Target"),
}


def with_positions(body: dict, columns: int = 4) -> dict:
    """The IVR with its boxes on a loose grid (nothing overlaps, every box has a place)."""
    nodes = {}
    for i, (node_id, spec) in enumerate(body["nodes"].items()):
        nodes[node_id] = {**spec, "position": {"x": (i % columns) * 320, "y": (i // columns) * 260}}
    return {**body, "nodes": nodes}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_port_of_every_node_type_is_named_in_words(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    make_ivr(api_as, world.analyst_a, f"ports_{lang}", with_positions(EVERY_PORT_IVR))
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=f"ports_{lang}")
    use_language(page, lang)
    expect(node(page, "bye")).to_be_attached()
    seen = page.evaluate("""() => [...document.querySelectorAll('.react-flow__node [data-testid=port]')].map(
        (el) => [el.closest('.react-flow__node').dataset.id, el.dataset.handle,
                 el.querySelector('.ivr-port-label').textContent])""")
    got = {(node_id, handle): text for node_id, handle, text in seen}
    want = {key: words[0 if lang == "zh" else 1] for key, words in PORT_WORDS.items()}
    assert got == want
    # The fallback tag is a word too (it read "fallback" in English).
    expect(node(page, "bye").locator(".tag.fallback")).to_have_text("兜底" if lang == "zh" else "Fallback")
    assert console_errors == []


LONG_PROMPT = "您好，欢迎致电顺达快递客户服务热线，" * 12
#: A welcome and a menu with a long prompt, and a menu with a short one to compare the port row with.
LONG_TEXT_IVR = {
    "title": "长提示", "start": "welcome", "fallback": "bye",
    "nodes": {
        "welcome": {"type": "play", "label": "欢迎语", "prompt": {"text": LONG_PROMPT}, "next": "menu",
                    "position": {"x": 0, "y": 0}},
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": LONG_PROMPT}, "options": {"1": "bye"},
                 "fallback": "bye", "position": {"x": 0, "y": 300}},
        "short": {"type": "menu", "label": "短菜单", "prompt": {"text": "请按1"}, "options": {"1": "bye"},
                  "fallback": "bye", "position": {"x": 400, "y": 300}},
        "bye": {"type": "hangup", "label": "结束语", "position": {"x": 0, "y": 600}},
    },
}


def box_parts(page, node_id: str) -> dict:
    """The box, its summary and its ports (labels and the ＋), in page pixels relative to the box's top left."""
    return page.evaluate("""(id) => { const box = document.querySelector(`.react-flow__node[data-id="${id}"]`);
        const b = box.getBoundingClientRect(); const rel = (el) => { const r = el.getBoundingClientRect();
          return {x: r.left - b.left, y: r.top - b.top, bottom: r.bottom - b.top, right: r.right - b.left}; };
        const summary = box.querySelector('[data-testid=node-summary]');
        return {height: b.height, summary: rel(summary), title: summary.title,
          labels: [...box.querySelectorAll('.ivr-port-label, .ivr-add-label')].map(rel),
          add: [...box.querySelectorAll('[data-testid=add-port] .react-flow__handle')].map(rel)}; }""", node_id)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_prompt_is_clamped_and_the_ports_stay_where_they_are(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    make_ivr(api_as, world.analyst_a, f"long_{lang}", LONG_TEXT_IVR)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=f"long_{lang}")
    use_language(page, lang)
    expect(node(page, "short")).to_be_visible()
    short = box_parts(page, "short")
    for node_id in ("welcome", "menu"):
        parts = box_parts(page, node_id)
        # The text ends above every port label (it ran over them), and the whole text is there on hover.
        assert all(parts["summary"]["bottom"] <= label["y"] + 0.5 for label in parts["labels"]), (node_id, parts)
        assert parts["title"] == LONG_PROMPT
        expect(node(page, node_id).get_by_test_id("node-summary")).to_have_css("text-overflow", "ellipsis")
    # The menu's ＋ (and its box) are where a short prompt has them: a drag aimed at the ＋ does not move the box.
    menu = box_parts(page, "menu")
    assert abs(menu["height"] - short["height"]) < 1, (menu, short)
    assert menu["add"] and abs(menu["add"][0]["y"] - short["add"][0]["y"]) < 1, (menu["add"], short["add"])
    assert console_errors == []


def open_test_call(page, phone: bool) -> None:
    if phone:  # the narrow toolbar keeps the test call under 更多
        page.get_by_test_id("toolbar-more").click()
        page.get_by_test_id("more-test-call").click()
    else:
        page.get_by_test_id("test-call").click()


@pytest.mark.parametrize("size", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_test_call_panel_opens_in_view_when_the_property_column_was_scrolled(
        studio_app, serve, page, world: World, console_errors, lang: str, size: str) -> None:  # noqa: F811
    viewport = LAPTOP if size == "laptop" else PHONE
    page.set_viewport_size(viewport)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base)  # the express template's main IVR
    use_language(page, lang)
    page.fill("[data-testid=find-node]", "track_lookup")
    page.press("[data-testid=find-node]", "Enter")
    if size == "phone":
        page.get_by_test_id("panel-properties").click()
    side = page.locator(".ivr-side")
    expect(side.get_by_test_id("properties")).to_be_visible()
    # The analyst had read down the property column.
    scrolled = side.evaluate("(el) => { el.scrollTop = el.scrollHeight; return el.scrollTop; }")
    assert scrolled > 200
    open_test_call(page, size == "phone")
    start = page.get_by_test_id("call-start")
    expect(start).to_be_visible()
    page.wait_for_timeout(300)
    panel = page.get_by_test_id("test-call-panel").bounding_box()
    button = start.bounding_box()
    column = side.bounding_box()
    # The panel's top is at the top of the column (its start button was at y = -452), the button on screen.
    assert panel is not None and button is not None and column is not None
    assert column["y"] - 1 <= panel["y"] <= column["y"] + 40, (panel, column)
    assert button["y"] >= 0 and button["y"] + button["height"] <= viewport["height"], button
    assert console_errors == []


#: The analyst's tree (as the tester had it): a welcome, a main menu with four keys, a goodbye; no places stored.
MOVED_IVR = {
    "title": "重排", "start": "welcome", "fallback": "bye",
    "nodes": {
        "welcome": {"type": "play", "label": "欢迎语", "prompt": {"text": "您好，欢迎致电"}, "next": "menu"},
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "查件请按1，寄件请按2，投诉请按3，人工请按0"},
                 "options": {"1": "track", "2": "send", "3": "complain", "0": "bye"}, "fallback": "bye"},
        "track": {"type": "play", "label": "查件", "prompt": {"text": "查件"}, "next": "bye"},
        "send": {"type": "play", "label": "寄件", "prompt": {"text": "寄件"}, "next": "bye"},
        "complain": {"type": "play", "label": "投诉", "prompt": {"text": "投诉"}, "next": "bye"},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}},
    },
}

OVERLAPS = """() => { const r = [...document.querySelectorAll('.react-flow__node')].map(
    (el) => [el.dataset.id, el.getBoundingClientRect()]); const out = [];
    for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) { const a = r[i][1], b = r[j][1];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push([r[i][0], r[j][0]]); }
    return out; }"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_auto_layout_keeps_a_manual_move_and_overlaps_no_box(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    page.set_viewport_size(LAPTOP)
    make_ivr(api_as, world.analyst_a, f"moved_{lang}", MOVED_IVR)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=f"moved_{lang}")
    use_language(page, lang)
    expect(node(page, "bye")).to_be_visible()
    # The main menu moved by hand, down and to the left, into the goodbye's row.
    grip = node(page, "menu").locator(".ivr-node-head").bounding_box()
    page.mouse.move(grip["x"] + 10, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(grip["x"] - 60, grip["y"] + 140, steps=8)
    page.mouse.up()
    page.wait_for_timeout(300)
    moved = node(page, "menu").bounding_box()
    # New nodes added, then 自动布局 (the moved menu stays where it was put).
    for palette in ("palette-play", "palette-sms", "palette-hangup"):
        node(page, "menu").locator(".ivr-node-head").click()
        page.get_by_test_id(palette).click()
    page.get_by_test_id("fit").click()
    page.wait_for_timeout(300)
    page.get_by_test_id("layout").click()
    page.wait_for_timeout(600)
    assert node(page, "menu").bounding_box() is not None and moved is not None
    assert page.evaluate(OVERLAPS) == []
    assert console_errors == []


PATH_IVR = {
    "title": "路径", "start": "hours", "fallback": "bye",
    "nodes": {
        "hours": {"type": "hours", "label": "营业判断", "open": "menu", "closed": "bye"},
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "查件请按1"}, "options": {"1": "track"},
                 "max_retries": 0, "fallback": "bye"},
        "track": {"type": "play", "label": "查件", "prompt": {"text": "正在查件"}, "next": "bye"},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}},
    },
}
WAYS = {
    "zh": {"hours": "营业时间内「主菜单」", "key": "按键 1「查件」", "track": "下一步「结束语」",
           "timeout": "超时 · 兜底「结束语」"},
    "en": {"hours": "Open “主菜单”", "key": "Key 1 “查件”", "track": "Next “结束语”",
           "timeout": "Time-out · Fallback “结束语”"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_test_call_path_says_which_way_each_step_went(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    ways = WAYS[lang]
    page.set_viewport_size(LAPTOP)
    make_ivr(api_as, world.analyst_a, f"path_{lang}", PATH_IVR)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=f"path_{lang}")
    use_language(page, lang)
    open_test_call(page, False)
    page.get_by_test_id("call-at").fill("2026-11-23 10:00")  # a Monday morning: open
    page.get_by_test_id("call-start").click()
    expect(page.get_by_test_id("key-1")).to_be_enabled(timeout=20000)
    page.get_by_test_id("key-1").click()
    path = page.get_by_test_id("call-path")
    expect(path.locator('li[data-node="bye"]')).to_have_count(1, timeout=20000)
    expect(path.locator('li[data-node="hours"] [data-testid=call-way]')).to_have_text(f" → {ways['hours']}")
    expect(path.locator('li[data-node="menu"] [data-testid=call-way]')).to_have_text(f" → {ways['key']}")
    expect(path.locator('li[data-node="track"] [data-testid=call-way]')).to_have_text(f" → {ways['track']}")
    for code in ("open", "options", "next", "fallback"):
        expect(path).not_to_contain_text(code)
    # A second call where the caller presses nothing: the menu times out to its fallback.
    expect(page.get_by_test_id("call-start")).to_be_enabled(timeout=20000)
    page.get_by_test_id("call-start").click()
    expect(page.get_by_test_id("call-no-input")).to_be_enabled(timeout=20000)
    page.get_by_test_id("call-no-input").click()
    expect(path.locator('li[data-node="menu"] [data-testid=call-way]')).to_have_text(
        f" → {ways['timeout']}", timeout=20000)
    assert console_errors == []
