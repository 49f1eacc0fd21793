"""Collect node: length, terminator, full-match pattern, retries, the variable it fills."""

from __future__ import annotations

from .flow_helpers import flow, run_flow

COLLECT = {
    "type": "collect",
    "prompt": {"text": "Enter your waybill number, then hash."},
    "variable": "waybill",
    "min_digits": 10,
    "max_digits": 12,
    "pattern": "[0-9]{10,12}",
    "timeout_seconds": 8,
    "max_retries": 1,
    "invalid_prompt": {"text": "That is not a waybill number."},
    "next": "say",
    "fallback": "give_up",
}
OTHERS = {
    "say": {"type": "hangup", "prompt": {"text": "You entered {{waybill}}."}},
    "give_up": {"type": "hangup", "prompt": {"text": "Let us pass you to an agent."}},
}


def _collect_flow(**changes):
    return flow({"ask": {**COLLECT, **changes}, **OTHERS}, "ask")


def test_digits_are_stored_in_the_variable_and_rendered_later():
    result, channel, _ = run_flow(_collect_flow(), ["1234567890"])
    assert result.variables["waybill"] == "1234567890"
    assert channel.heard[-1] == "You entered 1234567890."
    assert result.trace.steps[0]["set"] == {"waybill": "1234567890"}


def test_channel_gets_length_terminator_timeout_and_anchored_pattern():
    _, channel, _ = run_flow(_collect_flow(), ["1234567890"])
    assert channel.collects[0] == {
        "prompt": "Enter your waybill number, then hash.", "min_digits": 10, "max_digits": 12,
        "terminator": "#", "timeout_seconds": 8, "pattern": "^(?:[0-9]{10,12})$",
    }


def test_pattern_failure_plays_invalid_prompt_then_a_good_entry_is_kept():
    result, channel, _ = run_flow(_collect_flow(pattern="SF[0-9]+|[0-9]{10,12}"), ["12345678*9", "123456789012"])
    assert channel.heard[1] == "That is not a waybill number."
    assert result.variables["waybill"] == "123456789012"
    assert result.trace.path == ["ask", "say"]


def test_pattern_is_a_full_match_not_a_search():
    # "[0-9]{10}" would find a match inside 11 digits; a full match must refuse them.
    result, _, _ = run_flow(_collect_flow(pattern="[0-9]{10}", max_retries=0), ["12345678901"])
    assert "waybill" not in result.variables
    assert result.trace.path == ["ask", "give_up"]


def test_too_few_digits_are_invalid_even_without_pattern():
    body = _collect_flow()
    del body["nodes"]["ask"]["pattern"]
    result, channel, _ = run_flow(body, ["123", "1234567890"])
    assert channel.heard[1] == "That is not a waybill number."
    assert result.variables["waybill"] == "1234567890"


def test_retries_used_up_go_to_the_collect_fallback():
    result, channel, _ = run_flow(_collect_flow(), [None, "99"])
    assert len(channel.collects) == 2  # max_retries 1: two attempts
    assert result.trace.path == ["ask", "give_up"]
    assert "waybill" not in result.variables
    assert result.trace.steps[0]["info"] == {"retries_exhausted": True}


def test_silence_repeats_the_prompt_without_invalid_prompt():
    _, channel, _ = run_flow(_collect_flow(), [None, "1234567890"])
    assert channel.heard[:2] == ["Enter your waybill number, then hash."] * 2


def test_defaults_one_to_twenty_digits_hash_terminated():
    body = flow({"ask": {"type": "collect", "prompt": {"text": "Account?"}, "variable": "account",
                         "next": "say", "fallback": "give_up"}, **OTHERS}, "ask")
    result, channel, _ = run_flow(body, ["42"])
    asked = channel.collects[0]
    assert (asked["min_digits"], asked["max_digits"], asked["terminator"], asked["pattern"]) == (1, 20, "#", None)
    assert result.variables["account"] == "42"
