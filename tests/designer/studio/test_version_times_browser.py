"""Version times in the tenant's zone (QA of issue 16, item 4): the version list showed the UTC wall clock with
no zone while the header names Asia/Shanghai; now each publish time is the tenant's wall clock, zone named.
Chinese and English, no console error."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import make_ivr
from .test_version_diff_browser import V1

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_version_times_are_in_the_tenants_zone_and_name_it(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    name = f"times_{lang}"
    api = api_as(world.analyst_a)
    make_ivr(api_as, world.analyst_a, name, V1)
    published = api.post(f"/api/documents/ivr/{name}/publish", {"note": "v1"})
    assert published.status_code == 201
    at = datetime.fromisoformat(published.get_json()["published_at"])
    at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo("UTC"))
    local = at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")

    open_ivr(name, lang=lang)
    expect(page.get_by_test_id("version-time-1")).to_have_text(f"{local} Asia/Shanghai")
    assert console_errors == []
