"""Form lint: the fixture documents and the checks fixtures cannot reach."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.form import lint as form_lint
from hotline.platform.kinds.lint import lint

from .conftest import assert_clean, assert_expected_findings, documents, good_body


@pytest.mark.parametrize("path", documents("bad", "form"), ids=lambda p: p.stem)
def test_bad_form_reports_each_expected_finding(path: Path) -> None:
    assert_expected_findings(path)


@pytest.mark.parametrize("path", documents("good", "form"), ids=lambda p: p.stem)
def test_good_form_lints_clean(path: Path) -> None:
    assert_clean(path)


def codes(findings: list[Any]) -> list[tuple[str, str]]:
    return [(f.pointer, f.code) for f in findings]


def test_a_field_schema_json_schema_rejects_is_reported(ctx: LintContext) -> None:
    # The form schema already refuses this; lint still checks the ticket schema as JSON Schema itself,
    # because agents' forms and ticket validation are generated from it.
    body = good_body("form/complaint")
    body["schema"]["properties"]["content"]["minLength"] = -1
    assert ("/schema/properties/content/minLength", "bad-field-schema") in codes(form_lint.lint(body, ctx))


@pytest.mark.parametrize(("widget", "field", "ok"), [
    ("radio", {"type": "boolean", "title": "Urgent"}, True),
    ("select", {"type": "integer", "title": "Level", "enum": [1, 2]}, True),
    ("checkboxes", {"type": "array", "title": "Tags", "items": {"type": "string"}}, False),
    ("checkbox", {"type": "string", "title": "Agree"}, False),
    ("date", {"type": "integer", "title": "Day"}, False),
    ("hidden", {"type": "number", "title": "Score"}, True),
    ("text", {"type": "number", "title": "Weight"}, True),
])
def test_widget_must_fit_the_field(widget: str, field: dict[str, Any], ok: bool, ctx: LintContext) -> None:
    body = good_body("form/complaint")
    body["schema"]["properties"]["extra"] = field
    body["ui"]["fields"]["extra"] = {"widget": widget}
    expected = [] if ok else [("/ui/fields/extra/widget", "bad-widget")]
    assert codes(lint("form", body, ctx)) == expected


def test_directory_widget_needs_a_directory(ctx: LintContext) -> None:
    body = good_body("form/pickup")
    del body["ui"]["fields"]["courier"]["directory"]
    assert codes(lint("form", body, ctx)) == [("/ui/fields/courier/widget", "bad-widget")]


def test_defaults_are_checked_against_the_whole_field(ctx: LintContext) -> None:
    body = good_body("form/pickup")
    props = body["schema"]["properties"]
    props["extras"]["default"] = ["insurance", "packing"]
    props["address"]["default"] = "No 1"  # shorter than minLength 5
    props["pickup_time"]["default"] = "tomorrow"  # not a date-time
    assert codes(lint("form", body, ctx)) == [("/schema/properties/address/default", "bad-default"),
                                              ("/schema/properties/pickup_time/default", "bad-default")]


def test_every_unreachable_status_is_reported_and_a_missing_final_one_warned(ctx: LintContext) -> None:
    body = good_body("form/pickup")
    for status in body["statuses"]:
        status.pop("final", None)
    body["transitions"] = [{"from": "pending", "to": "processing"}, {"from": "processing", "to": "pending"}]
    found = {(f.pointer, f.code, f.severity) for f in lint("form", body, ctx)}
    assert found == {("/statuses", "no-final-status", "warning"),
                     ("/statuses/2", "unreachable-status", "warning"),
                     ("/statuses/2", "dead-end-status", "warning")}


def test_summary_may_read_ticket_attributes_but_not_unknown_names(ctx: LintContext) -> None:
    body = good_body("form/pickup")
    body["summary"] = "{{ number }} {{ ticket.created_at }} {{ ticket.adress }}"
    assert codes(lint("form", body, ctx)) == [("/summary", "unknown-field")]
    body["summary"] = "{{ number"
    assert codes(lint("form", body, ctx)) == [("/summary", "template-error")]


@pytest.mark.parametrize(("limits", "zh", "en"), [
    ({"type": "string", "minLength": 30, "maxLength": 5},
     "字段「投诉详情」的最少字数（30）大于最多字数（5）",
     "The minimum length (30) of field “投诉详情” is above its maximum length (5)"),
    ({"type": "number", "minimum": 10.5, "maximum": -2},
     "字段「投诉详情」的最小值（10.5）大于最大值（-2）",
     "The minimum (10.5) of field “投诉详情” is above its maximum (-2)"),
    ({"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "minItems": 3, "maxItems": 1},
     "字段「投诉详情」的至少选择的项数（3）大于至多选择的项数（1）",
     "The minimum number of choices (3) of field “投诉详情” is above its maximum number of choices (1)"),
])
def test_impossible_limits_are_an_error_naming_the_field_by_label_and_the_limits_as_the_editor_titles_them(
        ctx: LintContext, limits: dict[str, Any], zh: str, en: str) -> None:
    """QA (fix-nodes item 6): 最少字数 30 with 最多字数 5 must be an error that says which limits, in the editor's
    words (最少字数 / 最多字数, not a generic 最小值), naming the field by its label, numbers as typed."""
    from hotline.platform.kinds.wording import in_words

    body = good_body("form/complaint")
    body["schema"]["properties"]["content"] = {"title": "投诉详情", **limits}
    found = [f for f in form_lint.lint(body, ctx) if f.code == "bad-range"]
    assert len(found) == 1 and found[0].severity == "error", found
    assert in_words(found, "form", body, "zh_CN")[0].message.startswith(zh)
    assert in_words(found, "form", body, "en")[0].message.startswith(en)
