"""Menu node: valid key, wrong key, silence, retries used up, hang-up mid-menu, recorded prompts."""

from __future__ import annotations

from .flow_helpers import HANGUP, flow, run_flow

MAIN = {
    "type": "menu",
    "prompt": {"text": "For tracking press 1, for an agent press 0."},
    "options": {"1": "tracking", "0": "agent", "#": "repeat_hash"},
    "timeout_seconds": 4,
    "max_retries": 2,
    "invalid_prompt": {"text": "That key is not valid."},
    "timeout_prompt": {"text": "We did not hear your choice."},
    "fallback": "menu_failed",
}
TARGETS = {
    "tracking": {"type": "hangup", "prompt": {"text": "tracking"}},
    "agent": {"type": "hangup", "prompt": {"text": "agent"}},
    "repeat_hash": {"type": "hangup", "prompt": {"text": "hash"}},
    "menu_failed": {"type": "hangup", "prompt": {"text": "menu failed"}, "cause": "NORMAL_CLEARING"},
}


def _menu_flow(**menu_changes):
    return flow({"main": {**MAIN, **menu_changes}, **TARGETS}, "main")


def test_valid_key_goes_to_its_option():
    result, channel, _ = run_flow(_menu_flow(), ["0"])
    assert result.trace.path == ["main", "agent"]
    assert channel.heard == ["For tracking press 1, for an agent press 0.", "agent"]
    assert result.outcome == "completed"


def test_menu_collects_one_key_without_terminator_so_hash_can_be_an_option():
    result, channel, _ = run_flow(_menu_flow(), ["#"])
    assert result.trace.path[-1] == "repeat_hash"
    asked = channel.collects[0]
    assert (asked["min_digits"], asked["max_digits"], asked["terminator"]) == (1, 1, "")
    assert asked["timeout_seconds"] == 4
    assert asked["pattern"] == r"^[\#01]$"


def test_invalid_key_plays_invalid_prompt_then_asks_again():
    result, channel, _ = run_flow(_menu_flow(), ["7", "1"])
    assert channel.heard == [
        "For tracking press 1, for an agent press 0.",
        "That key is not valid.",
        "For tracking press 1, for an agent press 0.",
        "tracking",
    ]
    assert result.trace.steps[0]["digits"] == ["7", "1"]
    assert result.trace.path == ["main", "tracking"]


def test_silence_plays_timeout_prompt_then_asks_again():
    result, channel, _ = run_flow(_menu_flow(), [None, "1"])
    assert channel.heard[:3] == [
        "For tracking press 1, for an agent press 0.",
        "We did not hear your choice.",
        "For tracking press 1, for an agent press 0.",
    ]
    assert result.trace.steps[0]["digits"] == [None, "1"]
    assert result.trace.path[-1] == "tracking"


def test_silence_without_timeout_prompt_just_repeats_the_prompt():
    body = _menu_flow()
    del body["nodes"]["main"]["timeout_prompt"]
    _, channel, _ = run_flow(body, [None, "1"])
    assert channel.heard[:2] == ["For tracking press 1, for an agent press 0."] * 2


def test_retries_used_up_go_to_the_menu_fallback():
    # max_retries 2 = three attempts in all, then the menu's own fallback (not the document's).
    result, channel, _ = run_flow(_menu_flow(), ["7", None, "9"])
    assert len(channel.collects) == 3
    assert result.trace.path == ["main", "menu_failed"]
    assert channel.heard[-1] == "menu failed"
    assert result.trace.errors == []


def test_zero_retries_means_a_single_attempt():
    result, channel, _ = run_flow(_menu_flow(max_retries=0), ["5"])
    assert len(channel.collects) == 1
    assert result.trace.path == ["main", "menu_failed"]


def test_default_retries_are_two():
    body = _menu_flow()
    del body["nodes"]["main"]["max_retries"]
    del body["nodes"]["main"]["timeout_seconds"]
    result, channel, _ = run_flow(body, [None, None, None])
    assert len(channel.collects) == 3
    assert channel.collects[0]["timeout_seconds"] == 5
    assert result.trace.path[-1] == "menu_failed"


def test_caller_hanging_up_mid_menu_ends_cleanly_at_the_menu():
    result, channel, _ = run_flow(_menu_flow(), ["7", HANGUP])
    assert result.outcome == "caller_hangup"
    assert result.node == "main"
    assert result.trace.to_dict()["node"] == "main"
    assert result.trace.errors == []
    # The call is gone: the engine neither hangs up again nor plays anything more.
    assert ("hangup", "NORMAL_CLEARING") not in channel.events
    assert channel.heard[-1] == "For tracking press 1, for an agent press 0."


def test_recorded_prompt_plays_its_file_and_traces_its_transcript():
    body = _menu_flow(prompt={"audio": "main_menu"})
    catalogue = {"main_menu": {"text": "Main menu (recorded)", "file": "tenant/express/main_menu.wav"}}
    result, channel, _ = run_flow(body, ["1"], prompts=catalogue)
    assert channel.files[0] == "tenant/express/main_menu.wav"
    assert result.trace.steps[0]["prompts"] == ["Main menu (recorded)"]
