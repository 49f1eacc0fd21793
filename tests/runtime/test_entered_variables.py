"""What the caller entered, for the desk's screen pop and the test-call report (QA of issue 11, item 4): only the
variables the call set, by their labels from the IVR document; defaults and undescribed variables stay hidden."""

from __future__ import annotations

from hotline.runtime.flow.entered import entered, set_during_call
from hotline.runtime.trial.report import TrialCallResult

EXPRESS_VARIABLES = {"waybill": {"label": "运单号", "description": "来电者输入的运单号"},
                     "pickup_time": {"label": "上门时段", "default": "今天18:00前"},
                     "described": {"description": "来电者选择的业务"}}


def test_a_default_the_call_never_set_is_not_shown() -> None:
    steps = [{"node": "welcome"}, {"node": "track_collect", "set": {"waybill": "773001234560"}},
             {"node": "lookup", "set": {"parcel_status": "派送中"}}]
    assert entered({"variables": EXPRESS_VARIABLES}, steps) == [
        {"name": "waybill", "label": "运单号", "value": "773001234560"}]


def test_labels_then_descriptions_name_what_was_entered() -> None:
    steps = [{"node": "slot", "set": {"pickup_time": "明天上午9:00-12:00"}},
             {"node": "menu", "set": {"described": "寄件"}}]
    assert [(x["label"], x["value"]) for x in entered({"variables": EXPRESS_VARIABLES}, steps)] == [
        ("上门时段", "明天上午9:00-12:00"), ("来电者选择的业务", "寄件")]


def test_the_report_prints_only_what_the_call_set() -> None:
    steps = [{"node": "main_menu", "digits": ["0"]}, {"node": "agent_queue"}]
    result = TrialCallResult(uuid="u", outcome="queued", path=["main_menu", "agent_queue"], prompts=[],
                             digits=[["0"]], variables=set_during_call(steps), errors=[], bridges=[],
                             hangup_cause=None, ivr_version=1, steps=steps)
    assert not any("pickup_time" in line for line in result.lines())


def test_the_express_template_labels_its_variables() -> None:
    import json
    from pathlib import Path

    body = json.loads(Path("tenant_templates/express_delivery/ivr/main.json").read_text("utf-8"))
    assert body["variables"]["pickup_time"]["label"] == "上门时段"
    assert body["variables"]["waybill"]["label"] == "运单号"
