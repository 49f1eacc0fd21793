"""The form designer in Chromium: an analyst adds a field, sees it in the live preview (the server's
rendering of the agents' form), is shown a finding right at the field that causes it, and fixes it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser import screenshot
from tests.designer.conftest import Api, World

pytestmark = pytest.mark.browser


def test_analyst_adds_a_field_sees_it_in_the_preview_and_fixes_its_finding(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/form/complaint")
    page.get_by_test_id("field-details").wait_for()
    page.wait_for_function("document.querySelector('[data-testid=form-preview]').innerText.includes('投诉详情')")

    page.get_by_test_id("add-field").click()
    editor = page.get_by_test_id("field-editor")
    editor.get_by_test_id("field-label").fill("退款银行卡号")
    editor.get_by_test_id("field-name").fill("refund_card")
    editor.get_by_test_id("field-name").press("Enter")
    editor.get_by_test_id("field-required").check()
    page.get_by_test_id("field-refund_card").wait_for()
    page.wait_for_function(
        "document.querySelector('[data-testid=form-preview]').innerText.includes('退款银行卡号')")

    # A drop-down list without options: the lint's finding shows on the "shown as" input of this field.
    editor.get_by_test_id("field-widget").select_option("select")
    finding = editor.locator("[data-testid=field-finding][data-code=bad-widget]")
    finding.wait_for()
    assert "退款银行卡号" in finding.inner_text()  # the field by its label, not its name (QA 16 findings round)
    screenshot(page, "form-designer")

    # Clicking the finding in the shell's panel brings the faulty field back into the editor, highlighted.
    page.get_by_test_id("field-waybill").click()
    assert editor.get_by_test_id("field-label").input_value() == "涉及运单号"
    page.get_by_test_id("finding").filter(has_text="退款银行卡号").locator("a").click()  # by its label, not its code
    page.locator("[data-pointer='/ui/fields/refund_card/widget'].ed-focus").wait_for()
    assert editor.get_by_test_id("field-label").input_value() == "退款银行卡号"

    editor.get_by_test_id("add-option").click()
    editor.get_by_test_id("option-label").last.fill("招商银行")
    finding.wait_for(state="detached")
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")

    saved = api_as(world.analyst_a).get("/api/documents/form/complaint").get_json()["draft"]
    field = saved["schema"]["properties"]["refund_card"]
    assert field["title"] == "退款银行卡号"
    assert field["oneOf"] == [{"const": "option", "title": "招商银行"}]
    assert "refund_card" in saved["schema"]["required"]
    assert saved["ui"]["order"][-1] == "refund_card"
    assert saved["ui"]["fields"]["refund_card"] == {"widget": "select"}
    assert api_as(world.analyst_a).post("/api/documents/form/complaint/validate", {}).get_json()["findings"] == []


def test_fields_are_reordered_by_dragging_or_with_the_arrows(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    before = api_as(world.analyst_a).get("/api/documents/form/consultation").get_json()["draft"]["ui"]["order"]
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/form/consultation")
    last, first = before[-1], before[0]
    page.get_by_test_id(f"field-{last}").drag_to(page.get_by_test_id(f"field-{first}"))
    page.get_by_test_id(f"field-{first}").hover()
    page.get_by_test_id(f"field-{first}-down").click()
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")

    order = api_as(world.analyst_a).get("/api/documents/form/consultation").get_json()["draft"]["ui"]["order"]
    assert order == [last, before[1], first, *before[2:-1]]
