"""QA 14: at 390 px the report and staffing tables broke cells inside words and numbers ("A / g / e / n / t",
"10. / 00", "85 / .8 / 2 / %"): the main column's overflow-wrap let a cell shrink to one letter. Cells stay on one
line; the table scrolls inside its box and the page stays 390 px wide, in Chinese and English, no console error."""

from __future__ import annotations

import pytest

from hotline.platform.db import Database
from tests.designer.conftest import PASSWORD, World

from ..console_guard import watch
from .test_reports import DAY, _seed

pytestmark = pytest.mark.browser

LINES = """(selector) => {
    const lines = (el) => {
        const range = document.createRange(); range.selectNodeContents(el);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return tops.size;
    };
    const table = document.querySelector(selector);
    const cells = [...table.querySelectorAll('th, td')].filter((c) => c.textContent.trim());
    return {page: document.documentElement.scrollWidth,
            broken: cells.filter((c) => lines(c) > 1).map((c) => c.textContent.trim()).slice(0, 5)};
}"""


def _login(page, base: str, user: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_report_and_staffing_cells_stay_on_one_line_on_a_phone(app, serve, page, db: Database, world: World,
                                                               lang: str) -> None:
    _seed(db, world.tenant_a)
    errors = watch(page)
    base = serve(app)
    _login(page, base, world.supervisor_a)
    page.goto(f"{base}/supervision/reports?{DAY}&group=60min&by=agent&lang={lang}")
    found = page.evaluate(LINES, "[data-testid=report-table]")
    assert found["page"] <= 390 and found["broken"] == [], found
    page.goto(f"{base}/supervision/staffing?calls=100&level=85.82&lang={lang}")
    found = page.evaluate(LINES, "[data-testid=single]")
    assert found["page"] <= 390 and found["broken"] == [], found
    assert errors == [], errors
