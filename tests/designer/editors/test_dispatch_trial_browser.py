"""The dispatch editor's 试运行规则 / Try the rules and its firing log in Chromium (issue 16, item 5): an
analyst picks a ticket by its number, runs the draft on it and reads, per rule, whether it held and what it
would do — in Chinese, then in English; a published rule that fires shows in the log without a reload."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.services import tickets
from hotline.platform.services.tenants import get_tenant
from tests.browser import screenshot
from tests.designer.conftest import World
from tests.designer.console_guard import watch

pytestmark = pytest.mark.browser

COMPLAINT = {"waybill": "SF1234567890", "phone": "13801234567", "complainant": "张先生",
             "complaint_type": "attitude", "severity": "normal", "details": "快递员态度恶劣，摔门就走"}


def run_on(page, number: str) -> None:
    """Picks the ticket by typing its number, then runs the rules (the event is the draft's first)."""
    trial = page.get_by_test_id("dispatch-trial")
    trial.evaluate("el => el.scrollIntoView({block: 'start'})")
    trial.get_by_test_id("trial-pick").click()
    page.keyboard.type(number)
    page.get_by_test_id(f"trial-ticket-{number}").click()
    trial.get_by_test_id("trial-run").click()
    trial.get_by_test_id("trial-result").wait_for()


def test_the_draft_runs_on_a_ticket_in_both_languages_and_a_firing_shows_in_the_log(
        app, serve, page, sign_in, built_frontend, world: World, db: Database) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "complaint", dict(COMPLAINT), world.agent_a).number
    errors = watch(page)
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/dispatch/default")
    page.get_by_test_id("rule-0").wait_for()

    run_on(page, number)
    serious = page.get_by_test_id("trial-rule-6")
    assert serious.get_attribute("data-verdict") == "condition_false"
    assert "条件不成立" in serious.inner_text()
    part = serious.get_by_test_id("trial-failed-part").inner_text()
    assert "严重程度" in part and "一般" in part and "severity" not in part and "normal" not in part
    route = page.get_by_test_id("trial-rule-5")
    assert "条件成立" in route.inner_text() and "将执行全部动作" in route.inner_text()
    message = route.get_by_test_id("trial-message").inner_text()
    assert "发送 邮件" in message and "类型服务态度" in message
    assert "不适用于此工单的表单" in page.get_by_test_id("trial-rule-1").inner_text()
    screenshot(page, "dispatch-trial-zh")

    page.goto(f"{base}/studio/dispatch/default?lang=en")
    page.get_by_test_id("rule-0").wait_for()
    run_on(page, number)
    serious = page.get_by_test_id("trial-rule-6").inner_text()
    assert "Condition not met" in serious and "the rule needs" in serious and "严重程度" in serious
    route = page.get_by_test_id("trial-rule-5").inner_text()
    assert "Condition held" in route and "Send e-mail" in route
    assert "Not for this ticket's form" in page.get_by_test_id("trial-rule-1").inner_text()

    # A published rule fires for real (as the dispatch job would run it): the log shows it on its next poll.
    with db.tenant(tenant_id) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})
    log = page.get_by_test_id("firing-log")
    log.evaluate("el => el.scrollIntoView({block: 'start'})")
    row = log.locator("[data-testid=firing-row][data-rule=complaint_route]").first
    row.wait_for()
    text = row.inner_text()
    assert "Rule 5 · 投诉分派投诉组并通知主管" in text and "A ticket is created" in text
    assert "Assign: Action done" in text
    assert "Action done; " in text, text  # actions separated, not run together (fix-diff2 item 3)
    assert row.get_by_test_id("firing-ticket").inner_text() == number
    assert row.get_by_test_id("firing-ticket").get_attribute("href") == f"/desk/tickets/{number}"
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text)
    assert "(Asia/Shanghai)" in log.locator("thead").inner_text()
    screenshot(page, "dispatch-firing-log-en")
    assert errors == []


def test_another_tenants_ticket_cannot_be_picked(app, serve, page, sign_in, built_frontend, world: World,
                                                 db: Database, api_as: Callable) -> None:
    with db.platform() as session:
        tenant_b = get_tenant(session, world.tenant_b).id
    with db.tenant(tenant_b) as session:
        made = [tickets.create(session, "complaint", dict(COMPLAINT), "b").number for _ in range(4)][-1]
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/dispatch/default")
    trial = page.get_by_test_id("dispatch-trial")
    trial.evaluate("el => el.scrollIntoView({block: 'start'})")
    trial.get_by_test_id("trial-pick").click()
    page.keyboard.type(made)
    page.get_by_text("未找到").wait_for()
    assert page.get_by_test_id(f"trial-ticket-{made}").count() == 0


def test_a_reader_of_the_rules_gets_neither_panel_nor_refused_requests(
        app, serve, page, sign_in, built_frontend, world: World) -> None:
    errors = watch(page)
    base = serve(app)
    sign_in(base, world.supervisor_a)
    page.goto(f"{base}/studio/dispatch/default")
    page.get_by_test_id("rule-0").wait_for()
    assert page.get_by_test_id("dispatch-trial").count() == 0 and page.get_by_test_id("firing-log").count() == 0
    page.wait_for_timeout(500)  # let any request the editor makes come back
    assert errors == []
