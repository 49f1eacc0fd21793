"""A whole express-delivery hotline call: welcome → menu 1 → waybill → lookup → status, and friends."""

from __future__ import annotations

from datetime import UTC, datetime

from hotline.runtime.flow import InMemoryServices, QueueResult

from .flow_helpers import flow, run_flow

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CALENDAR = {"timezone": "Asia/Shanghai", "weekly": {d: [{"start": "08:00", "end": "20:00"}] for d in WEEKDAYS}}
OPEN_NOW = datetime(2026, 9, 28, 2, 0, tzinfo=UTC)     # Mon 10:00 in Shanghai
CLOSED_NOW = datetime(2026, 9, 28, 14, 0, tzinfo=UTC)  # Mon 22:00 in Shanghai

EXPRESS = flow({
    "welcome": {"type": "play", "prompt": {"audio": "welcome"}, "next": "hours"},
    "hours": {"type": "hours", "open": "vip_check", "closed": "after_hours"},
    "vip_check": {"type": "condition", "branches": [
        {"when": {"field": "customer.monthly_settlement", "op": "eq", "value": True}, "next": "vip_queue"}],
        "else": "main"},
    "main": {"type": "menu", "prompt": {"text": "Track a parcel press 1, book a pickup press 2, agent press 0."},
             "options": {"1": "ask_waybill", "2": "pickup", "0": "agent"}, "max_retries": 1,
             "invalid_prompt": {"text": "Invalid choice."}, "fallback": "agent"},
    "ask_waybill": {"type": "collect", "prompt": {"text": "Please enter your waybill number, then hash."},
                    "variable": "waybill", "min_digits": 10, "max_digits": 12, "pattern": "[0-9]{10,12}",
                    "invalid_prompt": {"text": "That is not a valid waybill number."},
                    "next": "lookup_waybill", "fallback": "agent"},
    "lookup_waybill": {"type": "lookup", "source": {"table": "waybills"}, "key": "{{waybill}}",
                       "assign": {"status": "status", "city": "city"},
                       "found": "say_status", "not_found": "unknown_waybill", "error": "agent"},
    "say_status": {"type": "play", "prompt": {"text": "Waybill {{waybill}} is {{status}}, now in {{city}}."},
                   "next": "send_sms"},
    "send_sms": {"type": "sms", "text": "SwiftExpress: {{waybill}} {{status}}", "next": "after_status"},
    "after_status": {"type": "menu", "prompt": {"text": "Press 1 for the main menu, 0 for an agent."},
                     "options": {"1": "main", "0": "agent"}, "max_retries": 0, "fallback": "goodbye"},
    "unknown_waybill": {"type": "play", "prompt": {"text": "We cannot find waybill {{waybill}}."},
                        "next": "main"},
    "pickup": {"type": "ticket", "form": "pickup", "fields": {"phone": "{{call.caller}}"},
               "variable": "order", "next": "pickup_done"},
    "pickup_done": {"type": "hangup", "prompt": {"text": "Pickup order {{order}} booked. Goodbye."}},
    "vip_queue": {"type": "queue", "queue": "vip", "priority": 9, "overflow": "agent", "after": "survey"},
    "agent": {"type": "queue", "queue": "general", "prompt": {"text": "Connecting you to an agent."},
              "overflow": "callback", "after": "survey"},
    "callback": {"type": "callback", "prompt": {"text": "All agents are busy. Press 1 for a callback."},
                 "queue": "general", "accepted": "goodbye", "declined": "voicemail"},
    "voicemail": {"type": "voicemail", "prompt": {"text": "Leave a message after the tone."}, "queue": "general"},
    "after_hours": {"type": "voicemail", "prompt": {"text": "We are open 8:00 to 20:00."}, "queue": "general"},
    "survey": {"type": "survey", "prompt": {"text": "Rate our service from 1 to 5."}, "variable": "csat",
               "thanks_prompt": {"text": "Thank you."}},
    "goodbye": {"type": "hangup", "prompt": {"text": "Goodbye."}},
}, "welcome", fallback="agent")

PROMPTS = {"welcome": {"text": "Welcome to SwiftExpress.", "file": "express/welcome.wav"}}


def _services(**kwargs):
    return InMemoryServices(tables={"waybills": {"1234567890": {"status": "out for delivery", "city": "Hangzhou"}}},
                            **kwargs)


def _run(presses, **kwargs):
    kwargs.setdefault("services", _services())
    return run_flow(EXPRESS, presses, now=kwargs.pop("now", OPEN_NOW), tenant_calendar=CALENDAR,
                    prompts=PROMPTS, **kwargs)


def test_tracking_call_hears_the_status_of_the_waybill():
    result, channel, services = _run(["1", "1234567890", None])
    assert result.trace.path == ["welcome", "hours", "vip_check", "main", "ask_waybill", "lookup_waybill",
                                 "say_status", "send_sms", "after_status", "goodbye"]
    assert channel.heard == [
        "Welcome to SwiftExpress.",
        "Track a parcel press 1, book a pickup press 2, agent press 0.",
        "Please enter your waybill number, then hash.",
        "Waybill 1234567890 is out for delivery, now in Hangzhou.",
        "Press 1 for the main menu, 0 for an agent.",
        "Goodbye.",
    ]
    assert channel.files[0] == "express/welcome.wav"
    assert services.sms_sent == [("13800138000", "SwiftExpress: 1234567890 out for delivery")]
    assert result.outcome == "completed"
    assert result.trace.errors == []


def test_mistyped_waybill_then_unknown_waybill_returns_to_the_menu():
    result, channel, _ = _run(["1", "12", "5555555555", "2"])
    assert "That is not a valid waybill number." in channel.heard
    assert "We cannot find waybill 5555555555." in channel.heard
    assert result.trace.path[-2:] == ["pickup", "pickup_done"]
    assert channel.heard[-1] == "Pickup order T000001 booked. Goodbye."


def test_monthly_settlement_customer_skips_the_menu_and_rates_the_call():
    result, _, services = _run(["5"], customer={"monthly_settlement": True})
    assert services.enqueued[0]["queue"] == "vip" and services.enqueued[0]["priority"] == 9
    assert services.surveys == [("csat", 5)]
    assert result.trace.path[-1] == "survey"


def test_busy_agents_offer_a_callback():
    services = _services(queue_results={"general": QueueResult("timeout", wait_seconds=120)})
    _result, channel, services = _run(["0", "1"], services=services)
    assert services.callbacks == [("general", "13800138000")]
    assert channel.heard[-1] == "Goodbye."


def test_after_hours_callers_leave_a_message():
    result, _, services = _run([], now=CLOSED_NOW)
    assert result.trace.path == ["welcome", "hours", "after_hours"]
    assert services.voicemails[0][0] == "general"


def test_broken_tracking_source_hands_the_caller_to_an_agent():
    services = InMemoryServices(tables={})
    result, _, services = _run(["1", "1234567890", "4"], services=services)
    assert result.trace.path[-3:] == ["lookup_waybill", "agent", "survey"]
    assert result.error["node"] == "lookup_waybill"
    assert services.surveys == [("csat", 4)]
