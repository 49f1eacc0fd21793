"""The statement page in Chromium: a month missing its business score lists it and cannot be signed; the admin
enters the score, the statement appears to the cent, Excel is offered, and signing off shows version 1, frozen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import VendorMonth
from tests.browser import screenshot
from tests.designer.conftest import World
from tests.settlement import helpers

from ..quality.helpers import tenant_id

pytestmark = pytest.mark.browser


def test_admin_enters_the_missing_score_and_signs_the_statement_off(db: Database, page, world: World, open_as,
                                                                      unique) -> None:
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        vendor_id = helpers.worked_month(session, unique("v")).id
        entry = session.scalars(select(VendorMonth).where(VendorMonth.vendor_id == vendor_id)).one()
        entry.business_score = None
    open_as(world.admin_a, f"/settlement/vendors/{vendor_id}/statement?month=2026-03")
    assert "2026-03 的业务考核分数未录入，也无法计算" in page.get_by_test_id("missing").inner_text()
    assert page.get_by_test_id("sign").is_disabled()
    page.fill("input[name=business_score]", "88")
    page.get_by_test_id("entries").locator("button[type=submit]").click()
    page.get_by_test_id("statement").wait_for()
    rows = page.get_by_test_id("statement").locator("tr")
    assert rows.last.inner_text().split() == ["本月外包费用", "27826.23"]
    assert page.get_by_test_id("xlsx").get_attribute("href").endswith("format=xlsx")
    screenshot(page, "settlement-statement")
    page.get_by_test_id("sign").click()
    page.wait_for_url("**version=1**")
    assert "第 1 版" in page.get_by_test_id("state").inner_text()
    assert page.get_by_test_id("sign").count() == 0
    assert page.get_by_test_id("versions").locator("tr").nth(1).inner_text().split()[0] == "1"


def test_the_comparison_page_marks_a_vendor_past_a_threshold(db: Database, page, world: World, open_as,
                                                           unique) -> None:
    from hotline.platform.models import Queue
    from hotline.platform.settlement import assessment
    from tests.settlement.test_assessment import _call

    queue, own_queue = unique("q"), unique("q")
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        session.add_all([Queue(name=queue, label="外包", service_level_seconds=20),
                         Queue(name=own_queue, label="自营", service_level_seconds=20)])
        partner = helpers.vendor(session, unique("v"), queues=[queue])
        own = helpers.vendor(session, unique("v"), self_operated=True, queues=[own_queue])
        session.add_all([_call(queue, 10, True, 0), _call(queue, 60, True, 1)] +
                        [_call(own_queue, 5, True, n) for n in range(2)])
        assessment.save_threshold(session, "service_level", "80", "")
        names = (partner.name, own.name)
    open_as(world.supervisor_a, "/settlement/assessment?month=2026-03")
    table = page.get_by_test_id("comparison")
    partner_cell = table.locator(f"tr[data-vendor={names[0]}] td[data-metric=service_level]")
    own_cell = table.locator(f"tr[data-vendor={names[1]}] td[data-metric=service_level]")
    assert partner_cell.inner_text() == "50" and "alert" in (partner_cell.get_attribute("class") or "")
    assert own_cell.inner_text() == "100" and "alert" not in (own_cell.get_attribute("class") or "")
    assert page.get_by_test_id("check").count() == 0  # supervisors read; admins check and alert
    screenshot(page, "settlement-assessment")
