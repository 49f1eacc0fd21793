"""Queue node: hand-off to the ACD, then after / end / overflow / abandoned."""

from __future__ import annotations

from hotline.runtime.flow import InMemoryServices, QueueResult

from .flow_helpers import flow, run_flow


def _queue_flow(**changes):
    node = {"type": "queue", "queue": "general", "priority": 7, "skills": ["mandarin", "claims"],
            "timeout_seconds": 60, "prompt": {"text": "Connecting you to an agent."},
            "hold_prompt": {"text": "Please hold, {{call.caller}}."}, "announce_position": False,
            "overflow": "overflow", "after": "survey", **changes}
    return flow({
        "q": node,
        "overflow": {"type": "voicemail", "prompt": {"text": "All agents are busy, leave a message."}},
        "survey": {"type": "hangup", "prompt": {"text": "survey"}},
    }, "q")


def test_answered_call_goes_to_after_once_the_agent_hangs_up():
    result, channel, services = run_flow(_queue_flow())
    assert result.trace.path == ["q", "survey"]
    assert ("bridge", "agent/agent-1") in channel.events
    assert channel.heard[0] == "Connecting you to an agent."
    assert services.enqueued == [{"queue": "general", "priority": 7, "skills": ["mandarin", "claims"],
                                  "timeout_seconds": 60, "announce_position": False,
                                  "hold_prompt": "Please hold, 13800138000."}]
    assert channel.variables["hotline_queue"] == "general"
    assert result.trace.steps[0]["info"]["queue"]["status"] == "answered"


def test_answered_call_without_after_ends():
    body = _queue_flow()
    del body["nodes"]["q"]["after"]
    result, channel, _ = run_flow(body)
    assert result.trace.path == ["q"]
    assert result.outcome == "completed"
    assert channel.hangup_cause == "NORMAL_CLEARING"


def test_timeout_goes_to_overflow():
    services = InMemoryServices(queue_results={"general": QueueResult("timeout", wait_seconds=60)})
    result, channel, _ = run_flow(_queue_flow(), services=services)
    assert result.trace.path == ["q", "overflow"]
    assert not any(event[0] == "bridge" for event in channel.events)
    assert channel.heard[-1] == "All agents are busy, leave a message."


def test_caller_leaving_the_queue_ends_as_abandoned():
    services = InMemoryServices(queue_results={"general": QueueResult("abandoned", wait_seconds=12)})
    result, channel, _ = run_flow(_queue_flow(), services=services)
    assert result.outcome == "abandoned"
    assert result.node == "q"
    assert not any(event[0] == "hangup" for event in channel.events)


def test_queue_defaults():
    body = flow({"q": {"type": "queue", "queue": "general", "overflow": "sorry"}}, "q")
    _, _, services = run_flow(body)
    assert services.enqueued[0] == {"queue": "general", "priority": 5, "skills": [], "timeout_seconds": 120,
                                    "announce_position": True, "hold_prompt": None}


def test_queue_wait_is_visible_to_later_conditions():
    services = InMemoryServices(queue_results={"general": QueueResult("timeout", wait_seconds=90)})
    body = flow({
        "q": {"type": "queue", "queue": "general", "overflow": "long_wait"},
        "long_wait": {"type": "condition", "branches": [
            {"when": {"field": "call.wait_seconds", "op": "gte", "value": 60}, "next": "sorry_long"}],
            "else": "sorry"},
        "sorry_long": {"type": "hangup", "prompt": {"text": "Sorry for the long wait."}},
    }, "q")
    _, channel, _ = run_flow(body, services=services)
    assert channel.heard == ["Sorry for the long wait."]
