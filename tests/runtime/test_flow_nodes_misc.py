"""The smaller node types: play, set, condition, transfer, voicemail, callback, ticket, sms, survey,
goto, hangup — and the registry matching the schema."""

from __future__ import annotations

import pytest

from hotline.platform.kinds.validation import schema
from hotline.runtime.flow import Channel, FlowServices, InMemoryServices, registered_types

from .flow_helpers import HANGUP, ScriptedChannel, flow, run_flow

END = {"type": "hangup", "prompt": {"text": "end"}}


def test_every_schema_node_type_has_a_handler():
    assert registered_types() == set(schema("ivr")["$defs"]["base"]["properties"]["type"]["enum"])


def test_test_doubles_implement_the_protocols():
    assert isinstance(ScriptedChannel(), Channel)
    assert isinstance(InMemoryServices(), FlowServices)


def test_play_renders_variables_and_document_defaults():
    body = flow({"hello": {"type": "play", "prompt": {"text": "Hello {{name}}, you called {{call.did}}."},
                           "next": "end"}, "end": END}, "hello",
                variables={"name": {"default": "friend"}, "unused": {"description": "no default"}})
    result, channel, _ = run_flow(body)
    assert channel.heard == ["Hello friend, you called 4008001234.", "end"]
    assert "unused" not in result.variables


def test_set_renders_strings_and_keeps_numbers_and_booleans():
    body = flow({"s": {"type": "set", "values": {"who": "caller {{call.caller}}", "tries": 3, "vip": True},
                       "next": "end"}, "end": END}, "s")
    result, _, _ = run_flow(body)
    assert result.variables == {"who": "caller 13800138000", "tries": 3, "vip": True}
    assert result.trace.steps[0]["set"] == {"who": "caller 13800138000", "tries": 3, "vip": True}


def _condition_flow():
    return flow({
        "c": {"type": "condition", "branches": [
            {"when": {"field": "customer.vip", "op": "eq", "value": True}, "next": "vip"},
            {"when": {"any": [{"field": "var.lang", "op": "eq", "value": "en"},
                              {"field": "call.caller", "op": "starts_with", "value": "+1"}]}, "next": "english"},
        ], "else": "normal"},
        "vip": {"type": "hangup", "prompt": {"text": "vip"}},
        "english": {"type": "hangup", "prompt": {"text": "english"}},
        "normal": {"type": "hangup", "prompt": {"text": "normal"}},
    }, "c")


def test_condition_takes_the_first_branch_that_holds():
    _, channel, _ = run_flow(_condition_flow(), customer={"vip": True, "name": "Wang"})
    assert channel.heard == ["vip"]


def test_condition_reads_variables_and_falls_to_else():
    body = _condition_flow()
    body["variables"] = {"lang": {"default": "en"}}
    _, channel, _ = run_flow(body, customer={"vip": False})
    assert channel.heard == ["english"]
    _, channel, _ = run_flow(_condition_flow())
    assert channel.heard == ["normal"]


def _transfer_flow(number):
    return flow({
        "t": {"type": "transfer", "number": number, "prompt": {"text": "Transferring you."}, "failed": "failed"},
        "failed": {"type": "hangup", "prompt": {"text": "transfer failed"}},
    }, "t")


@pytest.mark.parametrize("number", ["+862150001234", "95338"])
def test_transfer_to_an_allowed_number_or_prefix(number):
    result, channel, _ = run_flow(_transfer_flow(number), allowed_transfer_numbers=["+8621*", "95338"])
    assert channel.dialled == [number]
    assert result.outcome == "transferred"
    assert channel.heard == ["Transferring you."]


def test_transfer_not_on_the_allow_list_is_never_dialled():
    result, channel, _ = run_flow(_transfer_flow("+8613900000000"), allowed_transfer_numbers=["+8621*", "95338"])
    assert channel.dialled == []
    assert result.trace.path == ["t", "sorry"]
    assert result.error["node"] == "t"
    assert "allow-list" in result.error["reason"]


