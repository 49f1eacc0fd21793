"""The canvas layout in headless Chromium (issue 16): a box the analyst moved stays where it was put — through
adding a node, automatic layout and a reload — while new nodes are laid out around it; moving boxes never
touches the document (no revision), since the layout is stored apart from the flow."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import node, wait_saved
from .test_ivr_canvas_browser import placed_node

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

#: Positions are left out: the designer lays the tree out itself (a new IVR, or one made by an API client).
TREE = {
    "title": "布局", "start": "hello", "fallback": "bye",
    "nodes": {
        "hello": {"type": "play", "label": "欢迎", "prompt": {"text": "您好"}, "next": "menu"},
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "请按1"}, "options": {"1": "bye"},
                 "fallback": "bye"},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}},
    },
}


def flow_position(page, node_id: str) -> tuple[float, float]:
    """Where React Flow draws the node, in canvas coordinates (its transform), whatever the zoom and pan."""
    return page.eval_on_selector(f'.react-flow__node[data-id="{node_id}"]', """el => {
        const m = new DOMMatrixReadOnly(getComputedStyle(el).transform); return [m.m41, m.m42]; }""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_moved_node_stays_through_adding_auto_layout_and_reload(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    name = f"pinned_{lang}"
    api = api_as(world.analyst_a)
    open_ivr(name, TREE, lang)
    expect(node(page, "bye")).to_be_visible()
    # The designer laid the tree out and kept those places, unpinned.
    assert placed_node(page, api, name, "hello") is not None
    assert placed_node(page, api, name, "hello")["pinned"] is False
    revision = api.get(f"/api/documents/ivr/{name}").get_json()["draft_revision"]

    # The analyst moves the goodbye box aside.
    box = node(page, "bye").bounding_box()
    assert box is not None
    with page.expect_response(lambda r: r.url.endswith("/layout") and r.request.method == "PUT"):
        page.mouse.move(box["x"] + 60, box["y"] + 15)
        page.mouse.down()
        page.mouse.move(box["x"] + 260, box["y"] + 95, steps=8)
        page.mouse.up()
    moved = flow_position(page, "bye")
    stored = placed_node(page, api, name, "bye")
    assert stored is not None and stored["pinned"] is True
    assert (stored["x"], stored["y"]) == (round(moved[0]), round(moved[1]))

    # A node added from the palette, then automatic layout: the new one gets a place, the moved one keeps its own.
    page.get_by_test_id("palette-play").click()
    expect(node(page, "play_1")).to_be_visible()
    wait_saved(page)
    page.get_by_test_id("layout").click()
    page.wait_for_timeout(300)
    assert flow_position(page, "bye") == moved
    assert placed_node(page, api, name, "play_1") is not None

    # Reloaded: still there; the document never changed for the move (one revision: the added node).
    page.reload()
    wait_saved(page)
    expect(node(page, "bye")).to_be_visible()
    assert flow_position(page, "bye") == moved
    doc = api.get(f"/api/documents/ivr/{name}").get_json()
    assert doc["draft_revision"] == revision + 1
    assert not [i for i, n in doc["draft"]["nodes"].items() if "position" in n]

    # "Re-layout all" is the analyst's own choice: every node is laid out again, the moved one too.
    with page.expect_response(lambda r: r.url.endswith("/layout") and r.request.method == "PUT"):
        page.get_by_test_id("layout-all").click()
    expect(page.get_by_test_id("layout-all")).to_have_text("全部重排" if lang == "zh" else "Re-layout all")
    assert placed_node(page, api, name, "bye")["pinned"] is False
    assert console_errors == []


#: A menu whose three ports lead down to two nodes of the next row: the lines of such a fan used to turn at one
#: height (half-way down), so their horizontal runs lay on top of each other and read as one line.
FAN = {
    "title": "扇形", "start": "menu", "fallback": "bye",
    "nodes": {
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "请按键"}, "options": {"1": "bye", "2": "news"},
                 "fallback": "bye", "position": {"x": 200, "y": 0}},
        "news": {"type": "play", "label": "公告", "prompt": {"text": "今日无公告"}, "next": "bye",
                 "position": {"x": 0, "y": 320}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": 420, "y": 320}},
    },
}


def horizontal_runs(d: str) -> set[float]:
    """The heights of an edge path's horizontal stretches (consecutive points at one y, apart in x)."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    points = list(zip(numbers[::2], numbers[1::2], strict=False))
    return {round(a[1], 1) for a, b in itertools.pairwise(points)
            if abs(a[1] - b[1]) < 0.01 and abs(a[0] - b[0]) > 8}


def test_a_menus_fan_of_lines_never_runs_along_one_stretch(
        page, open_ivr, console_errors) -> None:
    open_ivr("fan", FAN)
    runs: dict[str, set[float]] = {}
    for edge in ("menu|options/1", "menu|options/2", "menu|fallback"):
        path = page.locator(f'.react-flow__edge[data-id="{edge}"] path.react-flow__edge-path').get_attribute("d")
        assert path and not re.search(r"[CcSsTt]", path), path  # orthogonal: straight runs, rounded corners
        runs[edge] = horizontal_runs(path)
        assert len(runs[edge]) == 1, (edge, path)
    heights = [next(iter(r)) for r in runs.values()]
    assert len(set(heights)) == 3, runs  # each line turns at a height of its own
    # Each digit still reads at its own port (once, in the box just above it).
    for digit in ("1", "2"):
        label = node(page, "menu").locator(f'[data-testid=port][data-handle="options/{digit}"] .ivr-port-label')
        port = node(page, "menu").locator(f'.react-flow__handle[data-handleid="options/{digit}"]').bounding_box()
        box = label.bounding_box()
        assert port is not None and box is not None
        assert abs((box["x"] + box["width"] / 2) - (port["x"] + port["width"] / 2)) < 4
    assert console_errors == []
