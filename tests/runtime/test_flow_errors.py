"""The safety net: every error mid-call reaches the fallback, the trace names node and reason, the
fallback failing ends with an apology (never a loop), and input-free loops are stopped."""

from __future__ import annotations

import copy
import json

import pytest

from hotline.runtime.flow import DEFAULT_APOLOGY, InMemoryServices, RenderedPrompt
from hotline.runtime.flow import nodes as node_registry

from .flow_helpers import APOLOGY_TEXT, flow, run_flow

# A broken loop guard would spin forever: fail fast instead of at the suite's 300 s timeout.
pytestmark = pytest.mark.timeout(30)


def test_template_error_goes_to_fallback_with_node_and_reason():
    body = flow({"p": {"type": "play", "prompt": {"text": "Status {{ status | nosuchfilter }}"}, "next": "sorry"}},
                "p")
    result, channel, _ = run_flow(body)
    assert channel.heard == [APOLOGY_TEXT]  # never silence
    assert result.trace.path == ["p", "sorry"]
    error = result.error
    assert (error["node"], error["type"], error["to"]) == ("p", "play", "sorry")
    assert "nosuchfilter" in error["reason"]
    assert result.outcome == "completed"


def test_missing_node_goes_to_fallback():
    body = flow({"p": {"type": "play", "prompt": {"text": "hi"}, "next": "nowhere"}}, "p")
    result, channel, _ = run_flow(body)
    assert channel.heard == ["hi", APOLOGY_TEXT]
    assert result.error["node"] == "nowhere"
    assert "no node" in result.error["reason"]


def test_a_bug_in_a_node_goes_to_fallback(monkeypatch):
    async def broken(node, ctx):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(node_registry._HANDLERS, "goto", broken)
    body = flow({"g": {"type": "goto", "target": "sorry"}}, "g")
    result, channel, _ = run_flow(body)
    assert channel.heard == [APOLOGY_TEXT]
    assert result.error["reason"] == "ZeroDivisionError: division by zero"
    assert result.error["node"] == "g"


def test_audio_prompt_missing_from_the_catalogue_goes_to_fallback():
    body = flow({"p": {"type": "play", "prompt": {"audio": "welcome"}, "next": "sorry"}}, "p")
    result, _, _ = run_flow(body, prompts={"other": {"text": "x", "file": "x.wav"}})
    assert "welcome" in result.error["reason"]
    assert result.trace.path == ["p", "sorry"]


def test_audio_prompt_missing_from_the_catalogue_speaks_its_transcript():
    body = flow({"p": {"type": "play", "prompt": {"audio": "welcome", "text": "Welcome!"}, "next": "end"},
                 "end": {"type": "hangup"}}, "p")
    result, channel, _ = run_flow(body)
    assert channel.heard == ["Welcome!"]
    assert channel.files == [None]
    assert result.trace.errors == []


def test_failing_fallback_plays_the_builtin_apology_and_hangs_up():
    body = flow({
        "p": {"type": "play", "prompt": {"text": "{{ broken( }}"}, "next": "p"},
        "sorry": {"type": "play", "prompt": {"text": "{{ also broken( }}"}, "next": "p"},
    }, "p")
    result, channel, _ = run_flow(body)
    assert channel.heard == [DEFAULT_APOLOGY.text]
    assert channel.hangup_cause == "NORMAL_CLEARING"
    assert result.outcome == "error"
    assert [(e["node"], e["to"]) for e in result.trace.errors] == [("p", "sorry"), ("sorry", None)]


def test_missing_fallback_node_plays_the_apology():
    body = flow({"p": {"type": "play", "prompt": {"text": "{{ x( }}"}, "next": "p"}}, "p", fallback="gone")
    result, channel, _ = run_flow(body)
    assert channel.heard == [DEFAULT_APOLOGY.text]
    assert result.outcome == "error"
    assert result.trace.errors[-1]["node"] == "gone"


def test_the_apology_text_is_configurable():
    body = flow({"p": {"type": "goto", "target": "nowhere"}}, "p", fallback="gone")
    _, channel, _ = run_flow(body, apology=RenderedPrompt(text="抱歉，请稍后再拨。"))
    assert channel.heard == ["抱歉，请稍后再拨。"]


