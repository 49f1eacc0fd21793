"""The test call's simulated time is in the tenant's zone (issue 16, item 5): "2026-11-23 10:00" typed without a
zone is ten o'clock in the tenant's zone (Asia/Shanghai for the express template), the answer names the zone, and
a time that cannot be read is refused with the field, an example and the zone, in the reader's language."""

from __future__ import annotations

import pytest

from ..conftest import Api, World

pytestmark = [pytest.mark.redis, pytest.mark.slow]


def start(api: Api, at: str) -> dict:
    response = api.post("/api/test-calls", {"name": "main", "version": "draft", "caller": "13700000001", "at": at})
    assert response.status_code == 201, response.get_json()
    state = response.get_json()
    api.write("delete", f"/api/test-calls/{state['id']}")
    return state


def test_a_time_without_a_zone_is_in_the_tenants_zone_and_the_answer_names_it(caller_api, world: World) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    # 10:00 in Beijing is open; read as UTC (18:00 in Beijing) the call would hear the closed notice.
    morning = start(api, "2026-11-23 10:00")
    assert morning["clock"] == {"at": "2026-11-23 10:00", "zone": "Asia/Shanghai", "offset": "UTC+08:00"}
    assert "welcome" in morning["path"] and "closed_notice" not in morning["path"]
    night = start(api, "2026-11-23T23:30")
    assert "closed_notice" in night["path"]
    # A time given with its own offset is shown in the tenant's zone.
    assert start(api, "2026-11-23T02:00:00+00:00")["clock"]["at"] == "2026-11-23 10:00"


@pytest.mark.parametrize(("lang", "words"), [("en", "must be a date and time such as 2026-11-23 10:00"),
                                              ("zh_CN", "模拟来电时间应为日期和时间，例如 2026-11-23 10:00")])
def test_a_time_that_cannot_be_read_is_refused_in_the_readers_language(
        caller_api, world: World, lang: str, words: str) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    api.get(f"/api/session?lang={lang}")
    response = api.post("/api/test-calls", {"name": "main", "version": "draft", "at": "明天十点"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert words in error and "Asia/Shanghai" in error and "明天十点" in error
