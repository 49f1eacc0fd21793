"""The dispatch editor in words, not codes (QA of issue 16, fixc18): the header names the kind, the condition
builder labels every field and offers values by label, the try panel words an escalation and says what it
*would* do, and it fits a 390 px phone — in Chinese and in English, with no console error."""

from __future__ import annotations

import pytest

from hotline.platform.db import Database
from hotline.platform.services import tickets
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import World
from tests.designer.console_guard import watch
from tests.designer.editors.test_dispatch_editor import pick_in_condition
from tests.designer.editors.test_dispatch_trial_browser import COMPLAINT, run_on

pytestmark = pytest.mark.browser

OPENED = ".ant-select-dropdown:not(.ant-select-dropdown-hidden):not(.ant-slide-up-leave)"


def _options(page, rule, test_id: str) -> str:
    """The text of the options an antd Select of the condition builder offers (all of them, scrolled through)."""
    rule.get_by_test_id(test_id).click()
    page.locator(OPENED).wait_for()
    text = page.locator(OPENED).inner_text()
    page.keyboard.press("Escape")
    return text


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_editor_shows_labels_not_codes(app, serve, page, sign_in, built_frontend, world: World, db: Database,
                                           api_as, lang: str) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "complaint", {**COMPLAINT, "severity": "serious"}, world.agent_a).number
    zh = lang == "zh_CN"
    errors = watch(page)
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/dispatch/default?lang={lang}")
    page.get_by_test_id("rule-0").wait_for()

    # Item 7: the header names the kind in words.
    header = page.locator(".toolbar").inner_text()
    assert ("派单规则" if zh else "Dispatch rules") in header and "(dispatch" not in header

    # Items 1 and 2: every field labelled, values offered by label (the stored value stays the code).
    count = len(api_as(world.analyst_a).get("/api/documents/dispatch/default").get_json()["draft"]["rules"])
    page.get_by_test_id("add-rule").click()
    rule = page.get_by_test_id(f"rule-{count}")
    rule.get_by_test_id("rule-event").select_option("ticket.created")
    rule.get_by_test_id("add-condition").click()
    fields = _options(page, rule, "condition-field")
    for code in ("assignee (", "created at", "monthly settlement (", "\nvip"):
        assert code not in fields, code
    assert ("处理人" if zh else "Assignee") in fields and ("月结客户" if zh else "Monthly settlement") in fields
    pick_in_condition(page, rule, "condition-field", "ticket.complaint_type")
    pick_in_condition(page, rule, "condition-op", "等于" if zh else "equals")
    values = _options(page, rule, "condition-value")
    assert "服务态度" in values and "派送延误" in values
    pick_in_condition(page, rule, "condition-field", "ticket.status")
    statuses = _options(page, rule, "condition-value")
    assert "处理中" in statuses and "已完成" in statuses
    pick_in_condition(page, rule, "condition-field", "customer.vip")
    assert ("是" if zh else "yes") in _options(page, rule, "condition-value")

    # Items 3 and 5: the dry run words the escalation and says what it would do.
    run_on(page, number)
    serious = page.get_by_test_id("trial-rule-6").inner_text()
    if zh:
        assert "升级到 部门「质量管理部」（第 2 级）" in serious and "将执行" in serious
        assert "目标节点" not in serious and "已执行" not in serious and "level" not in serious
    else:
        assert "Escalated to department 质量管理部 (level 2)" in serious and "Would do" in serious
        assert "target:" not in serious and "Action done" not in serious and "level:" not in serious

    # Item 8: at 390 px the ticket picker fits its card and the firing log scrolls inside its container.
    page.set_viewport_size({"width": 390, "height": 844})
    trial = page.get_by_test_id("dispatch-trial")
    trial.evaluate("el => el.scrollIntoView({block: 'start'})")
    card, pick = trial.bounding_box(), trial.get_by_test_id("trial-pick").bounding_box()
    assert pick["x"] + pick["width"] <= card["x"] + card["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert errors == []
