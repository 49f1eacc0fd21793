"""The outbound script editor in Chromium: an analyst adds a question to a page and a call result, and
sees the dialing policy; the saved draft holds them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot
from tests.designer.conftest import Api, World
from tests.designer.console_guard import watch

pytestmark = pytest.mark.browser


def test_analyst_adds_a_question_with_options_and_a_disposition(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/outbound/return_visit")
    greeting = page.get_by_test_id("page-greeting")
    greeting.get_by_test_id("add-question").wait_for()
    assert page.get_by_test_id("dialing-policy").is_visible()

    greeting.get_by_test_id("add-question").click()
    question = greeting.locator("[data-testid^=question-]").filter(has=page.get_by_test_id("question-label")).last
    question.get_by_test_id("question-label").fill("是否愿意参加满意度调查")
    question.get_by_test_id("question-type").select_option("choice")
    question.get_by_test_id("add-option").click()
    question.get_by_test_id("option-label").last.fill("不愿意")

    page.get_by_test_id("add-disposition").click()
    page.get_by_test_id("disposition-label").last.fill("同意参加调查")
    page.get_by_test_id("dialing-mode").select_option("preview")
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")
    screenshot(page, "outbound-editor")

    saved = api_as(world.analyst_a).get("/api/documents/outbound/return_visit").get_json()["draft"]
    asked = saved["pages"]["greeting"]["questions"][-1]
    assert asked["label"] == "是否愿意参加满意度调查" and asked["type"] == "choice"
    assert [o["label"] for o in asked["options"]][-1] == "不愿意" and len(asked["options"]) == 2
    assert saved["dispositions"][-1]["label"] == "同意参加调查"
    assert saved["dialing"]["mode"] == "preview"
    findings = api_as(world.analyst_a).post("/api/documents/outbound/return_visit/validate", {}).get_json()["findings"]
    assert [f for f in findings if f["severity"] == "error"] == []


def test_a_call_window_that_ends_before_it_starts_is_flagged_on_that_window(
        app, serve, page, sign_in, built_frontend, world: World) -> None:
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/outbound/satisfaction_survey")
    window = page.get_by_test_id("window-0")
    start = window.get_by_test_id("window-start").input_value()
    window.get_by_test_id("window-end").select_option(start)
    finding = window.locator("[data-testid=field-finding][data-code=empty-window]")
    finding.wait_for()
    window.get_by_test_id("window-end").select_option("24:00")
    finding.wait_for(state="detached")


WORDS = {"zh_CN": {"panel": "根据回答生成工单", "answer": "回答", "phone": "联系人电话", "text": "文本"},
         "en": {"panel": "Ticket from the answers", "answer": "Answer", "phone": "Contact's phone", "text": "Text"}}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_ticket_from_the_answers_is_mapped_with_pickers_and_follows_a_question_rename(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api], lang: str) -> None:
    errors = watch(page)
    words = WORDS[lang]
    base = serve(app)
    sign_in(base, world.analyst_a)
    analyst = api_as(world.analyst_a)
    before = analyst.get("/api/documents/outbound/return_visit").get_json()["draft"]
    asked = next(q for q in before["pages"]["unsolved"]["questions"] if q["name"].startswith("remaining_issue"))
    page.goto(f"{base}/studio/outbound/return_visit?lang={lang}")
    panel = page.get_by_test_id("create-ticket")
    panel.get_by_test_id("ticket-form").wait_for()
    expect(panel).to_contain_text(words["panel"])
    assert panel.get_by_test_id("create-ticket-on").is_checked()
    form = panel.get_by_test_id("ticket-form")
    assert form.input_value() == "complaint" and form.locator("option:checked").inner_text() == "投诉"  # its title
    phone = panel.get_by_test_id("ticket-field-phone").get_by_test_id("ticket-source")
    assert phone.locator("option:checked").inner_text() == words["phone"]  # a label, not {{contact.phone}}
    details = panel.get_by_test_id("ticket-field-details").get_by_test_id("ticket-source")
    assert details.locator("option:checked").inner_text().startswith(f"{words['text']}: ")  # free text kept
    waybill = panel.get_by_test_id("ticket-field-waybill").get_by_test_id("ticket-source")
    waybill.select_option(f"{{{{answer.{asked['name']}}}}}")
    assert waybill.locator("option:checked").inner_text() == f"{words['answer']}: {asked['label']}"
    assert panel.get_by_test_id("ticket-on-unsolved").is_checked()
    screenshot(page, f"outbound-ticket-panel-{lang}")

    renamed = f"issue_{lang.replace('_', '').lower()}"
    unsolved = page.get_by_test_id("page-unsolved")
    unsolved.locator(".ed-card-head").click()
    name = unsolved.get_by_test_id(f"question-{asked['name']}").get_by_test_id("question-name")
    name.fill(renamed)
    name.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")
    saved = analyst.get("/api/documents/outbound/return_visit").get_json()["draft"]["create_ticket"]
    assert saved["fields"]["waybill"] == f"{{{{answer.{renamed}}}}}"
    assert f"{{{{answer.{renamed}}}}}" in saved["fields"]["details"] and asked["name"] not in saved["fields"]["details"]
    assert saved["form"] == "complaint" and saved["on"] == ["unsolved"]
    assert errors == [], errors
    # put the question's name back, so the other language's run starts from the template's script
    revision = analyst.get("/api/documents/outbound/return_visit").get_json()["draft_revision"]
    restored = analyst.put("/api/documents/outbound/return_visit/draft", {"body": before, "base_revision": revision})
    assert restored.status_code == 200, restored.get_json()
