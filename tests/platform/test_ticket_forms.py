"""Generated ticket forms: every template form becomes a WTForms class, typed input becomes ticket data, and
errors land on their field while what was typed stays."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import fields

from hotline.platform import ticket_forms
from hotline.platform.ticket_forms import build_form_class, field_specs, form_class

TEMPLATES = Path(__file__).resolve().parents[2] / "tenant_templates"
FORMS = sorted(TEMPLATES.glob("*/form/*.json"))


def load(template: str, name: str) -> dict[str, Any]:
    return json.loads((TEMPLATES / template / "form" / f"{name}.json").read_text())


@pytest.fixture
def pickup() -> dict[str, Any]:
    return load("express_delivery", "pickup_order")


GOOD_PICKUP = {"phone": "13800138000", "address": "北京市朝阳区望京SOHO T1", "pickup_time": "今天18:00前",
               "parcel_type": "document", "weight_kg": "1.5", "payment": "monthly"}


def submit(form_doc: dict[str, Any], values: dict[str, Any], **kwargs: Any) -> ticket_forms.TicketForm:
    return build_form_class(form_doc)(MultiDict(values), **kwargs)


@pytest.mark.parametrize("path", FORMS, ids=[f"{p.parts[-3]}/{p.stem}" for p in FORMS])
def test_every_template_form_builds_a_class_with_all_fields_in_ui_order(path: Path) -> None:
    doc = json.loads(path.read_text())
    form = build_form_class(doc)()
    order = doc.get("ui", {}).get("order", [])
    names = [f.name for f in form]
    assert set(names) == set(doc["schema"]["properties"])
    assert names[:len(order)] == order
    html = "".join(str(f()) for f in form)
    assert "name=" in html


def test_field_types_widgets_and_hints_follow_the_document(pickup: dict[str, Any]) -> None:
    form = build_form_class(pickup)()
    assert isinstance(form.pickup_time, fields.SelectField)
    assert isinstance(form.parcel_type, fields.RadioField)
    assert isinstance(form.remark, fields.TextAreaField)
    assert isinstance(form.weight_kg, fields.FloatField)
    assert form.payment.data == "sender"  # the schema's default
    assert form.address.label.text == "取件地址"
    assert "快递员" in form.address.description  # ui help text
    phone = str(form.phone())
    assert 'type="tel"' in phone and "required" in phone
    assert "readonly" in str(form.courier_phone())
    assert 'data-directory="couriers"' in str(form.courier())
    assert [c.label.text for c in form.parcel_type][:2] == ["文件", "日用品"]


def test_valid_input_becomes_typed_ticket_data_without_empty_fields(pickup: dict[str, Any]) -> None:
    form = submit(pickup, GOOD_PICKUP)
    assert form.validate_document(), form.field_errors()
    assert form.to_data() == {"phone": "13800138000", "address": "北京市朝阳区望京SOHO T1",
                              "pickup_time": "今天18:00前", "parcel_type": "document", "weight_kg": 1.5,
                              "payment": "monthly", "source": "phone"}  # a default counts as chosen


def test_invalid_input_keeps_what_was_typed_and_names_each_field(pickup: dict[str, Any]) -> None:
    typed = {**GOOD_PICKUP, "phone": "call me", "weight_kg": "heavy", "address": "北京", "pickup_time": ""}
    form = submit(pickup, typed)
    assert not form.validate_document()
    errors = form.field_errors()
    assert set(errors) == {"phone", "weight_kg", "address", "pickup_time"}
    assert "pattern" in errors["phone"][0]
    assert errors["weight_kg"] == ["Not a valid float value."]  # no second, noisier range error
    assert 'value="call me"' in str(form.phone())
    assert 'value="heavy"' in str(form.weight_kg())
    assert 'value="北京"' in str(form.address())


def test_out_of_range_numbers_and_unknown_choices_are_refused(pickup: dict[str, Any]) -> None:
    form = submit(pickup, {**GOOD_PICKUP, "weight_kg": "500", "pickup_time": "半夜"})
    assert not form.validate_document()
    assert set(form.field_errors()) == {"weight_kg", "pickup_time"}


def test_empty_optional_number_boxes_are_no_value_not_bad_numbers(pickup: dict[str, Any]) -> None:
    form = submit(pickup, {**GOOD_PICKUP, "weight_kg": ""})  # what a browser posts for an empty box
    assert form.validate_document(), form.field_errors()
    assert "weight_kg" not in form.to_data()


def test_optional_radio_left_empty_is_not_an_invalid_choice(pickup: dict[str, Any]) -> None:
    typed = {k: v for k, v in GOOD_PICKUP.items() if k != "parcel_type"}
    form = submit(pickup, typed)
    assert form.validate_document(), form.field_errors()
    assert "parcel_type" not in form.to_data()


def test_the_json_pass_catches_what_wtforms_cannot_express(pickup: dict[str, Any]) -> None:
    doc = copy.deepcopy(pickup)
    doc["schema"]["properties"]["destination"]["format"] = "email"  # a format WTForms was not told about
    form = submit(doc, {**GOOD_PICKUP, "destination": "not-an-email"})
    assert not form.validate_document()
    assert form.field_errors() == {"destination": ["is not a valid email"]}


def test_form_wide_json_errors_have_a_place_of_their_own(pickup: dict[str, Any]) -> None:
    doc = copy.deepcopy(pickup)
    doc["schema"]["minProperties"] = 20  # no field owns this rule
    form = submit(doc, GOOD_PICKUP)
    assert not form.validate_document()
    assert list(form.field_errors()) == [""]


def test_booleans_arrays_integers_and_datetimes_round_trip() -> None:
    doc = {
        "title": "t", "statuses": [{"name": "open", "label": "o", "color": "#000000", "initial": True}],
        "transitions": [],
        "schema": {"type": "object", "required": ["tags"], "properties": {
            "urgent": {"type": "boolean", "title": "Urgent"},
            "tags": {"type": "array", "title": "Tags", "items": {"type": "integer", "enum": [1, 2, 3]}},
            "count": {"type": "integer", "title": "Count", "minimum": 1},
            "when": {"type": "string", "title": "When", "format": "date-time"},
        }},
    }
    form = submit(doc, {"urgent": "y", "tags": ["1", "3"], "count": "2", "when": "2026-11-30T14:30"},
                  timezone="Asia/Shanghai")
    assert form.validate_document(), form.field_errors()
    assert form.to_data() == {"urgent": True, "tags": [1, 3], "count": 2, "when": "2026-11-30T14:30:00+08:00"}
    shown = build_form_class(doc)(data=form.to_data(), timezone="Asia/Shanghai")
    assert 'value="2026-11-30T14:30"' in str(shown.when())
    assert shown.urgent.data is True
    missing = submit(doc, {"count": "0"})
    assert not missing.validate_document()
    assert set(missing.field_errors()) == {"tags", "count"}


def test_unchecked_box_is_false_not_missing() -> None:
    doc = load("property_management", "repair_request")
    boolean = next(s.name for s in field_specs(doc) if s.schema["type"] == "boolean")
    form = build_form_class(doc)(MultiDict({}))
    form.validate_document()
    assert boolean not in form.field_errors()
    assert form.to_data()[boolean] is False


def test_classes_are_cached_per_tenant_form_and_version(pickup: dict[str, Any]) -> None:
    ticket_forms.clear_cache()
    first = form_class(pickup, (1, "pickup_order", 3))
    assert form_class(pickup, (1, "pickup_order", 3)) is first
    assert form_class(pickup, (1, "pickup_order", 4)) is not first
    assert form_class(pickup, (2, "pickup_order", 3)) is not first
    assert form_class(pickup) is not form_class(pickup)  # drafts are never cached


def test_data_changes_lists_changed_and_removed_fields() -> None:
    old = {"a": 1, "b": "x", "c": True}
    new = {"a": 1, "b": "y"}
    assert ticket_forms.data_changes(old, new, ["a", "b", "c"]) == {"b": "y", "c": None}
