"""The IVR canvas as testers read it (issue 16, task 16a), in headless Chromium failing on any console error:
edges routed around boxes (not under them), each port named once, optional ports neutral, resources by their
labels, new boxes in free space, undo of a type change and of box moves, a renamed node keeping its place, and
a 1,000-node IVR that loads and takes a new node."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from bench.designer_pages import sized_ivr

from ..conftest import World
from .browser_helpers import choose, draft_of, make_ivr, node, sign_in, wait_saved
from .test_ivr_canvas_browser import placed_node
from .test_ivr_connect_drop_browser import drag_to

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

#: A menu whose digit 1 leads to a lookup straight below a box in the way; digit 2 to a queue beside it.
READING_IVR = {
    "title": "阅读", "start": "menu", "fallback": "bye",
    "nodes": {
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "查件请按1"},
                 "options": {"1": "far", "2": "desk"}, "fallback": "bye", "position": {"x": 0, "y": 0}},
        "blocker": {"type": "play", "label": "挡路", "prompt": {"text": "路上"}, "next": "far",
                    "position": {"x": 0, "y": 260}},
        "far": {"type": "lookup", "label": "查运单", "source": {"table": "waybills"}, "key": "{{waybill}}",
                "found": "bye", "position": {"x": 0, "y": 560}},
        "desk": {"type": "queue", "label": "人工", "queue": "general", "skills": ["express_general"],
                 "overflow": "bye", "position": {"x": 420, "y": 260}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": 420, "y": 560}},
    },
}

SUMMARY = {"zh": "队列: 综合服务 · 技能: 快递综合", "en": "Queue: 综合服务 · Skills: 快递综合"}
DIGIT_LABELS = ".ivr-port-label, [data-testid=edge-label], .react-flow__edge-text"


def box_of(page, node_id: str) -> dict:
    """A node's box in flow coordinates (its place on the canvas and its unscaled size)."""
    return page.evaluate("""(id) => { const el = document.querySelector(`.react-flow__node[data-id="${id}"]`);
        const m = /translate\\(([-\\d.]+)px, ?([-\\d.]+)px\\)/.exec(el.style.transform);
        return {x: +m[1], y: +m[2], w: el.offsetWidth, h: el.offsetHeight}; }""", node_id)


def edge_points(page, edge_id: str) -> list[tuple[float, float]]:
    d = page.locator(f'.react-flow__edge[data-id="{edge_id}"] path.react-flow__edge-path').get_attribute("d")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d or "")]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def crosses(a: tuple[float, float], b: tuple[float, float], box: dict) -> bool:
    """Whether the straight run a–b passes through the inside of the box."""
    left, right, top, bottom = box["x"], box["x"] + box["w"], box["y"], box["y"] + box["h"]
    return (min(a[0], b[0]) < right and max(a[0], b[0]) > left
            and min(a[1], b[1]) < bottom and max(a[1], b[1]) > top)


def overlapping(page) -> list[tuple[str, str]]:
    """Pairs of boxes on the canvas that cover each other."""
    return page.evaluate("""() => { const r = [...document.querySelectorAll('.react-flow__node')].map(
        (el) => [el.dataset.id, el.getBoundingClientRect()]); const out = [];
        for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) { const a = r[i][1], b = r[j][1];
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            out.push([r[i][0], r[j][0]]); }
        return out; }""")


def open_reading(open_ivr, page, name: str, lang: str = "zh") -> None:
    open_ivr(name, READING_IVR, lang)
    expect(node(page, "far")).to_be_visible()


def test_edges_go_around_boxes_and_each_port_is_named_once(
        page, open_ivr, console_errors) -> None:
    open_reading(open_ivr, page, "around")
    blocker = box_of(page, "blocker")
    points = edge_points(page, "menu|options/1")
    assert len(points) >= 2
    runs = list(itertools.pairwise(points))
    assert not [run for run in runs if crosses(*run, blocker)], (points, blocker)
    # Menu digit 1 is written once, at its port in the menu's box (it was also written again on its edge).
    labels = page.locator(DIGIT_LABELS).filter(has_text=re.compile(r"^1$"))
    expect(labels).to_have_count(1)
    expect(node(page, "menu").locator('[data-testid=port][data-handle="options/1"] .ivr-port-label')).to_have_text("1")
    assert console_errors == []


