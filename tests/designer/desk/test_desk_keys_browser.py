"""Issue 16, items 2 and 3, in Debian's chromium, in Chinese and English: the desk's keyboard shortcuts
(presence, answer-time actions, Ctrl+S on the ticket), the audible and visual alert on a new call, the shell's
presence, and the desk at 390 px without horizontal scroll. Every test fails on a console error."""

from __future__ import annotations

import threading
import uuid

import pytest
from playwright.sync_api import expect

from hotline.platform.db import Database
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD

from ..console_guard import watch
from .conftest import DeskWorld, tenant_id
from .test_workspace import offer_call

pytestmark = [pytest.mark.browser, pytest.mark.redis]

#: States as words in both languages: English readers saw the codes (wrap_up) on the desk before.
TEXT = {"zh_CN": {"keys": "快捷键", "alert": "新来电", "available": "空闲", "break": "小休", "wrap_up": "话后整理"},
        "en": {"keys": "Keyboard shortcuts", "alert": "Incoming call", "available": "Available", "break": "On break",
               "wrap_up": "Wrap-up"}}


def _open_desk(page, base: str, username: str, lang: str) -> None:
    page.goto(f"{base}/login?next=/desk/%3Flang%3D{lang}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/?lang={lang}")


def _fill_required(page) -> None:
    """Whatever form came first: every empty required field gets a value its pattern takes (11 digits pass
    both the waybill and the phone patterns of the express template), a select its first real option."""
    for field in page.locator("#ticket-form [required]").all():
        kind = field.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
        if kind.startswith("select"):
            values = [v for v in field.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
            field.select_option(values[0])
        elif kind.endswith(":radio") or kind.endswith(":checkbox"):
            field.check()
        elif not field.input_value():
            field.fill("13800001111")


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_presence_keys_the_new_call_alert_and_answer_time_keys(
        desk_app, desk_world: DeskWorld, db: Database, serve, page, acd_prefix: str, lang: str) -> None:
    errors = watch(page)
    words = TEXT[lang]
    page.set_viewport_size({"width": 1366, "height": 768})
    base = serve(desk_app)
    _open_desk(page, base, desk_world.agent, lang)
    keys = page.locator("#desk-keys")
    expect(keys).to_contain_text(words["keys"])
    for key in ("F2", "F3", "F4", "F9", "F8", "Esc"):
        expect(keys.locator("kbd", has_text=key).first).to_be_visible()

    page.keyboard.press("F3")  # break, for the reason chosen in the list
    expect(page.locator("#presence-state")).to_have_attribute("data-state", "break")
    expect(page.locator("#hl-presence")).to_have_attribute("data-state", "break")  # the shell's, on every page
    expect(page.locator("#hl-presence")).to_contain_text(words["break"])
    page.keyboard.press("F4")
    expect(page.locator("#presence-state")).to_have_attribute("data-state", "wrap_up")
    expect(page.locator("#presence-state")).to_have_text(words["wrap_up"])
    expect(page.locator("#hl-presence-state")).to_have_text(words["wrap_up"])
    page.keyboard.press("F2")
    expect(page.locator("#presence-state")).to_have_attribute("data-state", "available")
    expect(page.locator("#hl-presence")).to_contain_text(words["available"])
    assert page.evaluate("document.getElementById('call-alert').hidden") is True

    # A call: the agent hears three beeps (WebAudio) and sees a banner naming the caller; Esc dismisses it.
    tenant = tenant_id(db, desk_world.world.tenant_a)
    phone = "136" + str(uuid.uuid4().int)[:8]
    runtime = threading.Thread(target=offer_call, args=(acd_prefix, tenant, f"call-{uuid.uuid4().hex[:8]}",
                                                        str(desk_world.agent_id), phone), kwargs={"answered": True})
    runtime.start()
    runtime.join(10)
    banner = page.locator("#call-alert")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(words["alert"])
    expect(banner).to_contain_text(phone)
    expect(page.locator("#call-panel")).to_have_class("desk-call desk-call-alert")
    expect(page.locator("#desk")).to_have_attribute("data-beeps", "1")
    assert words["alert"] in page.title()
    page.wait_for_selector("#pop a.new-ticket")
    screenshot(page, f"desk-call-alert-{lang}")
    page.keyboard.press("Escape")
    expect(banner).to_be_hidden()
    assert words["alert"] not in page.title()

    # Alt+N: a new ticket of the pop's first form, in a tab of its own; Ctrl+S there submits the form.
    first = page.locator("#pop a.new-ticket").first.get_attribute("data-form")
    with page.context.expect_page() as opened:
        page.keyboard.press("Alt+N")
    ticket = opened.value
    ticket.wait_for_load_state()
    assert f"/desk/tickets/new/{first}" in ticket.url or f"form_name={first}" in ticket.url or first in ticket.url
    errors += watch(ticket)
    expect(ticket.locator("#ticket-form")).to_be_visible()
    _fill_required(ticket)
    with ticket.expect_response(lambda r: r.request.method == "POST") as posted:
        ticket.keyboard.press("Control+S")
    assert posted.value.status in (302, 303), "the ticket was not saved"
    expect(ticket.locator("#ticket-status")).to_be_visible()
    ticket.close()
    assert errors == [], errors


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_desk_fits_a_phone_and_a_laptop(desk_app, desk_world: DeskWorld, db: Database, serve, page,
                                            acd_prefix: str, lang: str) -> None:
    """The desk at 390 px was 980 px wide (issue 16): no horizontal scroll, with a pop loaded."""
    errors = watch(page)
    base = serve(desk_app)
    page.set_viewport_size({"width": 390, "height": 844})
    _open_desk(page, base, desk_world.agent, lang)
    page.fill("#manual-pop input[name=phone]", "13800001111")
    page.click("#manual-pop button[type=submit]")
    page.wait_for_selector("#pop .pop")
    assert _scroll_width(page) <= 390
    assert page.locator("#hl-presence").is_visible()  # presence stays visible on a phone
    screenshot(page, f"desk-390-{lang}")
    page.set_viewport_size({"width": 1366, "height": 768})
    assert _scroll_width(page) <= 1366
    assert errors == [], errors