def test_fallback_path_failing_after_the_caller_pressed_a_key_may_use_the_fallback_again():
    # Errors after fresh caller input are new errors, so the fallback (a menu here) is offered again;
    # without input in between, the second error would end the call.
    services = InMemoryServices(tables={})
    body = flow({
        "look": {"type": "lookup", "source": {"table": "gone"}, "key": "x", "found": "sorry",
                 "not_found": "sorry"},
        "fallback_menu": {"type": "menu", "prompt": {"text": "Sorry. Press 1 to try again."},
                          "options": {"1": "look"}, "fallback": "sorry"},
    }, "look", fallback="fallback_menu")
    result, channel, _ = run_flow(body, ["1", "1", None, None, None], services=services)
    assert [e["to"] for e in result.trace.errors] == ["fallback_menu"] * 3
    assert result.trace.path[-1] == "sorry"
    assert channel.heard[-1] == APOLOGY_TEXT


def test_input_free_loop_is_stopped_by_max_steps_then_fallback_then_apology():
    body = flow({
        "a": {"type": "goto", "target": "b"},
        "b": {"type": "set", "values": {"n": 1}, "next": "a"},
        "loop_fallback": {"type": "play", "prompt": {"text": "Sorry, one moment."}, "next": "a"},
    }, "a", fallback="loop_fallback")
    result, channel, _ = run_flow(body, max_steps=50)
    assert channel.heard == ["Sorry, one moment.", DEFAULT_APOLOGY.text]
    assert result.outcome == "error"
    first, second = result.trace.errors
    assert first["to"] == "loop_fallback" and "50 steps" in first["reason"]
    assert second["to"] is None
    assert len(result.trace.steps) < 120


def test_default_step_budget_stops_a_loop():
    body = flow({"a": {"type": "goto", "target": "a"}}, "a", fallback="a")
    result, _, _ = run_flow(body)
    assert result.outcome == "error"
    assert 2000 <= len(result.trace.steps) <= 2010


def test_a_menu_the_caller_answers_does_not_use_up_the_step_budget():
    body = flow({
        "m": {"type": "menu", "prompt": {"text": "1 again, 2 end"}, "options": {"1": "g", "2": "end"},
              "fallback": "sorry"},
        "g": {"type": "goto", "target": "m"},
        "end": {"type": "hangup"},
    }, "m")
    result, _, _ = run_flow(body, ["1"] * 30 + ["2"], max_steps=5)
    assert result.trace.errors == []
    assert result.trace.path[-1] == "end"


def test_trace_is_json_serialisable_and_records_steps():
    body = flow({
        "m": {"type": "menu", "prompt": {"text": "Press 1"}, "options": {"1": "s"}, "fallback": "sorry"},
        "s": {"type": "set", "values": {"x": "{{call.caller}}"}, "next": "p"},
        "p": {"type": "play", "prompt": {"text": "{{ bad( }}"}, "next": "sorry"},
    }, "m")
    result, _, _ = run_flow(body, ["1"])
    data = json.loads(json.dumps(result.trace.to_dict()))
    assert [s["node"] for s in data["steps"]] == ["m", "s", "p", "sorry"]
    menu = data["steps"][0]
    assert menu["prompts"] == ["Press 1"] and menu["digits"] == ["1"] and menu["next"] == "s"
    assert menu["at_ms"] >= 0 and menu["ms"] >= 0
    assert data["steps"][1]["set"] == {"x": "13800138000"}
    assert data["steps"][2]["next"] is None
    assert data["errors"][0]["node"] == "p"
    assert data["outcome"] == "completed"
    assert data["started_at"]


def test_the_published_document_is_never_mutated():
    body = flow({
        "s": {"type": "set", "values": {"x": "{{call.caller}}"}, "next": "m"},
        "m": {"type": "menu", "prompt": {"text": "Press 1"}, "options": {"1": "sorry"}, "fallback": "sorry"},
    }, "s", variables={"x": {"default": "0"}})
    before = copy.deepcopy(body)
    run_flow(body, ["1"])
    assert body == before
