"""The desk in Debian's chromium: the agent goes available, a call bridged by the ACD pops the caller's record
without a reload (SSE), and the generated pickup form — with the courier found by address — submits."""

from __future__ import annotations

import threading
import uuid

import pytest

from hotline.platform.db import Database
from hotline.platform.services import customers, tickets
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD

from .conftest import DeskWorld, tenant_id
from .test_workspace import offer_call

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def test_screen_pop_appears_live_and_the_ticket_form_submits(
        desk_app, desk_world: DeskWorld, db: Database, serve, page, acd_prefix: str) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    phone = "135" + str(uuid.uuid4().int)[:8]
    with db.tenant(tenant) as session:
        customer = customers.create(session, "望京商贸公司", [phone], address="北京市朝阳区望京SOHO T1 1201",
                                    vip=True, flags=["monthly_settlement"], actor="test")
        old = tickets.create(session, "tracking_query", {"waybill": "YT2026113000", "phone": phone,
                                                         "question_type": "no_update"}, "agent007",
                             customer_id=customer.id)
        tickets.transition(session, old.number, "processing", base_revision=old.revision, actor="agent007")

    base = serve(desk_app)
    page.goto(f"{base}/login?next=/desk/")
    page.fill("input[name=username]", desk_world.agent)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/")
    page.click("button[data-presence=available]")
    page.wait_for_selector("#presence-state[data-state=available]")

    # The runtime offers a call and the agent's phone answers: the desk pops without a reload.
    # (In a thread of its own: Playwright's sync API keeps an event loop running in this one.)
    runtime = threading.Thread(target=offer_call, args=(acd_prefix, tenant, f"call-{uuid.uuid4().hex[:8]}",
                                                        str(desk_world.agent_id), phone), kwargs={"answered": True})
    runtime.start()
    runtime.join(10)
    page.wait_for_selector("#call-state[data-state=talking]")
    page.wait_for_selector("#pop .customer-card")
    card = page.inner_text("#pop .customer-card")
    assert "望京商贸公司" in card and "VIP" in card and "月结客户" in card
    assert page.inner_text("#call-variables") == "运单号：YT1234567890"  # the label, never the code
    assert page.locator("#pop tr[data-status=processing]").count() == 1
    screenshot(page, "desk-screen-pop")

    # A pickup order from the pop: prefilled from the record; the address finds the courier.
    href = page.get_attribute("#pop a.new-ticket[data-form=pickup_order]", "href")
    page.goto(base + href)
    assert page.input_value("input[name=address]") == "北京市朝阳区望京SOHO T1 1201"
    page.select_option("select[name=pickup_time]", "今天18:00前")
    page.fill("input[name=address]", "北京市朝阳区望京SOHO T1 1201室")
    choice = page.wait_for_selector(".coverage-choice")
    assert "张建国" in choice.inner_text()
    choice.click()
    assert page.input_value("input[name=courier]") == "张建国"
    assert page.input_value("input[name=courier_phone]") == "13910000001"
    page.click("#ticket-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".tf-errors").count() == 0, page.inner_text("#ticket-form")
    page.wait_for_selector("#ticket-status[data-status=pending]")
    number = page.inner_text("#ticket-number")
    page.click("#transition-form button[value=processing]")
    page.wait_for_selector("#ticket-status[data-status=processing]")
    assert page.locator("#history tr[data-action=transition]").count() == 1
    assert page.locator(".countdown").count() == 1  # resolution still running (first response met)
    screenshot(page, "desk-ticket")
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, number)
        assert ticket.customer_id == customer.id and ticket.data["courier"] == "张建国"
