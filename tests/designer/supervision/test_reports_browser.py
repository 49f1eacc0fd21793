"""The report page in Chromium, in Chinese then English: the ECharts entry draws the figures read from the
page's JSON block (no inline script runs: the CSP forbids it), and a figure's drill-down opens its calls."""

from __future__ import annotations

import pytest

from hotline.platform.db import Database
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD, World

from .test_reports import DAY, _seed

pytestmark = pytest.mark.browser


def test_the_report_page_draws_its_chart_and_drills_down(app, serve, page, db: Database, world: World,
                                                        built_frontend) -> None:
    _seed(db, world.tenant_a)
    base = serve(app)
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/login")
    page.fill("input[name=username]", world.supervisor_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/supervision/reports?{DAY}&group=60min")
    page.wait_for_selector("#report-chart[data-drawn='4'] canvas")
    assert "IVR放弃" in page.get_by_test_id("report-table").inner_text()
    totals = page.get_by_test_id("totals")
    assert totals.locator("td[data-figure='abandoned_ivr']").inner_text() == "2"
    assert totals.locator("td[data-figure='service_level']").inner_text() == "40.0"
    screenshot(page, "supervision-reports")
    page.goto(f"{base}/supervision/reports?{DAY}&group=day&lang=en")
    page.wait_for_selector("#report-chart[data-drawn='4'] canvas")
    assert "Abandoned in IVR" in page.get_by_test_id("report-table").inner_text()
    page.get_by_test_id("drill").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-calls").locator("tr").count() == 12  # header + the day's 11 counted calls
    assert errors == []
