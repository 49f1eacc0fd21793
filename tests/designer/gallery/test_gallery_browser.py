"""The gallery in Chromium: the operator previews a template and creates a tenant from it."""

from __future__ import annotations

import pytest

from tests.browser import SCREENSHOTS, screenshot

from ..conftest import PASSWORD, World

pytestmark = pytest.mark.browser


def test_operator_creates_a_tenant_from_the_gallery_in_the_browser(app, serve, page, world: World, unique) -> None:
    base = serve(app)
    page.goto(f"{base}/login?next=/templates/")
    page.fill("input[name=username]", world.operator)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/tenant" in url)  # the operator works in many tenants: choose later
    page.goto(f"{base}/templates/")
    assert page.locator("[data-template=express_delivery]").count() == 1
    screenshot(page, "gallery")
    page.click("[data-template=express_delivery] h2 a")
    assert page.locator("[data-node=main_menu]").count() >= 1
    assert page.locator("[data-field=pickup_time]").count() >= 1
    # The whole preview is several screens of outline: the first screen shows what it is.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "gallery-template.png"))
    slug = unique("ui")
    page.fill("input[name=slug]", slug)
    page.fill("input[name=title]", "界面创建的租户")
    page.click("#create-tenant button[type=submit]")
    page.wait_for_url("**/studio/")
    assert "界面创建的租户" in page.content()
