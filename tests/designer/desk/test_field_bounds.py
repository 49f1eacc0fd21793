"""A bounded desk field says its bound in the page's language (QA fix-forms #1): phone formats, number ranges,
minimum lengths, and the browser's own validity messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask

from hotline.designer.desk.form_render import render_ticket_form
from hotline.platform.db import Database
from tests.designer.conftest import PASSWORD

from ..console_guard import watch
from .conftest import DeskWorld

FORMS = Path(__file__).resolve().parents[3] / "tenant_templates" / "express_delivery" / "form"
HINTS = {"zh_CN": {"phone": "7–20 位数字，可以 + 开头", "mobile": "11 位手机号", "weight": "范围 0.1–300",
                   "least": "0/200 字（上限），至少 4 字"},
         "en": {"phone": "7–20 digits, an optional leading +", "mobile": "11-digit mobile number",
                "weight": "Between 0.1 and 300", "least": "0/200 characters at most, at least 4"}}


def _field(html: str, name: str) -> str:
    """The markup of one field: from its block to the next field's."""
    found = re.search(rf'<div class="tf-field[^"]*" data-field="{name}">.*?(?=<div class="tf-field|$)', html, re.S)
    assert found, html
    return found.group(0)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_phone_range_and_minimum_are_said_under_the_fields(app: Flask, lang: str) -> None:
    body = json.loads((FORMS / "pickup_order.json").read_text("utf-8"))
    with app.test_request_context(f"/?lang={lang}"):
        html = str(render_ticket_form(body, {}))
    words = HINTS[lang]
    phone = _field(html, "phone")
    assert words["phone"] in phone and 'maxlength="21"' in phone
    courier = _field(html, "courier_phone")
    assert words["mobile"] in courier and 'maxlength="11"' in courier
    assert words["weight"] in _field(html, "weight_kg")
    address = _field(html, "address")
    assert 'minlength="4"' in address
    assert words["least"] in re.sub(r"<[^>]+>", "", address), address


VALIDITY = {"zh_CN": {"short": "请至少输入 4 个字", "over": "不能大于 300"},
            "en": {"short": "Use at least 4 characters", "over": "Must be at most 300"}}


@pytest.mark.browser
@pytest.mark.redis
@pytest.mark.parametrize(("lang", "width", "height"), [("zh_CN", 1366, 768), ("en", 390, 844)])
def test_the_browser_validity_messages_are_in_the_page_language(
        desk_app, desk_world: DeskWorld, db: Database, serve, page, lang: str, width: int, height: int) -> None:
    errors = watch(page)
    page.set_viewport_size({"width": width, "height": height})
    base = serve(desk_app)
    page.goto(f"{base}/login?next=/desk/%3Flang%3D{lang}")
    page.fill("input[name=username]", desk_world.agent)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/?lang={lang}")
    page.goto(f"{base}/desk/tickets/new/pickup_order")
    words = VALIDITY[lang]
    address = page.locator("#ticket-form [name=address]")
    address.click()
    page.keyboard.type("北京")
    message = address.evaluate("el => el.validationMessage")
    assert words["short"] in message and "Please" not in message, message
    weight = page.locator("#ticket-form [name=weight_kg]")
    weight.fill("500")
    message = weight.evaluate("el => (el.checkValidity(), el.validationMessage)")
    assert words["over"] in message, message
    assert HINTS[lang]["mobile"] in page.locator("#ticket-form").inner_text()
    assert errors == [], errors