def test_transfer_with_an_empty_allow_list_is_refused():
    result, channel, _ = run_flow(_transfer_flow("95338"))
    assert channel.dialled == []
    assert result.trace.path[-1] == "sorry"


def test_transfer_that_does_not_connect_goes_to_failed():
    channel = ScriptedChannel(transfer_answers=False)
    result, _, _ = run_flow(_transfer_flow("95338"), channel=channel, allowed_transfer_numbers=["95338"])
    assert result.trace.path == ["t", "failed"]
    assert result.trace.steps[0]["info"]["transfer"]["cause"] == "USER_BUSY"


def test_voicemail_records_and_stores_for_the_queue():
    body = flow({"vm": {"type": "voicemail", "prompt": {"text": "Leave a message."}, "max_seconds": 60,
                        "queue": "general", "next": "end"}, "end": END}, "vm")
    result, channel, services = run_flow(body)
    assert ("record", 60) in channel.events
    assert [(q, r.path) for q, r in services.voicemails] == [("general", "/recordings/vm-1.wav")]
    assert result.trace.path == ["vm", "end"]


def test_voicemail_without_a_message_stores_nothing_and_ends_without_next():
    body = flow({"vm": {"type": "voicemail", "prompt": {"text": "Leave a message."}}}, "vm")
    result, channel, services = run_flow(body, channel=ScriptedChannel(recording=None))
    assert ("record", 120) in channel.events
    assert services.voicemails == []
    assert result.outcome == "completed"
    assert channel.hangup_cause == "NORMAL_CLEARING"


def _callback_flow(**changes):
    return flow({
        "cb": {"type": "callback", "prompt": {"text": "Press 1 to be called back."}, "queue": "general",
               "accepted": "yes", "declined": "no", **changes},
        "yes": {"type": "hangup", "prompt": {"text": "We will call you back."}},
        "no": {"type": "hangup", "prompt": {"text": "Goodbye."}},
    }, "cb")


def test_callback_accepted_books_a_callback_to_the_caller():
    _result, channel, services = run_flow(_callback_flow(), ["1"])
    assert services.callbacks == [("general", "13800138000")]
    assert channel.heard[-1] == "We will call you back."


def test_callback_to_a_rendered_number_with_another_confirm_digit():
    body = _callback_flow(confirm_digit="9", number="{{contact}}")
    body["variables"] = {"contact": {"default": "02150001234"}}
    _, _, services = run_flow(body, ["9"])
    assert services.callbacks == [("general", "02150001234")]


@pytest.mark.parametrize("press", ["2", None])
def test_callback_declined_by_another_key_or_silence(press):
    result, _channel, services = run_flow(_callback_flow(), [press])
    assert services.callbacks == []
    assert result.trace.path[-1] == "no"


def test_ticket_is_created_with_rendered_fields_and_its_number_stored():
    body = flow({
        "t": {"type": "ticket", "form": "pickup", "variable": "ticket_no",
              "fields": {"phone": "{{call.caller}}", "address": "{{address}}", "note": "via IVR"},
              "next": "say"},
        "say": {"type": "hangup", "prompt": {"text": "Your pickup order is {{ticket_no}}."}},
    }, "t", variables={"address": {"default": "1 Nanjing Road"}})
    result, channel, services = run_flow(body)
    assert services.tickets_created == [("pickup", "T000001", {"phone": "13800138000",
                                                               "address": "1 Nanjing Road", "note": "via IVR"})]
    assert result.variables["ticket_no"] == "T000001"
    assert channel.heard == ["Your pickup order is T000001."]


def test_sms_is_rendered_and_sent_to_the_caller_by_default():
    body = flow({"s": {"type": "sms", "text": "Waybill {{waybill}}: {{status}}", "next": "end"}, "end": END},
                "s", variables={"waybill": {"default": "1234567890"}, "status": {"default": "delivered"}})
    _, _, services = run_flow(body)
    assert services.sms_sent == [("13800138000", "Waybill 1234567890: delivered")]


