"""The records pages in Debian's chromium: typing part of a Chinese address fills in the covering courier and
phone, one click queues the SMS (delivered by a real RQ worker, shown in the delivery log); an import's
progress bar follows the job to the end."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hotline.platform.models import ImportJob, Notification
from hotline.platform.services import tickets
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD

from .conftest import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def _sign_in(page, base: str, username: str, target: str) -> None:
    page.goto(f"{base}/login?next={target}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{target}")


def test_typing_an_address_fills_the_courier_and_one_click_notifies_him(app, db, world, tenant_ids, queues, serve,
                                                                       page) -> None:
    base = serve(app)
    _sign_in(page, base, world.agent_a, "/records/directory")
    page.fill("[data-testid=coverage-address]", "朝阳区阜通东大")
    # Locator waits, not wait_for_function: the page's CSP forbids the eval that one needs.
    expect(page.locator("[data-testid=coverage-name]")).to_have_value("张建国")
    assert page.input_value("[data-testid=coverage-phone]") == "13910000001"
    assert "阜通东大街" in page.inner_text("[data-testid=coverage-matches]")
    page.click("[data-testid=coverage-notify]")
    page.wait_for_selector("[data-testid=coverage-result] a")
    assert "13910000001" in page.inner_text("[data-testid=coverage-result]")
    screenshot(page, "records-coverage")
    run_worker(queues)
    with db.tenant(tenant_ids["a"]) as session:
        row = session.scalars(select(Notification).where(Notification.to == "13910000001")
                              .order_by(Notification.id.desc())).first()
        assert row.status == "sent" and "朝阳区阜通东大" in row.body
    page.click("[data-testid=coverage-result] a")
    page.wait_for_selector("[data-testid=notifications] tr[data-status=sent]")


def test_the_import_page_shows_progress_and_line_errors_as_the_worker_runs(app, db, world, tenant_ids, queues, serve,
                                                                          page, tmp_path) -> None:
    base = serve(app)
    _sign_in(page, base, world.admin_a, "/records/customers/import")
    upload = tmp_path / "客户.csv"
    upload.write_text("name,phones,address\n浏览器甲,13688880001,望京\n,13688880002,\n浏览器丙,13688880003,国贸\n",
                      encoding="utf-8")
    page.set_input_files("input[type=file]", str(upload))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("#import-job[data-status=queued]")
    job_id = int(page.url.rsplit("/", 1)[1])
    # A line was skipped: the job ends "done_with_errors", and the page shows its label, not the code.
    run_worker(queues, until=lambda: _status(db, tenant_ids["a"], job_id) == "done_with_errors")
    page.wait_for_selector("#import-job[data-status=done_with_errors]")
    assert "已完成（有错误）" in page.inner_text("[data-testid=import-status]")
    assert page.get_attribute("[data-testid=progress-bar]", "style").replace(" ", "") == "width:100%;"
    errors = page.inner_text("[data-testid=import-errors]")
    assert "3" in errors and "missing name" in errors
    screenshot(page, "records-import")
    page.goto(f"{base}/records/customers?q=浏览器")
    assert page.locator("[data-testid=customers] tr[data-id]").count() == 2


def _status(db, tenant_id: int, job_id: int) -> str:
    with db.tenant(tenant_id) as session:
        return session.get(ImportJob, job_id).status


def test_the_ticket_list_shows_statuses_in_their_colours_and_the_content_on_hover(app, db, world, tenant_ids,
                                                                                  serve, page) -> None:
    with db.tenant(tenant_ids["a"]) as session:
        for status, waybill in (("pending", "7730088880001"), ("processing", "7730088880002"),
                                ("done", "7730088880003")):
            ticket = tickets.create(session, "tracking_query", {
                "waybill": waybill, "phone": "13801234588", "question_type": "no_update",
                "question": f"运单{waybill}三天没有物流更新，客户要求尽快派送并回电"}, world.agent_a)
            ticket.status = status
    base = serve(app)
    _sign_in(page, base, world.agent_a, "/records/tickets")
    page.fill("[data-testid=q]", "13801234588")
    page.click("[data-testid=search]")
    page.wait_for_selector("[data-testid=tickets] tr[data-number]")
    colours = page.eval_on_selector_all("[data-testid=tickets] td.status",
                                        "cells => cells.map(c => [c.textContent, getComputedStyle(c).color])")
    assert sorted(colours) == [["处理中", "rgb(208, 2, 27)"], ["已完成", "rgb(46, 125, 50)"],
                               ["待处理", "rgb(0, 0, 0)"]]
    hover = page.get_attribute("[data-testid=tickets] tr[data-number] td.content", "title")
    assert "三天没有物流更新，客户要求尽快派送并回电" in hover
    screenshot(page, "records-tickets")
