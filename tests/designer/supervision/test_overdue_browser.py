"""The overdue list in Chromium: a supervisor sees a late ticket, urges it with a note, and the count and the
confirmation show; the screenshot goes to var/screenshots/ (see scripts/refresh_screenshots.sh)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.models import utcnow
from hotline.platform.services import tickets
from hotline.platform.services.tenants import get_tenant
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD, World

pytestmark = pytest.mark.browser


def test_a_supervisor_urges_a_late_ticket_from_the_overdue_list(app, serve, page, db: Database, world: World, queues,
                                                                 frozen_clock: datetime) -> None:
    # Two days old: past its 240 business minutes (08:00-20:00 daily) whatever the hour. Five hours was not enough at
    # night in Shanghai, when those hours were all out of business hours and the ticket was not yet late.
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "pickup_order", {
            "phone": "13801234501", "address": "北京市朝阳区望京SOHO T1", "pickup_time": "今天18:00前",
            "courier": "张建国", "courier_phone": "13911110000"}, "agent1", now=utcnow() - timedelta(days=2)).number
    base = serve(app)
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", world.supervisor_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/supervision/overdue")
    row = page.locator(f"tr[data-ticket='{number}']")
    assert row.locator(".urged").inner_text() == "0"
    row.locator("input[name=note]").fill("业主再次来电催促")
    row.get_by_role("button", name="催办").click()
    page.wait_for_load_state()
    assert f"工单{number}已催办（第1次）" in page.get_by_test_id("flash").inner_text()
    assert page.locator(f"tr[data-ticket='{number}'] .urged").inner_text() == "1"
    screenshot(page, "supervision-overdue")
    page.locator(f"tr[data-ticket='{number}'] a").first.click()
    page.wait_for_load_state()
    assert "业主再次来电催促" in page.get_by_test_id("urges").inner_text()
