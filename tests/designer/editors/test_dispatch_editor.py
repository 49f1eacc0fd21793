"""The dispatch rule editor in Chromium: an analyst adds a rule with a condition built from the form's
fields and an action picked from the list, and the saved draft holds exactly that."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser import screenshot
from tests.designer.conftest import Api, World

pytestmark = pytest.mark.browser


def test_analyst_adds_a_rule_with_a_condition_and_an_action(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    before = api_as(world.analyst_a).get("/api/documents/dispatch/default").get_json()["draft"]["rules"]
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/dispatch/default")
    page.get_by_test_id("rule-0").wait_for()

    page.get_by_test_id("add-rule").click()
    rule = page.get_by_test_id(f"rule-{len(before)}")
    rule.get_by_test_id("rule-label").fill("重大投诉升级质量部")
    rule.get_by_test_id("rule-event").select_option("ticket.created")
    rule.get_by_test_id("rule-forms").get_by_label("投诉").check()
    rule.get_by_test_id("rule-stop").check()

    rule.get_by_test_id("add-condition").click()
    # The condition builder's lists are antd Selects, searchable by label or by the code shown grey beside it.
    pick_in_condition(page, rule, "condition-field", "ticket.severity")
    pick_in_condition(page, rule, "condition-op", "等于")
    # The field has options, so the value is picked from them, not typed.
    value = rule.get_by_test_id("condition-value")
    assert "ant-select" in (value.get_attribute("class") or "")
    pick_in_condition(page, rule, "condition-value", "critical")

    rule.get_by_test_id("add-action").click()
    rule.get_by_test_id("action-type").select_option("escalate")
    rule.get_by_test_id("param-target").select_option("department")
    rule.get_by_test_id("param-name").fill("质量管理部")
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")
    rule.evaluate("el => el.scrollIntoView({block: 'start'})")
    screenshot(page, "dispatch-editor")

    saved = api_as(world.analyst_a).get("/api/documents/dispatch/default").get_json()["draft"]["rules"]
    assert len(saved) == len(before) + 1
    added = saved[-1]
    assert added["label"] == "重大投诉升级质量部" and added["event"] == "ticket.created"
    assert added["forms"] == ["complaint"] and added["stop"] is True
    assert added["when"] == {"field": "ticket.severity", "op": "eq", "value": "critical"}
    assert added["actions"] == [{"type": "escalate", "target": "department", "name": "质量管理部"}]
    findings = api_as(world.analyst_a).post("/api/documents/dispatch/default/validate", {}).get_json()["findings"]
    assert [f for f in findings if f["pointer"].startswith(f"/rules/{len(before)}")] == []


def test_a_finding_on_an_action_shows_inside_its_rule_and_goes_when_fixed(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    count = len(api_as(world.analyst_a).get("/api/documents/dispatch/default").get_json()["draft"]["rules"])
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/dispatch/default")
    page.get_by_test_id("add-rule").click()
    rule = page.get_by_test_id(f"rule-{count}")
    rule.get_by_test_id("rule-event").select_option("call.entered_queue")
    rule.get_by_test_id("add-action").click()
    # A ticket action on a call event: the lint's finding is shown on the action type of this rule.
    rule.get_by_test_id("action-type").select_option("route_to_queue")
    rule.get_by_test_id("rule-event").select_option("ticket.created")
    finding = rule.locator("[data-testid=field-finding][data-code=action-not-for-event]")
    finding.wait_for()
    rule.get_by_test_id("action-type").select_option("set_status")
    finding.wait_for(state="detached")


def pick_in_condition(page, rule, test_id: str, search: str) -> None:
    """Opens one of the condition builder's antd Selects, types to filter, picks the first option left (Enter)."""
    rule.get_by_test_id(test_id).click()
    opened = ".ant-select-dropdown:not(.ant-select-dropdown-hidden):not(.ant-slide-up-leave)"  # not the one closing
    page.locator(opened).wait_for()
    page.keyboard.type(search)
    page.locator(f"{opened} .ant-select-item-option-active").wait_for()
    page.keyboard.press("Enter")
