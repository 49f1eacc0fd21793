"""A bounded ticket field says its limit instead of the browser cutting input silently (QA of fix-labels item 5:
the complaint form's 投诉人 stopped at 50 characters without a word): every input or text area of every template
form that carries a maxlength has a visible counter naming the limit, in Chinese and English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask

from hotline.designer.desk.form_render import render_ticket_form

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
