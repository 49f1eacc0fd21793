"""The IVR designer's editing gestures in headless Chromium, on a small IVR where every box is on screen:
wiring new menu options and new nodes by dragging from their ports (issue 16), and the property panel."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot

from ..conftest import World
from .browser_helpers import OPEN, OPEN_LIST, choose, make_ivr, node, options_of, picked, sign_in, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

#: A menu, a play node and a goodbye, laid out so all three fit the canvas at the first view.
SMALL_IVR = {
    "title": "小菜单", "start": "menu", "fallback": "bye",
    "nodes": {
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "查件请按1"}, "options": {"1": "bye"},
                 "fallback": "bye", "position": {"x": 0, "y": 0}},
        "news": {"type": "play", "label": "公告", "prompt": {"text": "今日无公告"}, "next": "bye",
                 "position": {"x": 420, "y": 0}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": 200, "y": 320}},
    },
}


def settled_box(page, locator) -> dict:
    """The element's box once the view has stopped moving (a fit or a centring animates the view; on a loaded
    machine a fixed wait was not always enough, and a drag aimed at a box still moving missed it)."""
    box = locator.bounding_box()
    for _ in range(40):
        page.wait_for_timeout(100)
        again = locator.bounding_box()
        if box is not None and again == box:
            return box
        box = again
    assert box is not None
    return box


def drag_connect(page, source: str, handle: str, target: str) -> None:
    """Drags from a node's output port onto another node's input, with the mouse, as a user does."""
    start = page.locator(f'.react-flow__node[data-id="{source}"] .react-flow__handle[data-handleid="{handle}"]')
    end = page.locator(f'.react-flow__node[data-id="{target}"] .react-flow__handle[data-handleid="in"]')
    a, b = settled_box(page, start), settled_box(page, end)
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2, steps=5)
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=5)
    page.mouse.up()


def test_new_menu_options_and_new_nodes_connect_at_once_and_the_panel_follows(
        page, open_ivr, world: World, api_as) -> None:
    make_ivr(api_as, world.analyst_a, "wire_small", SMALL_IVR)
    assert api_as(world.analyst_a).post("/api/documents/ivr/wire_small/publish", {"note": "v1"}).status_code == 201
    open_ivr("wire_small")
    # Ports are named in Chinese on the boxes (and their edges): 下一步, 兜底, not next / fallback.
    expect(node(page, "news").locator(".ivr-port-label")).to_have_text(["下一步"])
    expect(node(page, "menu").locator(".ivr-port-label")).to_have_text(["1", "兜底"])
    node(page, "menu").click()
    page.get_by_test_id("add-option").click()
    # The panel shows the new digit right away (it used to wait for another node to be clicked).
    expect(page.locator("#root_options_2")).to_be_visible()
    # The finding says which node and digit, and what to do, in words (not "'' does not match '^[A-Za-z_]…'").
    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text("「主菜单」的按键 2 还没有连接下一步：把它连到一个节点")
    expect(findings).not_to_contain_text("does not match")
    page.get_by_test_id("add-option").click()
    expect(page.locator("#root_options_3")).to_be_visible()

    # Both new ports connect by dragging, without a reload (they used to fail silently).
    drag_connect(page, "menu", "options/2", "news")
    drag_connect(page, "menu", "options/3", "bye")
    expect(page.locator('.react-flow__edge[data-id="menu|options/2"]')).to_have_count(1)
    expect(page.locator('.react-flow__edge[data-id="menu|options/3"]')).to_have_count(1)
    expect(picked(page, "#root_options_2")).to_have_attribute("title", re.compile(r"(^news$| \(news\)$)"))

    # Studio's gesture: a port dropped on empty canvas offers the node types there; the chosen one is
    # created where it was dropped and connected, in one step.
    port = page.locator('.react-flow__node[data-id="news"] .react-flow__handle[data-handleid="next"]').bounding_box()
    assert port is not None
    page.mouse.move(port["x"] + 3, port["y"] + 3)
    page.mouse.down()
    page.mouse.move(port["x"] + 80, port["y"] + 120, steps=6)
    page.mouse.up()
    page.get_by_test_id("quick-add").get_by_test_id("quick-sms").click()
    expect(node(page, "sms_1")).to_be_visible()
    expect(page.locator('.react-flow__edge[data-id="news|next"]')).to_have_count(1)
    expect(page.get_by_test_id("node-id-current")).to_have_text("sms_1")  # selected, ready to fill in
    drag_connect(page, "sms_1", "next", "bye")

    # Undo takes the node back, redo (the button, or Ctrl+Y) brings it again, connected.
    page.get_by_test_id("undo").click()
    page.get_by_test_id("undo").click()
    expect(node(page, "sms_1")).to_have_count(0)
    page.get_by_test_id("redo").click()
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+y")
    expect(node(page, "sms_1")).to_be_visible()
    expect(page.locator('.react-flow__edge[data-id="sms_1|next"]')).to_have_count(1)

    # A node added from the palette: its `next` port connects at once too.
    page.get_by_test_id("palette-play").click()
    expect(node(page, "play_1")).to_be_visible()
    page.get_by_test_id("fit").click()
    page.wait_for_timeout(300)
    drag_connect(page, "play_1", "next", "bye")
    expect(page.locator('.react-flow__edge[data-id="play_1|next"]')).to_have_count(1)
    wait_saved(page)
    draft = api_as(world.analyst_a).get("/api/documents/ivr/wire_small").get_json()["draft"]
    assert draft["nodes"]["menu"]["options"] == {"1": "bye", "2": "news", "3": "bye"}
    assert draft["nodes"]["play_1"]["next"] == "bye"
    assert draft["nodes"]["news"]["next"] == "sms_1" and draft["nodes"]["sms_1"]["next"] == "bye"

    # Moving boxes is layout, stored apart from the flow (issue 16): no draft revision, no line in the diff,
    # which lists the flow's changes by label.
    revision = api_as(world.analyst_a).get("/api/documents/ivr/wire_small").get_json()["draft_revision"]
    box = node(page, "bye").bounding_box()
    assert box is not None
    with page.expect_response(lambda r: r.url.endswith("/layout") and r.request.method == "PUT"):
        page.mouse.move(box["x"] + 60, box["y"] + 20)
        page.mouse.down()
        page.mouse.move(box["x"] + 160, box["y"] + 60, steps=5)
        page.mouse.up()
    wait_saved(page)
    assert api_as(world.analyst_a).get("/api/documents/ivr/wire_small").get_json()["draft_revision"] == revision
    page.select_option("[data-testid=diff-from]", "1")
    page.select_option("[data-testid=diff-to]", "draft")
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("主菜单 (menu) › 按键选项")
    expect(diff.get_by_test_id("layout-change")).to_have_count(0)
    expect(diff).to_contain_text("主菜单 (menu) › 按键选项")
    expect(diff).not_to_contain_text("position")
    expect(diff).not_to_contain_text("nodes ›")


#: One node of each type whose panel the analysts found unreadable.
PANEL_IVR = {
    "title": "属性面板", "start": "ask", "fallback": "bye",
    "nodes": {
        "ask": {"type": "collect", "label": "输入运单号", "prompt": {"text": "请输入运单号"}, "variable": "waybill",
                "next": "find", "fallback": "bye", "position": {"x": 0, "y": 0}},
        "find": {"type": "lookup", "label": "查运单", "source": {"table": "waybills"}, "key": "{{waybill}}",
                 "found": "mark", "not_found": "bye", "position": {"x": 0, "y": 200}},
        "mark": {"type": "set", "label": "记下", "values": {"seen": True}, "next": "wait",
                 "position": {"x": 0, "y": 400}},
        "wait": {"type": "queue", "label": "人工", "queue": "general", "position": {"x": 0, "y": 600}},
        "vip": {"type": "condition", "label": "VIP客户", "position": {"x": 300, "y": 600}, "else": "wait",
                "branches": [{"when": {"field": "customer.vip", "op": "eq", "value": True}, "next": "wait"}]},
        "bye": {"type": "hangup", "label": "再见", "position": {"x": 300, "y": 300}},
    },
}


def test_property_panel_reads_in_chinese_with_visible_buttons_and_the_schemas_order(
        page, open_ivr, world: World, api_as) -> None:
    open_ivr("panel_words", PANEL_IVR)
    panel = page.get_by_test_id("properties")

    # The palette's hints are Chinese too.
    hint = "请来电者输入号码（如运单号、账号），保存到变量。"
    expect(page.get_by_test_id("palette-collect")).to_have_attribute("title", hint)
    node(page, "ask").click()
    expect(panel.locator(".property-form")).to_be_visible()  # the form's chunk is lazy: read it once it is there
    text = panel.inner_text()
    assert text.index("最少位数") < text.index("最多位数")  # the schema's order, not the alphabet's
    assert "请来电者输入号码" in text and "Asks for digits" not in text  # the node type's hint in Chinese
    assert "变量名只能用字母、数字和下划线" in text  # the variable's rule (no "-"), not "A machine name: …"

    node(page, "wait").click()
    expect(panel).to_contain_text("播报间隔（秒）")
    assert "announce_every_seconds" not in panel.inner_text()
    # The queue is chosen from the tenant's queues, by title; skills are ticked from the tenant's skills.
    queues = options_of(page, "#root_queue")
    assert "综合服务 (general)" in queues, queues
    expect(panel.locator("input[type=checkbox][id^=root_skills]").first).to_be_visible()

    # A condition node's branches use the dispatch editor's condition builder, not a generated oneOf.
    node(page, "vip").dispatch_event("click")  # the minimap may cover it on a small window
    builder = panel.get_by_test_id("condition-builder")
    expect(builder).to_have_count(1)
    # The condition builder's lists are antd Selects showing the operator in words.
    expect(builder.get_by_test_id("condition-op")).to_contain_text("等于")
    builder.get_by_test_id("condition-op").click()
    page.locator(OPEN_LIST).locator('.ant-select-item-option[title="不等于"]').click()
    wait_saved(page)
    vip = api_as(world.analyst_a).get("/api/documents/ivr/panel_words").get_json()["draft"]["nodes"]["vip"]
    assert vip["branches"][0]["when"]["op"] == "ne" and vip["branches"][0]["next"] == "wait"

    node(page, "find").click()
    offered = options_of(page, "[data-testid=properties] input[id$=__oneof_select]")
    assert {"数据表", "内置数据", "Webhook"} <= set(offered), offered
    assert not [o for o in offered if "option" in o]

    # A map of values: add and remove are visible words; a new entry is no "newKey" / "New Value".
    node(page, "mark").click()
    add = panel.get_by_role("button", name="＋ 添加", exact=True)
    expect(add).to_be_visible()
    box = add.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10
    expect(panel.get_by_role("button", name="删除", exact=True)).to_have_count(1)
    add.click()
    expect(panel.get_by_role("button", name="删除", exact=True)).to_have_count(2)
    screenshot(page, "ivr-property-panel")
    expect(panel).to_contain_text("变量名")
    assert "Key" not in panel.inner_text()
    wait_saved(page)
    draft = api_as(world.analyst_a).get("/api/documents/ivr/panel_words").get_json()["draft"]
    values = draft["nodes"]["mark"]["values"]
    assert "newKey" not in values and "New Value" not in values.values(), values
    assert len(values) == 2


def test_new_ivr_starts_in_chinese_its_settings_and_a_nodes_id_and_type_can_be_changed(
        studio_app, serve, page, world: World, api_as) -> None:
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    page.goto(f"{base}/studio/")
    form = page.get_by_test_id("new-document")
    form.locator("select[name=kind]").select_option("ivr")
    form.locator("input[name=name]").fill("fresh_line")
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_selector("[data-testid=save-state][data-state=saved]")
    # A greeting, then a menu: in Chinese, and nothing to fix.
    expect(node(page, "welcome")).to_contain_text("欢迎语")
    expect(node(page, "welcome")).to_contain_text("放音")
    expect(node(page, "main_menu")).to_contain_text("菜单")
    expect(page.locator(".react-flow__node").get_by_test_id("node-error")).to_have_count(0)

    # The IVR's own title, description and variables.
    page.get_by_test_id("doc-title").fill("夜间热线")
    page.get_by_test_id("doc-description").fill("下班后的自助服务")
    page.get_by_test_id("add-variable").click()
    page.get_by_test_id("variable-name-var_1").fill("9bad")
    page.get_by_test_id("variable-name-var_1").blur()
    expect(page.get_by_test_id("variable-problem")).to_contain_text("变量名只能用字母")
    page.get_by_test_id("variable-name-var_1").fill("waybill")
    page.get_by_test_id("variable-name-var_1").blur()
    page.get_by_test_id("variable-default-waybill").fill("none")

    # Rename the menu: the greeting's next follows; a bad or taken id is refused in words.
    node(page, "main_menu").click()
    page.get_by_test_id("node-id").fill("1menu")
    page.get_by_test_id("rename-node").click()
    expect(page.get_by_test_id("node-id-problem")).to_contain_text("节点编号只能用字母、数字、下划线和 -")
    page.get_by_test_id("node-id").fill("goodbye")
    page.get_by_test_id("rename-node").click()
    expect(page.get_by_test_id("node-id-problem")).to_contain_text("已被使用")
    page.get_by_test_id("node-id").fill("night_menu")
    page.get_by_test_id("rename-node").click()
    expect(page.get_by_test_id("node-id-current")).to_have_text("night_menu")
    expect(node(page, "night_menu")).to_be_visible()
    expect(page.locator('.react-flow__edge[data-id="welcome|next"]')).to_have_count(1)

    # The goodbye becomes a play node: its name and prompt stay, and it now asks where to go next.
    node(page, "goodbye").click()
    choose(page, "node-type", "放音")
    expect(node(page, "goodbye")).to_contain_text("放音")
    expect(page.locator("#root_next")).to_be_visible()
    wait_saved(page)
    draft = api_as(world.analyst_a).get("/api/documents/ivr/fresh_line").get_json()["draft"]
    assert draft["title"] == "夜间热线" and draft["description"] == "下班后的自助服务"
    assert draft["variables"] == {"waybill": {"default": "none"}}
    assert draft["nodes"]["welcome"]["next"] == "night_menu" and "main_menu" not in draft["nodes"]
    goodbye = draft["nodes"]["goodbye"]
    assert goodbye["type"] == "play" and goodbye["label"] == "结束语" and goodbye["prompt"]


def test_test_call_times_out_shows_labels_and_refuses_a_too_long_entry(page, open_ivr) -> None:
    open_ivr()  # the express template's main IVR
    page.get_by_test_id("test-call").click()
    page.get_by_test_id("call-at").fill(OPEN)
    page.get_by_test_id("call-start").click()
    status, prompts = page.get_by_test_id("call-status"), page.get_by_test_id("call-prompts")
    expect(status).to_contain_text("等待按键")
    expect(page.get_by_test_id("call-path")).to_contain_text("人工服务时间判断")  # labels, not only ids
    heard = prompts.locator("li").count()

    # The caller presses nothing: the menu times out and asks again.
    page.get_by_test_id("call-no-input").click()
    expect(prompts.locator("li")).not_to_have_count(heard, timeout=20000)
    expect(status).to_contain_text("等待按键")
    expect(page.locator('.react-flow__node.current-node[data-id="main_menu"]')).to_be_visible()

    # A waybill one digit too long is refused in words, not cut.
    page.get_by_test_id("key-1").click()
    expect(prompts).to_contain_text("请输入12到15位运单号码", timeout=20000)
    page.get_by_test_id("call-digits").fill("7730012345601234")
    page.get_by_test_id("call-send").click()
    expect(page.get_by_test_id("call-error")).to_contain_text("最多收 15 位，您输入了 16 位")
    expect(page.locator('.react-flow__node.current-node[data-id="track_collect"]')).to_be_visible()

    page.get_by_test_id("call-hangup").click()
    expect(status).to_contain_text("已结束")
    expect(status).to_contain_text("来电者挂机")
