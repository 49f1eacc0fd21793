"""The shifts page in Debian's chromium: a night shift added from the form shows in the week grid with its seat
type's label, an overlapping one is refused in words, the shift is edited and deleted, and an uploaded GBK file
imports in the background (a real RQ worker) while the progress page polls, then shows its good line imported
and names its bad one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hotline.platform import models as m
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD
from tests.jobs_support import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def test_a_supervisor_plans_a_week_in_the_browser(app, serve, page, world, db, tmp_path, queues) -> None:
    base = serve(app)
    page.goto(f"{base}/login?next=/schedules/?week=2026-05-04")
    page.fill("input[name=username]", world.supervisor_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=week-grid]")
    assert "Asia/Shanghai" in page.inner_text("[data-testid=zone]")
    with db.platform() as session:
        agent_id = session.scalar(select(m.User.id).where(m.User.username == world.agent_a))

    def add(day: str, start: str, end: str, seat: str) -> None:
        page.select_option("[data-testid=shift-agent]", str(agent_id))
        page.select_option("[data-testid=shift-seat]", seat)
        page.fill("[data-testid=shift-day]", day)
        page.fill("[data-testid=shift-start]", start)
        page.fill("[data-testid=shift-end]", end)
        page.fill("[data-testid=shift-break]", "30")
        page.click("[data-testid=add-shift-submit]")
        page.wait_for_load_state()

    add("2026-05-05", "22:00", "06:00", "team_lead")
    row = page.locator(f"tr[data-agent='{world.agent_a}']")
    assert row.locator("[data-testid=shift]").inner_text().startswith("22:00–06:00+1 班组长 (30′)")
    add("2026-05-06", "05:00", "09:00", "agent")  # overlaps the night shift's morning
    assert "重叠" in page.inner_text("[data-testid=flash-error]")
    assert row.locator("[data-testid=shift]").count() == 1
    screenshot(page, "schedules-week")

    row.locator("[data-testid=shift]").click()
    page.wait_for_selector("[data-testid=edit-shift]")
    page.fill("[data-testid=shift-end]", "05:00")
    page.click("[data-testid=save-shift]")
    page.wait_for_selector("[data-testid=week-grid]")
    assert row.locator("[data-testid=shift]").inner_text().startswith("22:00–05:00+1")
    row.locator("[data-testid=shift]").click()
    page.click("[data-testid=delete-shift]")
    page.wait_for_selector("[data-testid=week-grid]")
    assert row.locator("[data-testid=shift]").count() == 0

    upload = tmp_path / "排班.csv"
    upload.write_bytes((f"用户名,座席类型,日期,开始,结束,休息分钟\n{world.agent_a},实习座席,2026-05-07,09:00,13:00,0\n"
                        f"{world.agent_a},座席,2026-05-07,25:00,26:00,0\n").encode("gbk"))
    page.set_input_files("[data-testid=import-file]", str(upload))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-progress]")  # the import runs in the background; the page polls
    assert page.inner_text("[data-testid=import-status]") == "排队中"
    run_worker(queues)  # a real RQ worker, while the page keeps polling the job
    expect(page.locator("[data-testid=import-status]")).to_have_text("已完成（部分行有错误）", timeout=15_000)
    assert page.inner_text("[data-testid=imported]") == "1"
    assert page.get_attribute("[data-testid=import-progress]", "value") == "100"
    errors = page.locator("[data-testid=line-errors] tbody tr")
    assert errors.count() == 1 and errors.inner_text().split("\t")[0] == "3"
    assert "时间 25:00 格式不对" in errors.inner_text()
    screenshot(page, "schedules-import-progress")
    page.goto(f"{base}/schedules/?week=2026-05-04")
    assert row.locator("[data-testid=shift]").inner_text().startswith("09:00–13:00 实习座席")