def test_an_optional_open_port_is_neutral_and_a_required_one_red(
        page, open_ivr, console_errors) -> None:
    open_reading(open_ivr, page, "ports")
    far = node(page, "far")
    expect(far.locator('[data-testid=port][data-handle="error"]')).to_have_class(re.compile(r"\bopen\b"))
    expect(far.locator('[data-testid=port][data-handle="error"]')).not_to_have_class(re.compile(r"dangling"))
    expect(far.locator('[data-testid=port][data-handle="not_found"]')).to_have_class(re.compile(r"\bdangling\b"))
    expect(node(page, "desk").locator('[data-testid=port][data-handle="after"]')).to_have_class(re.compile(r"\bopen\b"))
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_box_names_its_queue_skills_and_table_by_their_labels(
        page, open_ivr, console_errors, lang: str) -> None:
    open_reading(open_ivr, page, f"labels_{lang}", lang)
    summary = node(page, "desk").get_by_test_id("node-summary")
    expect(summary).to_have_text(SUMMARY[lang])
    expect(node(page, "far").get_by_test_id("node-summary")).to_contain_text("运单状态")
    for code in ("general", "express_general", "waybills"):
        expect(page.locator(".react-flow__nodes")).not_to_contain_text(code)
    assert console_errors == []


def test_a_palette_node_lands_in_free_space_dropped_on_a_box_or_added_below_one(
        page, open_ivr, console_errors) -> None:
    open_reading(open_ivr, page, "drops")
    assert overlapping(page) == []
    # Dropped right onto the box in the way: it goes beside it, near where it was dropped.
    target = node(page, "blocker").bounding_box()
    canvas = page.get_by_test_id("canvas").bounding_box()
    assert target is not None and canvas is not None
    drop = {"x": target["x"] - canvas["x"] + target["width"] / 2, "y": target["y"] - canvas["y"] + target["height"] / 2}
    page.get_by_test_id("palette-play").drag_to(page.get_by_test_id("canvas"), target_position=drop)
    expect(node(page, "play_1")).to_be_visible()
    assert overlapping(page) == []
    landed = box_of(page, "play_1")
    assert abs(landed["x"] - 0) + abs(landed["y"] - 260) < 700, landed  # near the drop, not far away
    # Clicked with the menu selected: below the menu, where the box in the way is, so beside it.
    node(page, "menu").locator(".ivr-node-label").click()
    page.get_by_test_id("palette-voicemail").click()
    expect(node(page, "voicemail_1")).to_be_visible()
    assert overlapping(page) == []
    assert console_errors == []


