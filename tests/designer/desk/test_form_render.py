"""render_ticket_form: the HTML the desk and the studio's form preview share (no request needed)."""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup

from hotline.designer.desk.form_render import field_values, render_ticket_form

FORM = json.loads((Path(__file__).resolve().parents[3] / "tenant_templates" / "express_delivery" / "form"
                   / "pickup_order.json").read_text())


def test_a_form_document_renders_every_field_in_order_with_labels_help_and_required_marks() -> None:
    html = render_ticket_form(FORM)
    assert isinstance(html, Markup)
    positions = [html.index(f'data-field="{name}"') for name in FORM["ui"]["order"]]
    assert positions == sorted(positions)
    assert "取件地址" in html and "输入街道、小区或写字楼关键字" in html
    assert html.count('class="tf-req"') == len(FORM["schema"]["required"])
    assert 'data-lookup-for="address"' in html  # where the desk shows the covering couriers


def test_data_fills_the_fields_and_errors_show_under_them_escaped() -> None:
    html = render_ticket_form(FORM, {"phone": "13800138000", "remark": "<b>urgent</b>"},
                              {"phone": ["does not match"], "": ["whole form"]})
    assert 'value="13800138000"' in html
    assert "&lt;b&gt;urgent&lt;/b&gt;" in html and "<b>urgent</b>" not in html
    assert 'id="phone-errors"><li>does not match</li>' in html
    assert 'class="tf-form-errors" role="alert">whole form' in html


def test_read_only_views_show_option_titles() -> None:
    shown = dict(field_values(FORM, {"parcel_type": "document", "payment": "monthly", "phone": "1"}))
    assert shown == {"物品类型": "文件", "付款方式": "月结", "寄件人电话": "1"}
