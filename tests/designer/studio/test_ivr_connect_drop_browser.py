"""Dropping a link on a box connects it (canvas defects, 2026-12-07), in headless Chromium failing on any console
error, in Chinese and English, at 1366x768 and at 390 px: a link dragged from a port and dropped anywhere on
another node's box — not only on its small input handle — connects to that node's input, as Twilio Studio does;
dropped on empty canvas it still offers the node types there; dropped on its own box it does nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import node, open_designer, sign_in, wait_saved
from .test_ivr_canvas_browser import console_errors, draft_of, use_language  # noqa: F401 (fixture)
from .test_ivr_editing_browser import make_ivr, settled_box

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

#: A play node whose `next` is open, a queue beside it and a goodbye below: all in view at the first fit.
DROP_IVR = {
    "title": "落在框上", "start": "hello", "fallback": "bye",
    "nodes": {
        "hello": {"type": "play", "label": "欢迎", "prompt": {"text": "您好"}, "position": {"x": 0, "y": 0}},
        "desk": {"type": "queue", "label": "人工", "queue": "general", "overflow": "bye",
                 "position": {"x": 320, "y": 0}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": 80, "y": 300}},
    },
}

VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


#: A point of the canvas (x0, y0, w, h) showing only the pane (no box, edge, minimap or control), bottom first.
EMPTY_POINT = """([x0, y0, w, h]) => { const bottom = Math.min(y0 + h, window.innerHeight);
    for (let y = bottom - 20; y > y0 + 20; y -= 10) for (let x = x0 + 20; x < x0 + w - 20; x += 10) {
      const el = document.elementFromPoint(x, y); if (el && el.classList.contains('react-flow__pane')) return [x, y]; }
    return null; }"""


def drag_to(page, source: str, handle: str, x: float, y: float) -> None:
    """Drags from a node's output port to the page point (x, y) with the mouse, as a user does."""
    port = settled_box(page, node(page, source).locator(f'.react-flow__handle[data-handleid="{handle}"]'))
    page.mouse.move(port["x"] + port["width"] / 2, port["y"] + port["height"] / 2)
    page.mouse.down()
    page.mouse.move((port["x"] + x) / 2, (port["y"] + y) / 2, steps=5)
    page.mouse.move(x, y, steps=5)
    page.mouse.up()


@pytest.mark.parametrize("size", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_link_dropped_anywhere_on_a_box_connects_to_its_input(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str, size: str) -> None:  # noqa: F811
    name = f"drop_{lang}_{size}"
    make_ivr(api_as, world.analyst_a, name, DROP_IVR)
    page.set_viewport_size(VIEWPORTS[size])
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=name)
    use_language(page, lang)
    expect(node(page, "bye")).to_be_visible()
    api = api_as(world.analyst_a)

    # Dropped on its own box: nothing happens (a node is not its own target), no node types offered.
    own = settled_box(page, node(page, "hello").locator(".ivr-node-label"))
    drag_to(page, "hello", "next", own["x"] + own["width"] / 2, own["y"] + own["height"] / 2)
    expect(page.get_by_test_id("quick-add")).to_have_count(0)
    expect(page.locator('.react-flow__edge[data-id="hello|next"]')).to_have_count(0)

    # Dropped on the goodbye's label, well below its input handle: connected to it.
    label = settled_box(page, node(page, "bye").locator(".ivr-node-label"))
    drag_to(page, "hello", "next", label["x"] + label["width"] / 2, label["y"] + label["height"] / 2)
    expect(page.locator('.react-flow__edge[data-id="hello|next"]')).to_have_count(1)
    expect(page.get_by_test_id("quick-add")).to_have_count(0)
    wait_saved(page)
    assert draft_of(api, name)["nodes"]["hello"]["next"] == "bye"

    # Dropped on the queue's lower part, beside its own ports: the link moves to the queue.
    box = settled_box(page, node(page, "desk"))
    drag_to(page, "hello", "next", box["x"] + box["width"] * 0.15, box["y"] + box["height"] - 6)
    expect(page.get_by_test_id("quick-add")).to_have_count(0)
    for _ in range(50):
        if draft_of(api, name)["nodes"]["hello"]["next"] == "desk":
            break
        page.wait_for_timeout(200)
    assert draft_of(api, name)["nodes"]["hello"]["next"] == "desk"

    # Dropped on empty canvas it still offers the node types there (kept).
    canvas = settled_box(page, page.get_by_test_id("canvas"))
    empty = page.evaluate(EMPTY_POINT, [canvas["x"], canvas["y"], canvas["width"], canvas["height"]])
    assert empty is not None
    drag_to(page, "hello", "next", *empty)
    expect(page.get_by_test_id("quick-add")).to_be_visible()
    assert console_errors == []


