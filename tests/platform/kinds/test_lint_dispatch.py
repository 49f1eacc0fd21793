"""Dispatch lint: the fixture documents and the rules' view of forms and events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.dispatch import lint as dispatch_lint
from hotline.platform.kinds.lint import lint
from hotline.platform.kinds.validation import schema

from .conftest import assert_clean, assert_expected_findings, documents


@pytest.mark.parametrize("path", documents("bad", "dispatch"), ids=lambda p: p.stem)
def test_bad_dispatch_reports_each_expected_finding(path: Path) -> None:
    assert_expected_findings(path)


@pytest.mark.parametrize("path", documents("good", "dispatch"), ids=lambda p: p.stem)
def test_good_dispatch_lints_clean(path: Path) -> None:
    assert_clean(path)


def codes(findings: list[Any]) -> list[tuple[str, str, str]]:
    return [(f.pointer, f.code, f.severity) for f in findings]


def one_rule(**rule: Any) -> dict[str, Any]:
    return {"rules": [{"name": "r", **rule}]}


def test_events_are_call_ticket_or_neither() -> None:
    events = set(schema("dispatch")["$defs"]["rule"]["properties"]["event"]["enum"])
    assert events - {"callback.due"} == dispatch_lint.CALL_EVENTS | dispatch_lint.TICKET_EVENTS


def test_without_forms_a_ticket_operand_may_be_a_field_of_any_form(ctx: LintContext) -> None:
    body = one_rule(event="ticket.created",
                    when={"all": [{"field": "ticket.address", "op": "exists"},
                                  {"field": "ticket.waybill", "op": "exists"},
                                  {"field": "ticket.overdue", "op": "eq", "value": True}]},
                    actions=[{"type": "assign", "target": "group", "name": "qa"}])
    assert lint("dispatch", body, ctx) == []
    body["rules"][0]["forms"] = ["pickup"]
    assert codes(lint("dispatch", body, ctx)) == [("/rules/0/when/all/1/field", "unknown-field", "error")]


def test_set_status_missing_from_some_forms_is_a_warning(ctx: LintContext) -> None:
    body = one_rule(event="ticket.updated", actions=[{"type": "set_status", "status": "closed"}])
    assert codes(lint("dispatch", body, ctx)) == [("/rules/0/actions/0/status", "unknown-status", "warning")]
    body["rules"][0]["forms"] = ["complaint"]
    assert lint("dispatch", body, ctx) == []


def test_forms_on_a_call_event_are_warned(ctx: LintContext) -> None:
    body = one_rule(event="call.entered_queue", forms=["pickup"],
                    actions=[{"type": "route_to_queue", "queue": "general"}])
    assert codes(lint("dispatch", body, ctx)) == [("/rules/0/forms", "forms-not-for-event", "warning")]


def test_unknown_forms_do_not_cascade_into_field_errors(ctx: LintContext) -> None:
    body = one_rule(event="ticket.created", forms=["repairs"], when={"field": "ticket.flat", "op": "exists"},
                    actions=[{"type": "set_fields", "fields": {"flat": "1"}}])
    assert codes(lint("dispatch", body, ctx)) == [("/rules/0/forms/0", "unknown-form", "error")]


def test_callback_due_takes_call_and_ticket_actions(ctx: LintContext) -> None:
    body = one_rule(event="callback.due", actions=[{"type": "route_to_queue", "queue": "general"},
                                                   {"type": "assign", "target": "agent", "name": "li"}])
    assert lint("dispatch", body, ctx) == []


@pytest.mark.parametrize(("first", "second", "shadowed"), [
    ({}, {}, True),
    ({"when": {"field": "customer.vip", "op": "eq", "value": True}}, {}, False),
    ({"enabled": False}, {}, False),
    ({"stop": False}, {}, False),
    ({"forms": ["pickup"]}, {"forms": ["complaint"]}, False),
    ({"forms": ["pickup", "complaint"]}, {"forms": ["complaint"]}, True),
    ({"forms": ["pickup"]}, {}, False),
    ({}, {"event": "ticket.updated"}, False),
])
def test_shadowed_rules(first: dict[str, Any], second: dict[str, Any], shadowed: bool, ctx: LintContext) -> None:
    action = [{"type": "assign", "target": "group", "name": "qa"}]
    body = {"rules": [{"name": "a", "event": "ticket.created", "stop": True, "actions": action, **first},
                      {"name": "b", "event": "ticket.created", "actions": action, **second}]}
    expected = [("/rules/1", "shadowed-rule", "warning")] if shadowed else []
    assert codes(lint("dispatch", body, ctx)) == expected


def test_template_names_are_checked_like_operands(ctx: LintContext) -> None:
    body = one_rule(event="ticket.created", forms=["pickup"], actions=[
        {"type": "notify", "channel": "sms", "to": "{{ticket.phone}}", "text": "{{ticket.adress}} {{anything}}"}])
    assert codes(lint("dispatch", body, ctx)) == [("/rules/0/actions/0/text", "unknown-field", "error")]


def test_template_fields_are_the_schemas_template_fields() -> None:
    # A template field added to an action in the schema must not escape the template check.
    defs = schema("dispatch")["$defs"]
    for action in defs["action_base"]["properties"]["type"]["enum"]:
        templates = {k for k, v in defs[action]["properties"].items() if v.get("$ref", "").endswith("/template")}
        assert templates == set(dispatch_lint.TEMPLATE_FIELDS.get(action, ())), action


def test_more_rules_than_a_dry_run_takes_is_warned_before_trying() -> None:
    """试运行规则 refuses a draft of more than TRIAL_RULES rules; the designer says so while editing."""
    from hotline.platform.kinds.wording import in_words

    rule = {"event": "ticket.created", "actions": [{"type": "set_status", "status": "closed"}]}
    body = {"rules": [{"name": f"r{i}", **rule} for i in range(dispatch_lint.TRIAL_RULES + 1)]}
    found = [f for f in lint("dispatch", body, LintContext()) if f.code == "too-many-to-try"]
    assert codes(found) == [("/rules", "too-many-to-try", "warning")]
    (zh,) = in_words(found, "dispatch", body, "zh_CN")
    assert zh.message == (f"规则有 {dispatch_lint.TRIAL_RULES + 1} 条，试运行最多 {dispatch_lint.TRIAL_RULES} 条："
                          "删减或合并规则，才能试运行")
    body["rules"].pop()
    assert not [f for f in lint("dispatch", body, LintContext()) if f.code == "too-many-to-try"]


def test_findings_come_in_document_order_not_text_order() -> None:
    """QA 16 findings, item 6: /rules/10 sorted before /rules/2 (text order), so 规则 11 came before 规则 3."""
    rules = [{"name": f"r{i}", "event": "ticket.created", "actions": [{"type": "assign"}]} for i in range(12)]
    from hotline.platform.kinds.lint import check

    found = check("dispatch", {"rules": rules}, LintContext())
    numbers = [int(f.pointer.split("/")[2]) for f in found if f.pointer.startswith("/rules/")]
    assert numbers == sorted(numbers) and len(set(numbers)) == 12
    rules = [dict(r, actions=[{"type": "set_status", "status": "nowhere"}]) for r in rules]
    ctx = LintContext(forms={"f": dispatch_lint.FormInfo(frozenset({"a"}), frozenset({"open"}))})
    found = lint("dispatch", {"rules": rules}, ctx)
    numbers = [int(f.pointer.split("/")[2]) for f in found if f.pointer.startswith("/rules/")]
    assert numbers == sorted(numbers) and len(set(numbers)) == 12


def _complaint_with_categories() -> LintContext:
    """The tenant with a complaint form whose category has labelled options (services/lint_context.form_info)."""
    from hotline.platform.kinds.context import FormInfo, field_options
    ctx = LintContext(queues={"general"})
    ctx.forms["complaint"] = FormInfo(
        frozenset({"category", "tags", "content"}), frozenset({"pending"}),
        field_options({"category": {"type": "string", "title": "投诉类别",
                                    "oneOf": [{"const": "attitude", "title": "服务态度"},
                                              {"const": "delay", "title": "延误"}]},
                       "tags": {"type": "array", "title": "标签", "items": {"enum": ["a", "b"]}},
                       "content": {"type": "string", "title": "内容"}}))
    return ctx


def test_a_value_that_is_not_an_option_of_its_field_is_an_error_in_words() -> None:
    """QA: `category == "attitud"` passed the lint and the rule never fired. Named by rule label (else counted
    from 1), field title, the value typed and the options' labels, in both languages."""
    from hotline.platform.kinds.wording import in_words
    ctx = _complaint_with_categories()
    body = {"rules": [
        {"name": "ok", "event": "ticket.created",
         "when": {"any": [{"field": "ticket.category", "op": "eq", "value": "attitude"},
                          {"field": "ticket.content", "op": "eq", "value": "whatever"},
                          {"field": "ticket.status", "op": "eq", "value": "pending"}]},
         "actions": [{"type": "assign", "target": "group", "name": "qa"}]},
        {"name": "typo", "label": "态度投诉", "event": "ticket.created",
         "when": {"all": [{"field": "ticket.category", "op": "eq", "value": "attitud"}]},
         "actions": [{"type": "assign", "target": "group", "name": "qa"}]},
        {"name": "list", "event": "ticket.updated",
         "when": {"not": {"field": "ticket.category", "op": "in", "value": ["delay", "late"]}},
         "actions": [{"type": "assign", "target": "group", "name": "qa"}]},
    ]}
    found = lint("dispatch", body, ctx)
    assert codes(found) == [("/rules/1/when/all/0/value", "not-an-option", "error"),
                            ("/rules/2/when/not/value/1", "not-an-option", "error")]
    zh = [f.message for f in in_words(found, "dispatch", body, "zh_CN")]
    assert zh[0] == ("规则「态度投诉」的条件把字段「投诉类别」与「attitud」比较，"
                     "但「attitud」不是它的选项（「服务态度」、「延误」）：从这些选项中选择")
    assert zh[1].startswith("规则 3 的条件把字段「投诉类别」与「late」比较")
    en = [f.message for f in in_words(found, "dispatch", body, "en")]
    assert en[0] == ("The condition of rule “态度投诉” compares the field “投诉类别” to “attitud”, which is not one of "
                     "its options (“服务态度”, “延误”): choose one of them")
    assert en[1].startswith("The condition of rule 3 compares")