def test_undo_takes_back_a_type_change_and_a_box_move(
        page, open_ivr, world: World, api_as, console_errors) -> None:
    open_reading(open_ivr, page, "undo_all")
    api = api_as(world.analyst_a)
    # A type change, undone with Ctrl+Z right away (the type list still has the focus): type and fields back.
    node(page, "blocker").locator(".ivr-node-label").click()
    choose(page, "node-type", "挂机")  # a searchable list: the focus stays in it once a type is picked
    assert page.evaluate("document.activeElement.id") == "node-type"
    expect(node(page, "blocker").locator(".ivr-node")).to_have_class(re.compile(r"\btype-hangup\b"))
    page.keyboard.press("Control+z")
    expect(node(page, "blocker").locator(".ivr-node")).to_have_class(re.compile(r"\btype-play\b"))
    expect(page.locator('.react-flow__edge[data-id="blocker|next"]')).to_have_count(1)
    wait_saved(page)
    assert draft_of(api, "undo_all")["nodes"]["blocker"] == {
        key: value for key, value in READING_IVR["nodes"]["blocker"].items() if key != "position"}
    # A box moved with the mouse, then Ctrl+Z: back where it was (on the canvas and in the stored layout); redo.
    before = box_of(page, "bye")
    grip = node(page, "bye").locator(".ivr-node-label").bounding_box()
    assert grip is not None
    page.mouse.move(grip["x"] + 10, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(grip["x"] + 160, grip["y"] + 45, steps=8)
    page.mouse.up()
    moved = box_of(page, "bye")
    assert moved["x"] > before["x"] + 50, (before, moved)
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    page.wait_for_function("([id, x]) => document.querySelector(`.react-flow__node[data-id=\"${id}\"]`)"
                           ".style.transform.startsWith(`translate(${x}px`)", arg=["bye", before["x"]])
    assert box_of(page, "bye")["y"] == before["y"]
    page.keyboard.press("Control+Shift+z")
    page.wait_for_function("([id, x]) => document.querySelector(`.react-flow__node[data-id=\"${id}\"]`)"
                           ".style.transform.startsWith(`translate(${x}px`)", arg=["bye", moved["x"]])
    for _ in range(50):
        stored = placed_node(page, api, "undo_all", "bye")
        if stored and stored["x"] == moved["x"]:
            break
        page.wait_for_timeout(200)
    assert stored is not None and (stored["x"], stored["y"]) == (moved["x"], moved["y"]), stored
    assert console_errors == []


def test_a_renamed_node_keeps_its_place(page, open_ivr, world: World, api_as, console_errors) -> None:
    open_reading(open_ivr, page, "rename")
    api = api_as(world.analyst_a)
    before = box_of(page, "desk")
    node(page, "desk").locator(".ivr-node-label").click()
    page.get_by_test_id("node-id").fill("agents")
    page.get_by_test_id("rename-node").click()
    expect(node(page, "agents")).to_be_visible()
    after = box_of(page, "agents")
    assert (after["x"], after["y"]) == (before["x"], before["y"]) == (420, 260)
    stored = placed_node(page, api, "rename", "agents")
    assert stored is not None and (stored["x"], stored["y"]) == (420, 260), stored
    assert console_errors == []


def test_a_thousand_node_ivr_loads_drawing_only_boxes_in_view_and_takes_a_new_node(
        studio_app, serve, page, world: World, api_as, console_errors) -> None:
    """Not a timing test: the 1,000-node IVR of bench/designer_pages.py opens, only the boxes in view are drawn
    (all of them were drawn and measured before the first paint), a box is selected, and a palette node is
    added, drawn in view, selected and saved."""
    body = sized_ivr(1000)
    assert len(body["nodes"]) >= 990
    make_ivr(api_as, world.analyst_a, "big", body)
    api = api_as(world.analyst_a)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    page.goto(f"{base}/studio/ivr/big")
    page.wait_for_selector("[data-testid=save-state][data-state=saved]", timeout=60000)
    expect(node(page, "n0")).to_be_visible(timeout=60000)
    drawn = page.locator(".react-flow__node").count()
    assert 0 < drawn < 300, drawn
    node(page, "n0").locator(".ivr-node-label").click()
    expect(page.get_by_test_id("node-id-current")).to_have_text("n0", timeout=30000)
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.get_by_test_id("palette-play").click()
    expect(page.get_by_test_id("node-id-current")).to_have_text("play_1", timeout=30000)
    expect(node(page, "play_1")).to_be_visible()
    wait_saved(page)
    for _ in range(50):
        if "play_1" in draft_of(api, "big")["nodes"]:
            break
        page.wait_for_timeout(200)
    assert len(draft_of(api, "big")["nodes"]) == len(body["nodes"]) + 1
    assert console_errors == []


def test_edges_go_around_boxes_on_an_ivr_of_more_than_200_nodes(
        page, open_ivr, console_errors) -> None:
    """Above 200 nodes edges were drawn on their lanes only (routing was switched off), so a line ran under the
    box in its way; routing now works on big IVRs too: the reading IVR with 250 more nodes laid out beside it
    (an IVR of 255 nodes, boxes in view only) still routes menu digit 1 around the box between it and its target,
    and no drawn edge of the reading part runs through a drawn box."""
    body = {**READING_IVR, "nodes": dict(READING_IVR["nodes"])}
    for i in range(250):
        body["nodes"][f"extra_{i}"] = {
            "type": "play", "label": f"附加 {i}", "prompt": {"text": "附加"},
            "next": f"extra_{i + 1}" if i < 249 else "bye",
            "position": {"x": 3000 + (i % 10) * 300, "y": (i // 10) * 220}}
    open_ivr("around_big", body)
    expect(node(page, "far")).to_be_visible(timeout=30000)
    assert page.locator(".react-flow__node").count() < 255  # only the boxes in view are drawn
    blocker = box_of(page, "blocker")
    points = edge_points(page, "menu|options/1")
    assert len(points) >= 2
    assert not [run for run in itertools.pairwise(points) if crosses(*run, blocker)], (points, blocker)
    reading = [n for n in READING_IVR["nodes"] if node(page, n).count()]
    boxes = {n: box_of(page, n) for n in reading}
    for edge in page.locator(".react-flow__edge").all():
        edge_id = edge.get_attribute("data-id") or ""
        source = edge_id.split("|")[0]
        if source not in boxes:
            continue
        target = READING_IVR["nodes"][source]
        ends = {source, *(v for v in target.values() if isinstance(v, str)), *target.get("options", {}).values()}
        runs = list(itertools.pairwise(edge_points(page, edge_id)))
        through = [(n, run) for n, box in boxes.items() if n not in ends for run in runs if crosses(*run, box)]
        assert not through, (edge_id, through)
    assert console_errors == []


#: A menu whose digit 1 leads to a queue more than 2,000 px away (across and down), a box on its lane route's
#: horizontal run and one on its last vertical run; the rest of the IVR is near the menu.
LONG_IVR = {
    "title": "远线", "start": "menu", "fallback": "bye",
    "nodes": {
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "人工请按1"},
                 "options": {"1": "desk"}, "fallback": "bye", "position": {"x": 0, "y": 0}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": -400, "y": 300}},
        "across": {"type": "play", "label": "横线上", "prompt": {"text": "挡路"}, "next": "bye",
                   "position": {"x": 1200, "y": 120}},
        "above": {"type": "play", "label": "竖线上", "prompt": {"text": "挡路"}, "next": "bye",
                  "position": {"x": 2400, "y": 1300}},
        "desk": {"type": "queue", "label": "人工", "queue": "general", "overflow": "bye",
                 "position": {"x": 2400, "y": 2600}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_edge_spanning_more_than_2000_px_is_routed_around_boxes(
        page, open_ivr, console_errors, lang: str) -> None:
    """An edge whose span (with room for a detour) covered more than 48 index buckets (~2,000 px) kept its lane
    route, through the boxes on its way; long edges are now routed too, on a grid coarsened to a bounded size."""
    name = f"long_{lang}"
    open_ivr(name, LONG_IVR, lang, size={"width": 1366, "height": 768})
    expect(node(page, "desk")).to_have_count(1)
    boxes = {n: box_of(page, n) for n in LONG_IVR["nodes"]}
    assert boxes["desk"]["y"] - boxes["menu"]["y"] > 2000 and boxes["desk"]["x"] - boxes["menu"]["x"] > 2000
    runs: list = []
    for _ in range(50):  # a big search runs after the paint: wait for the routed line
        runs = list(itertools.pairwise(edge_points(page, "menu|options/1")))
        through = [(n, run) for n, box in boxes.items() if n not in ("menu", "desk") for run in runs
                   if crosses(*run, box)]
        if runs and not through:
            break
        page.wait_for_timeout(200)
    assert runs and not through, (runs, through)
    assert console_errors == []


#: A queue whose overflow goes back UP to the box at the top, a collect box in between (the tester's IVR): the
#: edge must go around every box (the collect's, the queue's own, the target's) and come down into the top port.
UPWARD_IVR = {
    "title": "回上", "start": "top", "fallback": "bye",
    "nodes": {
        "top": {"type": "play", "label": "顶部放音", "prompt": {"text": "你好"}, "next": "ask",
                "position": {"x": 0, "y": 0}},
        "ask": {"type": "collect", "label": "收号", "prompt": {"text": "请输入"}, "variable": "waybill",
                "next": "desk", "fallback": "bye", "position": {"x": 0, "y": 260}},
        "desk": {"type": "queue", "label": "人工", "queue": "general", "overflow": "top", "after": "bye",
                 "position": {"x": 0, "y": 560}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": 420, "y": 300}},
    },
}


def edge_faults(page, body: dict, edge_ids: list[str] | None = None) -> list:
    """What is wrong with the drawn edges (empty when all is well): a run through any drawn box (its own source
    and target included), or an end that is not a downward run into the middle of its target's top."""
    boxes = {n: box_of(page, n) for n in body["nodes"] if node(page, n).count()}
    faults: list = []
    ids = edge_ids or [e.get_attribute("data-id") or "" for e in page.locator(".react-flow__edge").all()]
    for edge_id in ids:
        source, handle = edge_id.split("|", 1)
        spec = body["nodes"][source]
        target = spec["options"][handle.split("/", 1)[1]] if handle.startswith("options/") else spec[handle]
        points = edge_points(page, edge_id)
        runs = list(itertools.pairwise(points))
        faults += [(edge_id, n, run) for n, box in boxes.items() for run in runs if crosses(*run, box)]
        if target in boxes and runs:
            (ax, ay), (bx, by) = runs[-1]
            box = boxes[target]
            if not (ax == bx and ay < by and abs(bx - (box["x"] + box["w"] / 2)) <= 2 and abs(by - box["y"]) <= 8):
                faults.append((edge_id, "end", runs[-1], box))
    return faults


def settled_faults(page, body: dict, edge_ids: list[str] | None = None) -> list:
    """`edge_faults` once the routes settle (big searches run after the paint): empty, or the last faults seen."""
    faults: list = []
    for _ in range(40):
        faults = edge_faults(page, body, edge_ids)
        if not faults:
            break
        page.wait_for_timeout(200)
    return faults


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_edge_to_a_box_higher_up_goes_around_every_box_into_its_top_port(
        page, open_ivr, console_errors, lang: str) -> None:
    """A queue's 溢出去向 linked to a box above it ran through the collect box's left margin and up into the
    target from below (ending at its bottom); it now goes around every box and comes down into the top port."""
    open_ivr(f"upward_{lang}", UPWARD_IVR, lang, size={"width": 1366, "height": 768})
    expect(node(page, "desk")).to_be_visible()
    expect(page.locator('.react-flow__edge[data-id="desk|overflow"]')).to_have_count(1)
    assert settled_faults(page, UPWARD_IVR, ["desk|overflow"]) == []
    assert settled_faults(page, UPWARD_IVR) == []
    assert console_errors == []


def viewport(page) -> tuple[float, float, float]:
    """The canvas's pan (screen px from the canvas's corner) and zoom."""
    return page.evaluate("""() => { const v = document.querySelector('.react-flow__viewport');
        const m = /translate\\(([-\\d.]+)px, ?([-\\d.]+)px\\) scale\\(([\\d.]+)\\)/.exec(v.style.transform);
        const c = document.querySelector('.react-flow').getBoundingClientRect();
        return [c.left + +m[1], c.top + +m[2], +m[3]]; }""")


#: LONG_IVR with a box in view beside the menu, to drag onto the long edge's line.
DRAG_IVR = {**LONG_IVR, "nodes": {**LONG_IVR["nodes"], "mover": {
    "type": "play", "label": "挪动", "prompt": {"text": "挪"}, "next": "bye", "position": {"x": 300, "y": 300}}}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_box_dragged_onto_a_long_edge_is_routed_around(page, open_ivr, console_errors, lang: str) -> None:
    """A long edge (> 2,000 px, searched after the paint) is routed again once a box is dragged onto its line."""
    open_ivr(f"long_drag_{lang}", DRAG_IVR, lang, size={"width": 1366, "height": 768})
    expect(node(page, "menu")).to_be_visible()
    edge = ["menu|options/1"]
    assert settled_faults(page, DRAG_IVR, edge) == []
    before = edge_points(page, "menu|options/1")
    # A point of the route's first long run, 250 px from where it starts (in view, near the menu): the box
    # beside the menu is dropped on it.
    a, b = next((a, b) for a, b in itertools.pairwise(before) if abs(b[0] - a[0]) + abs(b[1] - a[1]) > 400)
    spot = (a[0] + 250 * ((b[0] > a[0]) - (b[0] < a[0])), a[1] + 250 * ((b[1] > a[1]) - (b[1] < a[1])))
    ox, oy, zoom = viewport(page)
    mover = box_of(page, "mover")
    grip = node(page, "mover").locator(".ivr-node-label").bounding_box()
    assert grip is not None
    # Grip point in flow coordinates, then moved so the box's middle lands on the spot.
    gx, gy = (grip["x"] + 10 - ox) / zoom, (grip["y"] + 5 - oy) / zoom
    dx, dy = spot[0] - (mover["x"] + mover["w"] / 2), spot[1] - (mover["y"] + mover["h"] / 2)
    page.mouse.move(grip["x"] + 10, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(ox + (gx + dx) * zoom, oy + (gy + dy) * zoom, steps=10)
    page.mouse.up()
    moved = box_of(page, "mover")
    assert any(crosses(*run, moved) for run in itertools.pairwise(before)), (moved, before)  # it is on the line
    assert settled_faults(page, DRAG_IVR, edge) == []
    assert edge_points(page, "menu|options/1") != before
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_queue_overflow_linked_to_a_box_higher_up_is_routed_around_boxes(
        page, open_ivr, console_errors, lang: str) -> None:
    """The tester's steps: the queue's 溢出去向 dragged onto the box at the top, the collect box between them; the
    new edge goes around every box (it ran through the collect's left margin) and comes down into the top port."""
    body = {**UPWARD_IVR, "nodes": {**UPWARD_IVR["nodes"], "desk": {
        k: v for k, v in UPWARD_IVR["nodes"]["desk"].items() if k != "overflow"}}}
    open_ivr(f"upward_link_{lang}", body, lang, size={"width": 1366, "height": 768})
    expect(node(page, "desk")).to_be_visible()
    label = node(page, "top").locator(".ivr-node-label").bounding_box()
    assert label is not None
    drag_to(page, "desk", "overflow", label["x"] + label["width"] / 2, label["y"] + label["height"] / 2)
    expect(page.locator('.react-flow__edge[data-id="desk|overflow"]')).to_have_count(1)
    assert settled_faults(page, UPWARD_IVR, ["desk|overflow"]) == []
    assert console_errors == []


#: A queue more than 2,000 px below and right of the box its 溢出去向 goes back up to, a collect box on the way.
LONG_UP_IVR = {
    "title": "远回", "start": "top", "fallback": "bye",
    "nodes": {
        "top": {"type": "play", "label": "顶部放音", "prompt": {"text": "你好"}, "next": "bye",
                "position": {"x": 0, "y": 0}},
        "ask": {"type": "collect", "label": "收号", "prompt": {"text": "请输入"}, "variable": "waybill",
                "next": "desk", "fallback": "bye", "position": {"x": 1200, "y": 1300}},
        "desk": {"type": "queue", "label": "人工", "queue": "general", "overflow": "top", "after": "bye",
                 "position": {"x": 2400, "y": 2600}},
        "bye": {"type": "hangup", "label": "结束语", "prompt": {"text": "再见"}, "position": {"x": -400, "y": 300}},
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_edge_to_a_box_higher_up_comes_down_into_its_top_port(
        page, open_ivr, console_errors, lang: str) -> None:
    """A > 2,000 px edge back up (searched after the paint, on a coarsened grid) goes around every box drawn and
    ends coming down into its target's top port."""
    open_ivr(f"long_up_{lang}", LONG_UP_IVR, lang, size={"width": 1366, "height": 768})
    expect(node(page, "top")).to_be_visible()
    expect(page.locator('.react-flow__edge[data-id="desk|overflow"]')).to_have_count(1)
    assert settled_faults(page, LONG_UP_IVR, ["desk|overflow"]) == []
    assert console_errors == []