def touch_drag(page, cdp, x0: float, y0: float, x1: float, y1: float) -> None:
    """A finger dragged from (x0, y0) to (x1, y1): Chromium's own touch events, as a phone sends them."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for k in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x0 + (x1 - x0) * k / 10, "y": y0 + (y1 - y0) * k / 10}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("size", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_link_dragged_with_a_finger_connects_on_a_touch_screen(
        studio_app, serve, chromium, world: World, api_as, lang: str, size: str) -> None:
    """Touch-size viewports (390 px, and a 1366x768 touch laptop): a finger dragged from a port onto a box
    connects, and one dropped on empty canvas offers the node types there."""
    name = f"touch_{lang}_{size}"
    make_ivr(api_as, world.analyst_a, name, DROP_IVR)
    context = chromium.new_context(viewport=VIEWPORTS[size], locale="zh-CN", has_touch=True,
                                   is_mobile=size == "phone")
    context.set_default_timeout(15000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.location.get(
        "url", "") else None)
    try:
        base = serve(studio_app)
        sign_in(page, base, world.analyst_a)
        open_designer(page, base, name=name)
        use_language(page, lang)
        expect(node(page, "bye")).to_be_visible()
        cdp = page.context.new_cdp_session(page)
        port = settled_box(page, node(page, "hello").locator('.react-flow__handle[data-handleid="next"]'))
        label = settled_box(page, node(page, "bye").locator(".ivr-node-label"))
        touch_drag(page, cdp, port["x"] + port["width"] / 2, port["y"] + port["height"] / 2,
                   label["x"] + label["width"] / 2, label["y"] + label["height"] / 2)
        expect(page.locator('.react-flow__edge[data-id="hello|next"]')).to_have_count(1)
        wait_saved(page)
        assert draft_of(api_as(world.analyst_a), name)["nodes"]["hello"]["next"] == "bye"
        # Dropped on empty canvas: the node types are offered there, inside the window, and one tap adds it.
        canvas = settled_box(page, page.get_by_test_id("canvas"))
        empty = page.evaluate(EMPTY_POINT, [canvas["x"], canvas["y"], canvas["width"], canvas["height"]])
        assert empty is not None
        # The port read again: the box it is on was redrawn with its new link.
        port = settled_box(page, node(page, "hello").locator('.react-flow__handle[data-handleid="next"]'))
        touch_drag(page, cdp, port["x"] + port["width"] / 2, port["y"] + port["height"] / 2, *empty)
        quick = page.get_by_test_id("quick-add")
        expect(quick).to_be_visible()
        box = quick.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[size]["width"], box
        # The list scrolls to the choice first, as a finger does: Chromium takes a tap while the list is still
        # scrolling as "stop scrolling", not as a click.
        quick.get_by_test_id("quick-sms").scroll_into_view_if_needed()
        settled_box(page, quick.get_by_test_id("quick-sms"))
        quick.get_by_test_id("quick-sms").tap()
        expect(node(page, "sms_1")).to_have_count(1, timeout=15000)
        expect(page.locator('.react-flow__edge[data-id="hello|next"]')).to_have_count(1)
        assert errors == []
    finally:
        context.close()
