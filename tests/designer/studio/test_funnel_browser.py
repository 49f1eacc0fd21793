"""The IVR funnel on the designer canvas, in Chinese then English: seeded calls through the published express
tree show as a heat glow on the nodes they reached and edges as thick as the callers who took them, with the
per-node table beside the canvas."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.models import CallRecord
from hotline.platform.services.tenants import get_tenant

from ..conftest import World
from .browser_helpers import open_designer, sign_in

pytestmark = pytest.mark.browser


def _steps(menu_digit: str) -> list[dict]:
    return [{"node": "business_hours", "type": "hours", "next": "welcome"},
            {"node": "welcome", "type": "play", "next": "vip_check"},
            {"node": "vip_check", "type": "condition", "next": "main_menu"},
            {"node": "main_menu", "type": "menu", "digits": [menu_digit], "next": "track_collect"},
            {"node": "track_collect", "type": "collect"}]


def test_the_funnel_heat_map_on_the_canvas(app, serve, page, db: Database, world: World, built_frontend) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    started = datetime.now(UTC) - timedelta(hours=1)
    with db.tenant(tenant_id) as session:
        for i in range(6):  # six callers press 1 and reach the waybill prompt; four hang up there
            session.add(CallRecord(uuid=uuid.uuid4().hex, did="4008000000", caller="13800000000",
                                   started_at=started + timedelta(seconds=i), ended_at=started + timedelta(minutes=1),
                                   ivr_document="main", ivr_version=1,
                                   outcome="caller_hangup" if i < 4 else "completed",
                                   trace={"steps": _steps("1"), "events": []}))
    supervisor = world.analyst_a
    base = serve(app)
    page.set_default_timeout(20_000)
    sign_in(page, base, supervisor)
    open_designer(page, base)
    assert page.get_by_test_id("funnel").inner_text() == "▽ 漏斗分析"  # not "▽ Funnel" (QA of issue 11, item 5)
    page.click("[data-testid=funnel]")
    row = page.locator("[data-testid=funnel-row-track_collect]")
    row.wait_for()
    assert row.locator("td").nth(1).inner_text() == "6" and row.locator("td").nth(2).inner_text() == "4"
    assert "到达" in page.get_by_test_id("funnel-table").inner_text()
    assert row.locator("td").nth(0).inner_text() == "查件：输入运单号"  # the node's label, not track_collect
    # the pickers offer published versions by number, date and note, and never the version on screen to compare
    assert page.locator("[data-testid=funnel-version] option").all_inner_texts()[0].startswith("第1版 · 20")
    assert page.locator("[data-testid=funnel-compare] option").all_inner_texts() == ["无"]
    glow = page.locator('.react-flow__node.funnel-node[data-id="main_menu"]')
    assert "rgba(220, 38, 38" in (glow.get_attribute("style") or "")
    edge = page.locator(".react-flow__edge.funnel-edge path.react-flow__edge-path").first
    widths = page.eval_on_selector_all(".react-flow__edge.funnel-edge path.react-flow__edge-path",
                                       "els => els.map(e => parseFloat(e.style.strokeWidth || '0'))")
    assert edge.count() == 1 and max(widths) == 10  # the busiest edge is the thickest
    page.goto(f"{base}/studio/ivr/main?lang=en")
    page.wait_for_selector("[data-testid=save-state][data-state=saved]")
    page.click("[data-testid=funnel]")
    page.locator("[data-testid=funnel-row-track_collect]").wait_for()
    assert "Callers" in page.get_by_test_id("funnel-table").inner_text()
    page.fill("[data-testid=funnel-panel] input[type=date] >> nth=0", "2026-03-09")
    page.fill("[data-testid=funnel-panel] input[type=date] >> nth=1", "2026-03-01")
    error = page.get_by_test_id("funnel-error")
    error.wait_for()
    assert "is before" in error.inner_text()  # the reason, and the old figures are gone
    assert page.locator("[data-testid=funnel-row-track_collect]").count() == 0


def test_a_refused_period_keeps_the_typed_dates_and_the_version_lists(app, serve, page, db: Database, world: World,
                                                                      built_frontend) -> None:
    """QA 14: a start after the end showed the refusal but blanked the end date and emptied both version lists."""
    base = serve(app)
    page.set_default_timeout(20_000)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base)
    page.click("[data-testid=funnel]")
    page.get_by_test_id("funnel-panel").wait_for()
    page.locator("[data-testid=funnel-version] option").first.wait_for(state="attached")
    versions = page.locator("[data-testid=funnel-version] option").all_inner_texts()
    dates = page.get_by_test_id("funnel-panel").locator("input[type=date]")
    end = dates.nth(1).input_value()
    assert end
    dates.nth(0).fill("2099-01-01")  # after the end
    page.get_by_test_id("funnel-error").wait_for()
    assert dates.nth(0).input_value() == "2099-01-01"
    assert dates.nth(1).input_value() == end
    assert page.locator("[data-testid=funnel-version] option").all_inner_texts() == versions
    assert page.locator("[data-testid=funnel-compare] option").count() >= 1
