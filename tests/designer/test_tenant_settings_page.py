"""The tenant admin's time-zone field (tenant-creation QA, item 4): a list of IANA zones with their offset,
checked on the server, stored once as `timezone`; and the one calendar reader (platform/tenant_zone.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from hotline.platform.db import Database
from hotline.platform.models import Tenant
from hotline.platform.services.tenants import get_tenant
from hotline.platform.tenant_zone import tenant_calendar

from .conftest import PASSWORD, World
from .gallery.test_gallery import browser, csrf


def test_a_tenant_admin_picks_the_zone_and_it_is_stored_once(app: Flask, world: World, db: Database) -> None:
    client = browser(app, world.admin_a, world.tenant_a)
    page = client.get("/tenant/settings").get_data(as_text=True)
    assert "租户设置" in page and "Asia/Shanghai (UTC+08:00)" in page
    with db.platform() as session:
        tenant = get_tenant(session, world.tenant_a)
        tenant.settings = {**tenant.settings, "timezone": "Asia/Shanghai",
                           "calendar": {**(tenant.settings.get("calendar") or {}), "timezone": "Asia/Shanghai"}}
    token = csrf(client, "/tenant/settings")
    bad = client.post("/tenant/settings", data={"timezone": "Mars/Base", "csrf_token": token})
    assert bad.status_code == 400 and "请从列表中选择一个时区" in bad.get_data(as_text=True)
    saved = client.post("/tenant/settings", data={"timezone": "America/New_York", "csrf_token": token})
    assert saved.status_code == 302
    with db.platform() as session:
        settings = get_tenant(session, world.tenant_a).settings
    assert settings["timezone"] == "America/New_York" and "timezone" not in (settings.get("calendar") or {})
    assert "America/New_York" in client.get("/tenant/settings?lang=en").get_data(as_text=True)
    assert browser(app, world.agent_a, world.tenant_a).get("/tenant/settings").status_code == 403
    assert 'href="/tenant/settings"' in page  # in the admin group of the navigation


def test_the_calendar_reader_takes_the_one_zone_and_keeps_reading_the_old_key() -> None:
    week = {"mon": [["09:00", "18:00"]]}
    assert tenant_calendar({"timezone": "America/New_York", "calendar": {"weekly": week}})["timezone"] \
        == "America/New_York"
    # a calendar saved before the page still names its own zone; where both exist, the calendar's wins
    assert tenant_calendar({"calendar": {"weekly": week, "timezone": "Europe/Paris"}})["timezone"] == "Europe/Paris"
    assert tenant_calendar({"timezone": "Asia/Shanghai"}) is None


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_zone_field_in_the_browser(app, serve, page, world: World, db: Database, lang: str, width: int) -> None:
    from .console_guard import watch

    errors = watch(page)
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    base = serve(app)
    page.goto(f"{base}/login?next=/tenant")
    page.fill("input[name=username]", world.admin_a)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/tenant" in url or "/records" in url or "/studio" in url)
    if page.locator(f"input[name=tenant][value={world.tenant_a}]").count():
        page.locator(f"form:has(input[value={world.tenant_a}]) button").click()
    page.goto(f"{base}/tenant/settings?lang={lang}")
    assert ("租户设置" if lang == "zh_CN" else "Tenant settings") in page.content()
    page.select_option("#tenant-timezone", "Europe/Paris")
    page.click(".hl-main button[type=submit], form button[type=submit] >> nth=-1")
    assert page.locator("#tenant-timezone").input_value() == "Europe/Paris"
    with db.platform() as session:
        assert session.query(Tenant).filter_by(slug=world.tenant_a).one().settings["timezone"] == "Europe/Paris"
    assert errors == [], errors
