"""Documents built from nothing in the editors validate: an analyst who only clicks, picks and types labels
ends up with a form and an outbound script the schema and the lint accept (required parts the schema
demands come with the first thing added, so no finding asks for something there is no button for)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from tests.designer.conftest import Api, World

pytestmark = pytest.mark.browser


def errors_of(client: Api, kind: str, name: str) -> list[dict]:
    findings = client.post(f"/api/documents/{kind}/{name}/validate", {}).get_json()["findings"]
    return [f for f in findings if f["severity"] == "error"]


def new_document(client: Api, kind: str, title: str) -> str:
    name = f"{kind}_{uuid.uuid4().hex[:6]}"
    assert client.post("/api/documents", {"kind": kind, "name": name, "body": {"title": title}}).status_code == 201
    return name


def wait_saved(page) -> None:
    page.wait_for_function("document.querySelector('[data-testid=save-state]').dataset.state === 'saved'")


def test_a_form_built_from_nothing_validates(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    name = new_document(client, "form", "报修登记")
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/form/{name}")
    page.get_by_test_id("add-field").click()
    page.get_by_test_id("field-label").fill("报修地址")
    page.get_by_test_id("field-widget").select_option("address")
    page.get_by_test_id("add-status").click()
    page.get_by_test_id("add-status").click()
    page.get_by_test_id("status-status_2").get_by_test_id("status-final").check()
    page.get_by_test_id("add-transition").click()
    wait_saved(page)
    assert errors_of(client, "form", name) == []
    body = client.get(f"/api/documents/form/{name}").get_json()["draft"]
    assert body["transitions"] == [{"from": "status", "to": "status_2"}]
    assert [s.get("initial", False) for s in body["statuses"]] == [True, False]


def test_an_outbound_script_built_from_nothing_validates(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    name = new_document(client, "outbound", "满意度回访")
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/outbound/{name}")
    page.get_by_test_id("add-page").click()
    page.get_by_test_id("page-say").fill("您好，{{contact.name}}，请对本次服务打分。")
    page.get_by_test_id("add-question").click()
    page.get_by_test_id("question-type").select_option("rating")
    page.get_by_test_id("add-disposition").click()
    page.get_by_test_id("page-disposition").select_option("result")
    page.get_by_test_id("add-window").click()
    wait_saved(page)
    assert errors_of(client, "outbound", name) == []
    body = client.get(f"/api/documents/outbound/{name}").get_json()["draft"]
    assert body["start"] == "page" and body["pages"]["page"]["disposition"] == "result"
    assert body["pages"]["page"]["questions"] == [{"name": "question", "label": "新问题", "type": "rating",
                                                   "min": 1, "max": 5}]
    assert len(body["dialing"]["windows"]) == 2
