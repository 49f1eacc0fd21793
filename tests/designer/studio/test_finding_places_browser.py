"""Where a finding is, in the user's words, in headless Chromium: the findings panel and the refused publish's list
read a form's finding as "Schema › Properties › phone › Format" (JSON-Schema words in English, even in Chinese).
Each kind's place now names its field, node, rule or page by label, counts from 1, in Chinese and in English, with
no console error."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import open_designer, sign_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

IVR = {
    "title": "位置", "start": "main_menu", "fallback": "bye",
    "nodes": {
        "main_menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "请按键"},
                      "options": {"1": "bye", "9": "gone"}, "fallback": "bye"},
        "bye": {"type": "hangup", "label": "再见", "prompt": {"text": "再见"}},
    },
}
DISPATCH = {"title": "规则", "rules": [
    {"name": "vip", "label": "投诉升级", "event": "ticket.created", "forms": ["nosuch"],
     "actions": [{"type": "assign", "target": "group", "name": "couriers"}]}]}


def form_body(api) -> dict:
    """The template's complaint form with its phone field's format set to one forms do not have."""
    body = copy.deepcopy(api.get("/api/documents/form/complaint").get_json()["draft"])
    body["schema"]["properties"]["phone"]["format"] = "phone"
    return body


def outbound_body(api) -> dict:
    """The template's return visit whose first page goes on to a page that does not exist."""
    body = copy.deepcopy(api.get("/api/documents/outbound/return_visit").get_json()["draft"])
    body["pages"]["greeting"]["next"] = "nowhere"
    return body


#: kind, the body (from the analyst's API), the finding's pointer, its place in Chinese and in English.
CASES = [
    ("form", form_body, "/schema/properties/phone/format", "「联系电话」字段 › 格式", "the “联系电话” field › format"),
    ("ivr", lambda api: IVR, "/nodes/main_menu/options/9", "主菜单 (main_menu) › 按键 9", "主菜单 (main_menu) › key 9"),
    ("dispatch", lambda api: DISPATCH, "/rules/0/forms/0", "「投诉升级」规则 › 适用表单 1",
     "the “投诉升级” rule › form 1"),
    ("outbound", outbound_body, "/pages/greeting/next", "「开场确认」页面 › 下一页", "the “开场确认” page › next page"),
]

#: What a place never shows: JSON-Schema structure words, a pointer, a list item counted from 0.
RAW = re.compile(r"\b(?:[Ss]chema|[Pp]roperties|[Ii]tems|allOf|anyOf|oneOf)\b|/| 0\b")


@pytest.fixture
def page_errors(page):
    """Console errors and uncaught exceptions, but for the refused publish's own answer (a 422 by design)."""
    errors: list[str] = []

    def on_console(message) -> None:
        url = message.location.get("url", "")
        refused = "422" in message.text and "/publish" in url
        if message.type == "error" and not refused and not url.endswith("/favicon.ico"):
            errors.append(f"{message.text} {url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("kind", "make", "pointer", "zh", "en"), CASES, ids=[c[0] for c in CASES])
def test_a_findings_place_names_the_field_node_rule_or_page_by_its_label(
        studio_app, serve, page, world: World, api_as, page_errors, kind: str, make, pointer: str, zh: str, en: str,
        lang: str) -> None:
    api = api_as(world.analyst_a)
    name = f"places_{kind}_{lang}"
    response = api.post("/api/documents", {"kind": kind, "name": name, "body": make(api)})
    assert response.status_code == 201, response.get_json()
    page.set_viewport_size({"width": 1366, "height": 768})
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, kind, name)
    use_language(page, lang)
    expected = zh if lang == "zh" else en

    finding = page.locator(f'[data-testid=finding][data-pointer="{pointer}"]')
    expect(finding.locator(".where")).to_have_text(expected)
    for where in page.locator("[data-testid=findings] .where").all_inner_texts():
        assert not RAW.search(where), where

    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-confirm").click()
    result = page.get_by_test_id("publish-result")
    expect(result).to_contain_text("发布被拒绝" if lang == "zh" else "Publishing was refused")
    expect(result.locator("li a", has_text=expected)).to_have_count(1)
    for where in result.locator("li a").all_inner_texts():
        assert not RAW.search(where), where
    assert page_errors == []
