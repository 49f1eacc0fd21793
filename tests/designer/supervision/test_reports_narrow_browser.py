"""QA 14: at 390 px the report's figures table ran past the window — the page scrolled sideways and the table was
cut. On a phone the table scrolls inside its own box and the page stays 390 px wide, in Chinese and English,
with no console error; the last column is reached by scrolling the table, not the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.platform.db import Database
from tests.designer.conftest import PASSWORD, World

from ..console_guard import watch
from .test_reports import DAY, _seed

pytestmark = pytest.mark.browser

GEOMETRY = """() => {
    const table = document.querySelector('[data-testid=report-table]');
    const box = table.closest('.hl-table-wrap') || table;  // the table scrolls itself on a phone (hotline.css)
    const before = box.getBoundingClientRect();
    box.scrollLeft = box.scrollWidth;
    const last = table.querySelector('thead th:last-child').getBoundingClientRect();
    return {page: document.documentElement.scrollWidth, body: document.body.scrollWidth,
            boxLeft: before.left, boxRight: before.right, boxScroll: box.scrollWidth, boxClient: box.clientWidth,
            overflow: getComputedStyle(box).overflowX, lastLeft: last.left, lastRight: last.right};
}"""


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_report_table_scrolls_inside_its_box_on_a_phone(app, serve, page, db: Database, world: World,
                                                             built_frontend, lang: str) -> None:
    _seed(db, world.tenant_a)
    errors = watch(page)
    base = serve(app)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/login")
    page.fill("input[name=username]", world.supervisor_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/supervision/reports?{DAY}&group=60min&by=queue&lang={lang}")
    page.wait_for_selector("#report-chart[data-drawn] canvas")
    expect(page.get_by_test_id("report-table")).to_be_visible()
    found = page.evaluate(GEOMETRY)
    assert found["page"] <= 390 and found["body"] <= 390, found  # the page itself never scrolls sideways
    assert found["boxLeft"] >= 0 and found["boxRight"] <= 390, found  # the table's box fits the window
    assert found["overflow"] in ("auto", "scroll") and found["boxScroll"] > found["boxClient"], found
    assert found["lastLeft"] >= 0 and found["lastRight"] <= 390, found  # scrolled, the last column shows
    chart = page.locator("#report-chart").bounding_box()
    assert chart is not None and chart["x"] + chart["width"] <= 390, chart
    assert errors == [], errors
