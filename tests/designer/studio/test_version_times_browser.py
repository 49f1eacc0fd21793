"""Version times in the tenant's zone (QA of issue 16, item 4): the version list showed the UTC wall clock with
no zone while the header names Asia/Shanghai; now each publish time is the tenant's wall clock, zone named.
Chinese and English, no console error."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import open_designer, sign_in
from .test_ivr_canvas_browser import console_errors, use_language  # noqa: F401  (fixture)
from .test_ivr_editing_browser import make_ivr
from .test_version_diff_browser import V1

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_version_times_are_in_the_tenants_zone_and_name_it(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    name = f"times_{lang}"
    api = api_as(world.analyst_a)
    make_ivr(api_as, world.analyst_a, name, V1)
    published = api.post(f"/api/documents/ivr/{name}/publish", {"note": "v1"})
    assert published.status_code == 201
    at = datetime.fromisoformat(published.get_json()["published_at"])
    at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo("UTC"))
    local = at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")

    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=name)
    use_language(page, lang)
    expect(page.get_by_test_id("version-time-1")).to_have_text(f"{local} Asia/Shanghai")
    assert console_errors == []
