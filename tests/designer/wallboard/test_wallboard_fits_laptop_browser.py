"""Tester's defect 2: at 1366x768 the wallboard's queue tiles fell below the fold (the page scrolled vertically).
With the demo (express) tenant's queues and agents, the whole board fits a 1366x768 window, Chinese and English,
with no console error; 390 px keeps working (test_wallboard_narrow_browser.py).

Signed in as the demo tenant's user (`hotline up`: tenant admin, analyst and supervisor, so the shell's navigation
is as long as a tester sees it): with a supervisor's shorter navigation the English bar fit on two rows and the
test passed while the demo's wrapped onto three (794 px tall page, tester's defect 1 of fix-navs)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.platform.models import Role
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD, make_user

from ..console_guard import watch
from .conftest import tenant_id
from .test_wallboard_browser import agent_users, build_state

pytestmark = [pytest.mark.browser, pytest.mark.redis]

#: Every queue tile's bottom edge, the navigation's rows and the page's scroll height, read in one evaluation.
_MEASURE = """() => ({scroll: document.documentElement.scrollHeight, height: window.innerHeight,
  rows: new Set([...document.querySelectorAll('.hotline-nav a')]
    .map(a => Math.round(a.getBoundingClientRect().top))).size,
  tiles: [...document.querySelectorAll('.wb-queues > *')].map(t => Math.round(t.getBoundingClientRect().bottom))})"""


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_board_fits_a_1366x768_window_without_scrolling(app, serve, page, world, db, acd_world,
                                                            lang: str) -> None:
    errors = watch(page)
    a = tenant_id(db, world.tenant_a)
    build_state(acd_world, a, agent_users(db, world.tenant_a))
    base = serve(app)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/login?next=/wallboard/%3Flang%3D{lang}")
    demo_user = make_user(db, {world.tenant_a: [Role.TENANT_ADMIN, Role.ANALYST, Role.SUPERVISOR]})
    page.fill("input[name=username]", demo_user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=queue-general]")
    expect(page.locator("[data-testid=live-status]")).to_have_text("实时" if lang == "zh_CN" else "Live")
    found = page.evaluate(_MEASURE)
    screenshot(page, f"wallboard-1366x768-{lang}")
    assert len(found["tiles"]) >= 4, found  # the demo's queues
    assert all(bottom <= 768 for bottom in found["tiles"]), found
    assert found["scroll"] <= found["height"], found  # no vertical scroll
    assert found["rows"] <= 2, found  # the shell's navigation: two rows at most, never three
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert errors == [], errors
