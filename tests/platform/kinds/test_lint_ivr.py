"""IVR lint: the fixture documents, the node-type registry, and linear behaviour on 10,000 nodes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.ivr import lint as ivr_lint
from hotline.platform.kinds.lint import lint
from hotline.platform.kinds.validation import schema, validate_schema

from .conftest import assert_clean, assert_expected_findings, documents, good_body


@pytest.mark.parametrize("path", documents("bad", "ivr"), ids=lambda p: p.stem)
def test_bad_ivr_reports_each_expected_finding(path: Path) -> None:
    assert_expected_findings(path)


@pytest.mark.parametrize("path", documents("good", "ivr"), ids=lambda p: p.stem)
def test_good_ivr_lints_clean(path: Path) -> None:
    assert_clean(path)


def codes(findings: list[Any]) -> list[tuple[str, str]]:
    return [(f.pointer, f.code) for f in findings]


def small_ivr() -> dict[str, Any]:
    return {"start": "menu", "fallback": "bye", "nodes": {
        "menu": {"type": "menu", "prompt": {"text": "Press 1."}, "options": {"1": "bye"}, "fallback": "bye"},
        "bye": {"type": "hangup"},
    }}


def test_every_node_type_of_the_schema_is_registered() -> None:
    types = set(schema("ivr")["$defs"]["base"]["properties"]["type"]["enum"])
    assert types == set(ivr_lint.NODE_TYPES)


def test_unknown_target_message_names_the_digit_and_the_target(ctx: LintContext) -> None:
    body = small_ivr()
    body["nodes"]["menu"]["options"]["3"] = "complaints"
    [finding] = lint("ivr", body, ctx)
    assert finding.pointer == "/nodes/menu/options/3"
    assert "digit 3" in finding.message and "'complaints'" in finding.message


def test_nodes_reached_only_from_the_fallback_count_as_reachable(ctx: LintContext) -> None:
    body = small_ivr()
    body["fallback"] = "apology"
    body["nodes"]["apology"] = {"type": "play", "prompt": {"text": "Sorry."}, "next": "after_apology"}
    body["nodes"]["after_apology"] = {"type": "hangup"}
    body["nodes"]["orphan"] = {"type": "hangup"}
    assert codes(lint("ivr", body, ctx)) == [("/nodes/orphan", "unreachable")]


def test_no_unreachable_noise_when_start_is_unknown(ctx: LintContext) -> None:
    body = small_ivr()
    body["start"] = "begin"
    assert codes(lint("ivr", body, ctx)) == [("/start", "unknown-target")]


@pytest.mark.parametrize("waiting", [
    {"type": "menu", "prompt": {"text": "Press 1 to hear it again."}, "options": {"1": "say"}, "fallback": "say"},
    {"type": "collect", "prompt": {"text": "Your number?"}, "variable": "n", "next": "say", "fallback": "say"},
    {"type": "queue", "queue": "general", "overflow": "say"},
    {"type": "voicemail", "prompt": {"text": "Leave a message."}, "next": "say"},
    {"type": "callback", "prompt": {"text": "Press 1."}, "queue": "general", "accepted": "say", "declined": "say"},
    {"type": "survey", "prompt": {"text": "Rate us."}, "variable": "s", "next": "say"},
], ids=lambda n: n["type"])
def test_a_loop_through_a_node_that_waits_for_the_caller_is_allowed(waiting: dict[str, Any],
                                                                    ctx: LintContext) -> None:
    body = small_ivr()
    body["nodes"]["menu"]["options"]["2"] = "wait"
    body["nodes"]["wait"] = waiting
    body["nodes"]["say"] = {"type": "play", "prompt": {"text": "Again."}, "next": "wait"}
    assert [f for f in lint("ivr", body, ctx) if f.code == "input-free-loop"] == []
    # The same loop through a node that does not wait is reported.
    body["nodes"]["wait"] = {"type": "goto", "target": "say"}
    assert codes(lint("ivr", body, ctx)) == [("/nodes/wait/target", "input-free-loop")]


def test_duplicate_keys_need_the_source_text(ctx: LintContext) -> None:
    source = '{"start": "menu", "fallback": "bye", "nodes": {"menu": {"type": "menu", "prompt": {"text": "Hi"}, ' \
             '"options": {"1": "bye", "1": "menu"}, "fallback": "bye"}, "bye": {"type": "hangup"}, ' \
             '"bye": {"type": "hangup"}}}'
    body = json.loads(source)
    assert [f for f in lint("ivr", body, ctx) if f.code == "duplicate-key"] == []
    found = [f for f in lint("ivr", body, ctx, source) if f.code == "duplicate-key"]
    assert [f.pointer for f in found] == ["/nodes/bye", "/nodes/menu/options/1"]
    assert "digit '1' is assigned twice" in found[1].message
    assert lint("ivr", body, ctx, "{not json") == lint("ivr", body, ctx)


def test_skills_are_not_checked_when_the_tenant_defines_none(ctx: LintContext) -> None:
    body = small_ivr()
    body["nodes"]["menu"]["options"]["2"] = "agent"
    body["nodes"]["agent"] = {"type": "queue", "queue": "general", "skills": ["french"], "overflow": "bye"}
    assert codes(lint("ivr", body, ctx)) == [("/nodes/agent/skills/0", "unknown-skill")]
    ctx.skills = set()
    assert lint("ivr", body, ctx) == []


def test_blank_transcript_of_a_recorded_prompt_is_only_a_warning(ctx: LintContext) -> None:
    body = small_ivr()
    body["nodes"]["menu"]["prompt"] = {"audio": "welcome", "text": " "}
    [finding] = lint("ivr", body, ctx)
    assert (finding.pointer, finding.code, finding.severity) == ("/nodes/menu/prompt/text", "empty-prompt", "warning")


def test_templates_with_jinja_blocks_are_checked_for_names_too(ctx: LintContext) -> None:
    body = small_ivr()
    body["nodes"]["menu"]["prompt"]["text"] = "{% if waybil %}Your parcel {{ waybil | upper }}{% endif %}"
    found = lint("ivr", body, ctx)
    assert codes(found) == [("/nodes/menu/prompt/text", "undefined-variable")]
    assert "'waybil'" in found[0].message


def test_variables_set_by_nodes_are_defined(ctx: LintContext) -> None:
    body = good_body("ivr/express_main")
    defined = ivr_lint.defined_variables(body)
    assert {"waybill", "attempts", "customer_level", "waybill_status", "ticket_number", "score"} <= defined
    body["nodes"]["say_status"]["prompt"]["text"] = "{{ waybill_state }}"
    assert codes(lint("ivr", body, ctx)) == [("/nodes/say_status/prompt/text", "undefined-variable")]


def test_calendar_warnings(ctx: LintContext) -> None:
    body = good_body("ivr/property_hours")
    calendar = body["nodes"]["open_check"]["calendar"]
    calendar["workdays"].append("2026-10-01")
    del calendar["workday_hours"]
    found = {(f.pointer, f.code, f.severity) for f in lint("ivr", body, ctx)}
    assert found == {("/nodes/open_check/calendar/workdays/1", "conflicting-day", "warning"),
                     ("/nodes/open_check/calendar/workdays", "empty-window", "warning")}
    calendar["weekly"] = {}
    assert ("/nodes/open_check/calendar/weekly", "always-closed") in codes(lint("ivr", body, ctx))


def chain(length: int, loop_back: bool = False) -> dict[str, Any]:
    """A chain of play nodes, each prompt a distinct template; optionally the last goes back to the first."""
    nodes: dict[str, Any] = {f"n{i}": {"type": "play", "prompt": {"text": f"Step {i} for {{{{call.caller}}}}"},
                                       "next": f"n{i + 1}"} for i in range(length)}
    nodes[f"n{length}"] = {"type": "goto", "target": "n0"} if loop_back else {"type": "hangup"}
    return {"start": "n0", "fallback": f"n{length}", "nodes": nodes}


def tree(size: int) -> dict[str, Any]:
    """A ternary tree of menus whose leaves collect a number and queue."""
    nodes: dict[str, Any] = {"bye": {"type": "hangup"}, "agent": {"type": "queue", "queue": "general",
                                                                  "overflow": "bye"}}
    ids = ["m0"]
    for parent in ids:
        if len(ids) >= size:
            break
        children = [f"m{len(ids) + k}" for k in range(min(3, size - len(ids)))]
        ids.extend(children)
        nodes[parent] = {"type": "menu", "prompt": {"text": f"Menu {parent}, waybill {{{{waybill}}}}"},
                         "options": {str(k + 1): child for k, child in enumerate(children)}, "fallback": "bye"}
    for leaf in ids:
        nodes.setdefault(leaf, {"type": "collect", "prompt": {"text": f"Number for {leaf}?"}, "variable": "waybill",
                                "next": "agent", "fallback": "bye"})
    return {"start": "m0", "fallback": "bye", "nodes": nodes}


@pytest.mark.parametrize("shape", [chain, tree])
def test_ten_thousand_nodes_lint_without_recursion(shape: Any, ctx: LintContext) -> None:
    body = shape(10_000)
    assert len(body["nodes"]) > 10_000
    assert lint("ivr", body, ctx, json.dumps(body)) == []


def test_an_input_free_loop_of_ten_thousand_nodes_is_one_finding(ctx: LintContext) -> None:
    findings = lint("ivr", chain(10_000, loop_back=True), ctx)
    assert codes(findings) == [("/nodes/n0/next", "input-free-loop")]
    assert "n0 → n1 →" in findings[0].message and "…" in findings[0].message


def test_generated_documents_are_schema_valid() -> None:
    # Keeps the big-document tests honest: they lint what the schema lets through.
    assert validate_schema("ivr", chain(50, loop_back=True)) == []
    assert validate_schema("ivr", tree(50)) == []


def _refs(kind_schema: dict[str, Any], node_type: str, ref: str) -> set[str]:
    return {name for name, prop in kind_schema["$defs"][node_type]["properties"].items()
            if prop.get("$ref") == f"common.schema.json#/$defs/{ref}"}


@pytest.mark.parametrize("node_type", sorted(ivr_lint.NODE_TYPES))
def test_registry_knows_every_next_and_prompt_field_of_the_schema(node_type: str) -> None:
    # A field added to a node type's schema must not slip past the edge and prompt checks.
    spec = ivr_lint.NODE_TYPES[node_type]
    ivr_schema = schema("ivr")
    assert set(spec.next_fields) == _refs(ivr_schema, node_type, "next")
    assert set(spec.prompts) == _refs(ivr_schema, node_type, "prompt")
    assert set(spec.templates) == _refs(ivr_schema, node_type, "template")


@pytest.mark.parametrize(("node", "field"), [
    ({"type": "lookup", "source": {"builtin": "ticket"}, "key": "{{ticket_no}}", "found": "bye",
      "not_found": "bye"}, "key"),
    ({"type": "sms", "to": "{{call.caller}}", "text": "Booked {{ticket_no}}", "next": "bye"}, "text"),
    ({"type": "callback", "prompt": {"text": "Press 1."}, "queue": "general", "number": "{{ticket_no}}",
      "accepted": "bye", "declined": "bye"}, "number"),
    ({"type": "ticket", "form": "pickup", "fields": {"note": "{{ticket_no}}"}, "next": "bye"}, "fields/note"),
    ({"type": "set", "values": {"label": "{{ticket_no}}-{{call.caller}}", "n": 1}, "next": "bye"}, "values/label"),
], ids=lambda v: v["type"] if isinstance(v, dict) else v)
def test_template_fields_of_nodes_are_checked(node: dict[str, Any], field: str, ctx: LintContext) -> None:
    body = small_ivr()
    body["nodes"]["menu"]["options"]["2"] = "x"
    body["nodes"]["x"] = node
    assert codes(lint("ivr", body, ctx)) == [(f"/nodes/x/{field}", "undefined-variable")]


def test_a_quiet_inner_loop_inside_a_loop_through_a_menu_is_found(ctx: LintContext) -> None:
    # menu → check → (else) hop → check …: the caller passes the menu once, then loops without input.
    body = small_ivr()
    body["nodes"]["menu"]["options"]["2"] = "check"
    body["nodes"]["check"] = {"type": "condition", "branches": [
        {"when": {"field": "call.hour", "op": "lt", "value": 8}, "next": "menu"}], "else": "hop"}
    body["nodes"]["hop"] = {"type": "goto", "target": "check"}
    assert codes(lint("ivr", body, ctx)) == [("/nodes/check/else", "input-free-loop")]


def test_templates_read_variables_by_bare_name_not_var_prefix(ctx: LintContext) -> None:
    body = small_ivr()
    body["variables"] = {"waybill": {}}
    body["nodes"]["menu"]["prompt"]["text"] = "Waybill {{waybill}}, not {{var.waybill}}."
    found = lint("ivr", body, ctx)
    assert codes(found) == [("/nodes/menu/prompt/text", "undefined-variable")]
    assert "{{waybill}}" in found[0].message


def test_stage_directions_in_a_prompt_are_a_warning_in_the_analysts_words(ctx: LintContext) -> None:
    """QA 12: "请稍候（等待音乐）" had its stage direction read aloud; now it is dropped before TTS, and the lint
    (designer, `hotline validate`) says so, in English and in the analyst's Chinese."""
    from hotline.platform.kinds.wording import in_words

    body = small_ivr()
    body["nodes"]["menu"]["prompt"] = {"text": "正在为您转接，请稍候（等待音乐）"}
    findings = lint("ivr", body, ctx)
    assert codes(findings) == [("/nodes/menu/prompt/text", "stage-direction")]
    assert findings[0].severity == "warning" and "（等待音乐）" in findings[0].message
    [worded] = in_words(findings, "ivr", body, "zh_CN")
    assert "「（等待音乐）」会被当作舞台说明，不会播报" in worded.message


def test_a_prompt_of_only_stage_directions_is_silence(ctx: LintContext) -> None:
    body = small_ivr()
    body["nodes"]["menu"]["prompt"] = {"text": "(pause) 【音乐】"}
    findings = lint("ivr", body, ctx)
    assert codes(findings) == [("/nodes/menu/prompt/text", "empty-prompt")]
    assert findings[0].severity == "error"
