"""Issue 16, item 3: the wallboard's tiles overflowed a phone (26rem minimum columns). At 390 px the tiles wrap
into one column inside the window, in Chinese and English, with no console error; at 1366 px they sit side by
side."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot
from tests.designer.conftest import PASSWORD

from ..console_guard import watch
from .conftest import tenant_id
from .test_wallboard_browser import agent_users, build_state

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def _boxes(page, selector: str) -> list[dict]:
    boxes = [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]
    return [box for box in boxes if box is not None]  # hidden ones have none


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_wallboard_tiles_wrap_inside_a_phone_and_sit_side_by_side_on_a_laptop(app, serve, page, world, db,
                                                                               acd_world, lang: str) -> None:
    errors = watch(page)
    build_state(acd_world, tenant_id(db, world.tenant_a), agent_users(db, world.tenant_a))
    base = serve(app)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/login?next=/wallboard/%3Flang%3D{lang}")
    page.fill("input[name=username]", world.supervisor_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=queue-general]")
    expect(page.locator("[data-testid=live-status]")).to_have_text("实时" if lang == "zh_CN" else "Live")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tiles = _boxes(page, ".wb-queues > *")
    assert len(tiles) >= 2
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in tiles), tiles
    assert len({round(box["x"]) for box in tiles}) == 1  # one column
    for box in _boxes(page, ".wb-agent"):
        assert box["x"] + box["width"] <= 390
    screenshot(page, f"wallboard-390-{lang}")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert len({round(box["x"]) for box in _boxes(page, ".wb-queues > *")}) >= 2  # side by side
    assert errors == [], errors