def test_sms_to_a_rendered_number():
    body = flow({"s": {"type": "sms", "to": "{{customer.phone}}", "text": "Hi", "next": "end"}, "end": END}, "s")
    _, _, services = run_flow(body, customer={"phone": "13900000000"})
    assert services.sms_sent == [("13900000000", "Hi")]


def test_sms_without_a_number_goes_to_fallback():
    body = flow({"s": {"type": "sms", "to": "{{customer.phone}}", "text": "Hi", "next": "end"}, "end": END}, "s")
    result, _, services = run_flow(body)
    assert services.sms_sent == []
    assert result.trace.path[-1] == "sorry"


def _survey_flow(**changes):
    return flow({"sv": {"type": "survey", "prompt": {"text": "Rate us from 1 to 5."}, "variable": "csat",
                        "thanks_prompt": {"text": "Thank you."}, **changes}}, "sv")


def test_survey_records_the_score_and_thanks():
    result, channel, services = run_flow(_survey_flow(), ["4"])
    assert services.surveys == [("csat", 4)]
    assert result.variables["csat"] == 4
    assert channel.heard == ["Rate us from 1 to 5.", "Thank you."]
    assert result.outcome == "completed"


@pytest.mark.parametrize("press", ["9", "0", None])
def test_survey_out_of_range_or_silent_records_nothing(press):
    _result, channel, services = run_flow(_survey_flow(), [press])
    assert services.surveys == []
    assert "Thank you." not in channel.heard


def test_survey_custom_range_and_next():
    body = _survey_flow(min_score=0, max_score=9, next="end")
    body["nodes"]["end"] = END
    result, _, services = run_flow(body, ["0"])
    assert services.surveys == [("csat", 0)]
    assert result.trace.path == ["sv", "end"]


def test_goto_jumps_to_its_target():
    body = flow({"g": {"type": "goto", "target": "end"}, "end": END}, "g")
    result, _, _ = run_flow(body)
    assert result.trace.path == ["g", "end"]


def test_hangup_plays_its_prompt_then_hangs_up_with_its_cause():
    body = flow({"h": {"type": "hangup", "prompt": {"text": "We are closed."}, "cause": "USER_BUSY"}}, "h")
    result, channel, _ = run_flow(body)
    assert channel.events == [("answer",), ("play", "We are closed."), ("hangup", "USER_BUSY")]
    assert result.hangup_cause == "USER_BUSY"
    assert result.trace.to_dict()["hangup_cause"] == "USER_BUSY"


def test_hangup_default_cause_is_normal_clearing():
    _, channel, _ = run_flow(flow({"h": {"type": "hangup"}}, "h"))
    assert channel.hangup_cause == "NORMAL_CLEARING"


def test_caller_hanging_up_during_a_prompt_ends_at_that_node():
    body = flow({"p": {"type": "play", "prompt": {"text": "A long announcement"}, "next": "end"}, "end": END},
                "p")
    result, _, _ = run_flow(body, channel=ScriptedChannel(hangup_on_play="long"))
    assert (result.outcome, result.node) == ("caller_hangup", "p")


def test_caller_hanging_up_in_a_callback_offer():
    result, _, services = run_flow(_callback_flow(), [HANGUP])
    assert (result.outcome, result.node) == ("caller_hangup", "cb")
    assert services.callbacks == []


def test_inmemory_services_expose_created_tickets_to_builtin_lookup():
    services = InMemoryServices()
    body = flow({
        "t": {"type": "ticket", "form": "pickup", "fields": {"a": "b"}, "variable": "no", "next": "l"},
        "l": {"type": "lookup", "source": {"builtin": "ticket"}, "key": "{{no}}", "assign": {"st": "status"},
              "found": "end", "not_found": "sorry"},
        "end": END,
    }, "t")
    result, _, _ = run_flow(body, services=services)
    assert result.variables["st"] == "pending"
