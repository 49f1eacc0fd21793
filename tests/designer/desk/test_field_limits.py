"""A bounded input on the desk says its limit instead of the browser cutting input silently (QA of fix-labels
item 5: the complaint form's 投诉人 stopped at 50 characters without a word): every input or text area of every
template form that carries a maxlength has a visible counter naming the limit, in Chinese and English — and so do
the ticket's notes, the outbound script's answers and the pop's add-customer form (one counter: desk/counter.py
and static/desk/counter.js), live in Debian's chromium as the agent types to the limit."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from hotline.designer.desk.form_render import render_ticket_form
from hotline.platform.db import Database
from hotline.platform.services import tickets
from tests.designer.conftest import PASSWORD

from ..console_guard import watch
from .conftest import Browser, DeskWorld, tenant_id
from .test_script_runner import answered_call

TEMPLATES = Path(__file__).resolve().parents[3] / "tenant_templates"
FORMS = sorted(TEMPLATES.glob("*/form/*.json"))


@pytest.mark.parametrize(("lang", "word"), [("zh_CN", "字（上限）"), ("en", "characters at most")])
def test_the_complainant_field_shows_its_limit(app: Flask, lang: str, word: str) -> None:
    body = json.loads((TEMPLATES / "express_delivery" / "form" / "complaint.json").read_text("utf-8"))
    with app.test_request_context(f"/?lang={lang}"):
        html = str(render_ticket_form(body, {"complainant": "张三"}))
    field = re.search(r'<div class="tf-field[^"]*" data-field="complainant">.*?</div>', html, re.S)
    assert field, html
    assert 'maxlength="50"' in field.group(0)
    assert f'<span data-count-used>2</span>/50 {word}' in field.group(0)


@pytest.mark.parametrize("path", FORMS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_bounded_input_of_every_template_form_has_a_counter(app: Flask, path: Path) -> None:
    body = json.loads(path.read_text("utf-8"))
    with app.test_request_context("/"):
        html = str(render_ticket_form(body))
    for control in re.finditer(r'<(input|textarea)\b[^>]*\bid="([^"]+)"[^>]*\bmaxlength="\d+"', html):
        assert f'data-count-for="{control.group(2)}"' in html, control.group(0)


WORDS = {"zh_CN": "字（上限）", "en": "characters at most"}
PICKUP = {"phone": "13800138000", "address": "北京市朝阳区望京SOHO T1", "pickup_time": "今天18:00前",
          "parcel_type": "document", "weight_kg": 1.5, "payment": "sender", "source": "phone"}


def _controls_without_counter(html: str) -> list[str]:
    """Every bounded input or text area of the page whose counter is missing (by its id, or the whole tag)."""
    missing = []
    for control in re.finditer(r'<(input|textarea)\b[^>]*\bmaxlength="\d+"[^>]*>', html):
        found = re.search(r'\bid="([^"]+)"', control.group(0))
        if found is None or f'data-count-for="{found.group(1)}"' not in html:
            missing.append(control.group(0))
    return missing


def _pickup_ticket(db: Database, desk_world: DeskWorld) -> str:
    with db.tenant(tenant_id(db, desk_world.world.tenant_a)) as session:
        return tickets.create(session, "pickup_order", dict(PICKUP), desk_world.agent).number


@pytest.mark.redis
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_ticket_notes_show_their_limits(db: Database, desk_world: DeskWorld,
                                            browser_as: Callable[..., Browser], lang: str) -> None:
    number = _pickup_ticket(db, desk_world)
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    html = desk.get(f"/desk/tickets/{number}?lang={lang}").get_data(as_text=True)
    assert re.search(r'<input name="note" id="response-note" maxlength="500"', html), html
    assert re.search(r'<textarea name="note" id="transition-note"[^>]*maxlength="1000"', html)
    assert f'<span data-count-used>0</span>/500 {WORDS[lang]}' in html
    assert f'<span data-count-used>0</span>/1000 {WORDS[lang]}' in html
    assert _controls_without_counter(html) == []


@pytest.mark.redis
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_outbound_answers_show_their_limit(db: Database, desk_world: DeskWorld,
                                               browser_as: Callable[..., Browser], lang: str) -> None:
    from hotline.platform.services import ticket_desk
    with db.platform() as session:
        extension = ticket_desk.extension_of(session, desk_world.agent_id, create=True)
    attempt, _ = answered_call(db, tenant_id(db, desk_world.world.tenant_a), extension)
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    desk.get(f"/desk/outbound/{attempt}?lang={lang}")
    later = desk.post(f"/desk/outbound/{attempt}", {"page": "greeting", "answers": "{}", "action": "next",
                                                    "reached": "self", "convenient": "later"})
    html = later.get_data(as_text=True)
    assert 'id="answer-callback_time" maxlength="500"' in html, html
    assert f'<span data-count-used>0</span>/500 {WORDS[lang]}' in html
    assert _controls_without_counter(html) == []


@pytest.mark.redis
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_add_customer_form_shows_its_limits(desk_world: DeskWorld, browser_as: Callable[..., Browser],
                                                lang: str) -> None:
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    phone = "139" + str(uuid.uuid4().int)[:8]
    html = desk.get(f"/desk/pop?phone={phone}&partial=1&lang={lang}").get_data(as_text=True)
    assert 'class="add-customer"' in html
    assert f'<span data-count-used>0</span>/200 {WORDS[lang]}' in html  # the name
    assert f'<span data-count-used>0</span>/2000 {WORDS[lang]}' in html  # the note
    # the phones were the one unbounded input of the form: bounded now, counted, and refused past the limit
    assert f'<span data-count-used>{len(phone)}</span>/500 {WORDS[lang]}' in html
    too_many = desk.post("/desk/customers", {"name": "甲", "phones": "\n".join([phone] * 50), "partial": "1"})
    assert too_many.status_code == 422 and 'data-count-used>599</span>/500' in too_many.get_data(as_text=True)
    assert _controls_without_counter(html) == []
    refused = desk.post("/desk/customers", {"name": "", "phones": phone, "address": "上海市浦东新区",
                                            "partial": "1"}).get_data(as_text=True)
    assert '<span data-count-used>7</span>/1000' in refused  # what was typed, counted


def _type_to_the_limit(page, selector: str, most: int, word: str) -> None:
    """Types past the limit: the browser keeps `most` characters and the counter says so, marked full."""
    page.fill(selector, "")
    page.locator(selector).press_sequentially("好" * 3)
    control_id = page.get_attribute(selector, "id")
    counter = f"[data-count-for='{control_id}']"
    assert page.inner_text(counter).replace("\n", " ").strip() == f"3/{most} {word}"
    page.fill(selector, "好" * (most - 1))
    page.locator(selector).press_sequentially("好好")  # one more than fits
    assert len(page.input_value(selector)) == most
    assert page.inner_text(counter).replace("\n", " ").strip() == f"{most}/{most} {word}"
    assert "tf-count-full" in (page.get_attribute(counter, "class") or "")
    assert page.evaluate("(c) => { const r = document.querySelector(c).getBoundingClientRect(); "
                         "return r.width > 0 && r.right <= window.innerWidth + 1; }", counter)


@pytest.mark.browser
@pytest.mark.redis
@pytest.mark.parametrize(("lang", "width", "height"), [("zh_CN", 1366, 768), ("en", 390, 844)])
def test_typing_to_the_limit_shows_the_counter_at_the_limit_in_chromium(
        desk_app, desk_world: DeskWorld, db: Database, serve, page, lang: str, width: int, height: int) -> None:
    errors = watch(page)
    page.set_viewport_size({"width": width, "height": height})
    word = WORDS[lang]
    number = _pickup_ticket(db, desk_world)
    base = serve(desk_app)
    page.goto(f"{base}/login?next=/desk/%3Flang%3D{lang}")
    page.fill("input[name=username]", desk_world.agent)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/?lang={lang}")

    # The generated ticket form (the counter first shipped with it, never run in a browser before).
    page.goto(f"{base}/desk/tickets/new/complaint")
    _type_to_the_limit(page, "#ticket-form [name=complainant]", 50, word)
    # The ticket's response note and status-move note.
    page.goto(f"{base}/desk/tickets/{number}")
    _type_to_the_limit(page, "#response-note", 500, word)
    _type_to_the_limit(page, "#transition-note", 1000, word)
    # The add-customer form of the pop page, and of the workspace's pop panel (loaded by desk.js).
    page.goto(f"{base}/desk/pop?phone=139{str(uuid.uuid4().int)[:8]}")
    _type_to_the_limit(page, ".add-customer [name=name]", 200, word)
    page.goto(f"{base}/desk/")
    page.fill("#manual-pop [name=phone]", "139" + str(uuid.uuid4().int)[:8])
    page.click("#manual-pop button[type=submit]")
    page.wait_for_selector("#pop .add-customer [name=name]")
    _type_to_the_limit(page, "#pop .add-customer [name=name]", 200, word)
    _type_to_the_limit(page, "#pop .add-customer [name=address]", 1000, word)
    # An outbound script's free-text answer (the reschedule page's callback time).
    from hotline.platform.services import ticket_desk
    with db.platform() as session:
        extension = ticket_desk.extension_of(session, desk_world.agent_id, create=True)
    attempt, _ = answered_call(db, tenant_id(db, desk_world.world.tenant_a), extension)
    page.goto(f"{base}/desk/outbound/{attempt}")
    page.check("input[name=reached][value=self]")
    page.check("input[name=convenient][value=later]")
    page.click("#next-page")
    page.wait_for_selector("#script-page[data-page=reschedule]")
    _type_to_the_limit(page, "#answer-callback_time", 500, word)
    assert errors == []
