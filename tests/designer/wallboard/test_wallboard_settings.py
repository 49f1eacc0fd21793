"""The thresholds form: CSRF, clear errors that keep what was typed, per-queue settings, tenant isolation."""

from __future__ import annotations

import pytest

from hotline.platform.wallboard import thresholds as th

from .conftest import tenant_id

pytestmark = pytest.mark.redis


def form(client, overrides: dict[str, str]) -> dict[str, str]:
    data = {"csrf_token": client.token or client.refresh_token()}
    for metric, levels in th.DEFAULTS.items():
        data[f"amber_{metric}"] = str(levels.amber)
        data[f"red_{metric}"] = str(levels.red)
    data.update(overrides)
    return data


def stored(db, slug: str) -> th.ThresholdSet:
    with db.tenant(tenant_id(db, slug)) as session:
        return th.load(session)


def test_the_form_shows_the_levels_in_use(api_as, world) -> None:
    page = api_as(world.supervisor_a).get("/wallboard/settings")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "颜色阈值" in html
    assert 'name="amber_service_level" value="80"' in html and 'name="red_waiting" value="8"' in html


def test_saving_valid_levels_stores_them_for_the_tenant(api_as, world, db) -> None:
    client = api_as(world.supervisor_a)
    response = client.client.post("/wallboard/settings", data=form(client, {"amber_waiting": "2", "red_waiting": "5",
                                                                           "amber_service_level": "90%"}))
    assert response.status_code == 302 and "saved=1" in response.headers["Location"]
    levels = stored(db, world.tenant_a)
    assert levels.levels("waiting") == th.Levels(2, 5)
    assert levels.levels("service_level") == th.Levels(90, 60)
    assert "已保存" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_amber_above_red_is_refused_with_the_reason_and_the_typed_values_kept(api_as, world, db) -> None:
    client = api_as(world.supervisor_a)
    before = stored(db, world.tenant_a).levels("longest_wait")
    response = client.client.post("/wallboard/settings", data=form(client, {
        "amber_longest_wait": "90", "red_longest_wait": "60", "amber_service_level": "50", "red_asa": "abc"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "未保存：请修改标出的字段。" in html
    assert "黄色阈值必须低于红色阈值（数值越高越差）。" in html
    assert "黄色阈值必须高于红色阈值（数值越低越差）。" in html
    assert "不是有效的数字。" in html
    assert 'name="amber_longest_wait" value="90"' in html and 'name="red_asa" value="abc"' in html
    assert stored(db, world.tenant_a).levels("longest_wait") == before


def test_an_overlong_entry_is_refused_and_kept(api_as, world) -> None:
    client = api_as(world.supervisor_a)
    response = client.client.post("/wallboard/settings", data=form(client, {"red_asa": "9" * 30}))
    assert response.status_code == 422
    assert "不是有效的数字。" in response.get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused(api_as, world) -> None:
    client = api_as(world.supervisor_a)
    data = form(client, {})
    del data["csrf_token"]
    assert client.client.post("/wallboard/settings", data=data).status_code == 400


def test_a_queue_gets_its_own_levels_and_empty_ones_follow_the_tenant(api_as, world, db) -> None:
    client = api_as(world.supervisor_a)
    data = {f"{level}_{metric}": "" for metric in th.METRICS for level in ("amber", "red")}
    data.update({"csrf_token": client.token, "amber_waiting": "1", "red_waiting": "2"})
    response = client.client.post("/wallboard/settings?queue=vip", data=data)
    assert response.status_code == 302
    levels = stored(db, world.tenant_a)
    assert levels.levels("waiting", "vip") == th.Levels(1, 2)
    assert levels.levels("asa", "vip") == levels.levels("asa")
    assert "placeholder=\"继承" in client.get("/wallboard/settings?queue=vip").get_data(as_text=True)


def test_an_unknown_queue_is_404(api_as, world) -> None:
    assert api_as(world.supervisor_a).get("/wallboard/settings?queue=nope").status_code == 404


def test_a_supervisor_of_a_cannot_change_bs_levels(api_as, world, db) -> None:
    client = api_as(world.supervisor_a)
    before = stored(db, world.tenant_b).levels("waiting")
    response = client.client.post(f"/wallboard/settings?tenant={world.tenant_b}",
                                  data=form(client, {"amber_waiting": "1", "red_waiting": "2"}))
    assert response.status_code == 404
    assert stored(db, world.tenant_b).levels("waiting") == before


def test_english_on_request(api_as, world) -> None:
    html = api_as(world.supervisor_a).get("/wallboard/settings?lang=en").get_data(as_text=True)
    assert "Colour thresholds" in html and "Amber at" in html
