"""The wallboard in headless Chromium: tiles and the agent grid render, and follow the ACD live over SSE."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from hotline.platform.models import Role
from hotline.platform.services import users
from hotline.platform.services.tenants import get_tenant
from hotline.runtime.acd import Acd
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD
from tests.platform.wallboard_helpers import add_call, redis_now, waiting

from .conftest import tenant_id

pytestmark = [pytest.mark.browser, pytest.mark.redis]

AGENTS = {"王芳": ("available", None), "李娜": ("on_call", None), "张伟": ("on_call", None),
          "刘洋": ("wrap_up", None), "陈静": ("break", "午餐"), "杨磊": ("ringing", None), "赵敏": ("offline", None)}


def agent_users(db, slug: str) -> dict[str, str]:
    """Members of the tenant with the agent role, by display name -> username (the ACD id here)."""
    names = {}
    with db.platform() as session:
        tenant = get_tenant(session, slug)
        for display in AGENTS:
            user = users.create_user(session, f"ag{uuid.uuid4().hex[:8]}", PASSWORD, "test", display_name=display)
            users.grant(session, user, tenant, Role.AGENT, "test")
            names[display] = user.username
    return names


def build_state(acd_world, tenant: int, names: dict[str, str]) -> None:
    skills = {str(tenant): {"express_general": 1, "express_tracking": 1}}

    async def work(acd: Acd) -> None:
        for display, (state, reason) in AGENTS.items():
            agent = names[display]
            if state in ("on_call", "ringing", "wrap_up"):
                await acd.presence.login(agent, skills)
                call = waiting(tenant, "general", f"busy-{agent}")
                await acd.queues.enqueue(call)
                assert (await acd.queues.try_claim(call)).agent_id == agent
                if state != "ringing":
                    await acd.distributor.agent_answered(call, agent)
                if state == "wrap_up":
                    await acd.distributor.call_ended(agent, 900)
            else:
                await acd.presence.login(agent, skills, state="break" if state == "available" else state)
                if reason:
                    await acd.presence.set_state(agent, state, reason)
        now = await redis_now(acd)
        await acd.queues.enqueue(waiting(tenant, "general", "w1", waited=48, now=now))
        await acd.queues.enqueue(waiting(tenant, "general", "w2", waited=12, now=now))
        await acd.queues.enqueue(waiting(tenant, "vip", "w3", waited=6, now=now))
        await acd.presence.set_state(names["王芳"], "available")  # after the calls queued: not claimed

    acd_world.run(work)


def test_the_wallboard_shows_tiles_and_follows_the_acd_live(app, serve, page, world, db, acd_world,
                                                            frozen_clock) -> None:
    # today's calls of the last 50 minutes: at 00:20 in Shanghai half of them would be yesterday's without the clock
    app.config["HOTLINE_WALLBOARD_STREAM_SECONDS"] = 60
    app.config["HOTLINE_WALLBOARD_STREAM_INTERVAL"] = 0.3
    a = tenant_id(db, world.tenant_a)
    names = agent_users(db, world.tenant_a)
    build_state(acd_world, a, names)
    now = datetime.now(UTC)
    for minutes, queue, wait, talk, outcome in [
        (50, "general", 8, 180, "completed"), (45, "general", 15, 240, "completed"),
        (40, "general", 35, 95, "completed"), (35, "general", 60, None, "abandoned"),
        (30, "vip", 4, 300, "completed"), (25, "vip", 9, 200, "completed"), (20, "complaint", 25, 420, "completed"),
        (15, "pickup", 12, 150, "completed"), (10, "consultation", 40, None, "abandoned"),
        (5, "general", 5, 130, "completed"),
    ]:
        add_call(db, a, now - timedelta(minutes=minutes), queue=queue, wait=wait, talk=talk, outcome=outcome)

    base = serve(app)
    page.goto(f"{base}/login?next=/wallboard/")
    page.fill("input[name=username]", world.supervisor_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=queue-general]")
    total_waiting = page.locator("[data-testid=tile-total] [data-testid=value-waiting]")
    assert total_waiting.inner_text() == "3"
    general = page.locator("[data-testid=queue-general]")
    assert general.locator("[data-testid=value-waiting]").inner_text() == "2"
    assert general.locator("[data-testid=metric-longest_wait]").get_attribute("data-colour") == "amber"
    assert "综合服务" in general.inner_text()
    assert page.locator(f"[data-testid=agent-{names['陈静']}]").get_attribute("data-state") == "break"
    assert "午餐" in page.locator(f"[data-testid=agent-{names['陈静']}]").inner_text()
    # Locator waits, not wait_for_function: the page's CSP forbids the eval that one needs.
    expect(page.locator("[data-testid=live-status]")).to_have_text("实时")

    async def change(acd: Acd) -> None:
        await acd.presence.set_state(names["陈静"], "available")  # back from lunch...
        await acd.queues.enqueue(waiting(a, "vip", "w4"))  # ...while another VIP call arrives

    acd_world.run(change)
    expect(page.locator("[data-testid=tile-total] [data-testid=value-waiting]")).to_have_text("4")
    expect(page.locator(f"[data-testid=agent-{names['陈静']}]")).to_have_attribute("data-state", "available")
    assert page.locator("[data-testid=queue-vip] [data-testid=value-waiting]").inner_text() == "2"
    screenshot(page, "wallboard")


def test_the_thresholds_page_shows_errors_in_the_browser(app, serve, page, world) -> None:
    base = serve(app)
    page.goto(f"{base}/login?next=/wallboard/settings")
    page.fill("input[name=username]", world.supervisor_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.fill("input[name=amber_waiting]", "9")
    page.fill("input[name=red_waiting]", "4")
    page.click("[data-testid=save]")
    assert "黄色阈值必须低于红色阈值" in page.locator("[data-testid=error-waiting]").inner_text()
    assert page.input_value("input[name=amber_waiting]") == "9"
    page.fill("input[name=amber_waiting]", "2")
    page.click("[data-testid=save]")
    assert page.locator("[data-testid=saved]").inner_text() == "已保存"
