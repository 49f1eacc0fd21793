"""Dispatch rules at run time: order and stop, forms, conditions, every action, coverage, history, gone references."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from hotline.platform.db import Database
from hotline.platform.dispatch import Firing, run_rules, ticket_context
from hotline.platform.dispatch.actions import registered_types
from hotline.platform.models import AuditEntry, Customer, Directory, Notification, Queue, Role, Tenant
from hotline.platform.services import templates, tickets, users
from hotline.platform.services.documents import DocumentService

Unique = Callable[[str], str]
SCHEMA = Path(__file__).parents[3] / "hotline/platform/kinds/dispatch/schema.json"
WANGJING = "北京市朝阳区望京SOHO T1 1201"  # the template customer 李晓燕's address: courier 张建国


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("disp"), None, "test").id


def _publish(db: Database, tenant_id: int, name: str, *rules: dict[str, Any]) -> None:
    with db.tenant(tenant_id) as session:
        service = DocumentService(session, "test")
        service.create("dispatch", name, {"rules": list(rules)})
        service.publish("dispatch", name)


def _publish_unchecked(db: Database, tenant_id: int, name: str, *rules: dict[str, Any]) -> None:
    """Publishes rules the lint would refuse today: what a version published before a rename looks like."""
    _publish(db, tenant_id, name, _rule("placeholder", {"type": "escalate", "target": "group", "name": "x"}))
    with db.tenant(tenant_id) as session:
        version = DocumentService(session, "test").published("dispatch", name)
        version.body = {"rules": list(rules)}


def _tracking(db: Database, tenant_id: int, **data: Any) -> str:
    with db.tenant(tenant_id) as session:
        return tickets.create(session, "tracking_query", {"waybill": "YT1234567890", "phone": "13800138000",
                                                          "question_type": "no_update", **data}, "agent1").number


def _pickup(db: Database, tenant_id: int, customer: str | None = None, **data: Any) -> str:
    with db.tenant(tenant_id) as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.name == customer)) if customer else None
        return tickets.create(session, "pickup_order", {"phone": "13801234501", "address": WANGJING,
                                                        "pickup_time": "今天18:00前", **data}, "agent1",
                              customer_id=customer_id).number


def _run(db: Database, tenant_id: int, event: str, number: str | None = None, **context: Any) -> list[Firing]:
    with db.tenant(tenant_id) as session:
        if number is not None:
            context["ticket"] = tickets.get(session, number)
        return run_rules(session, event, context)


def _rule(name: str, *actions: dict[str, Any], event: str = "ticket.updated", **extra: Any) -> dict[str, Any]:
    return {"name": name, "event": event, "actions": list(actions), **extra}


def _escalate() -> dict[str, Any]:
    return {"type": "escalate", "target": "group", "name": "客服班长组"}


def _set(**fields: Any) -> dict[str, Any]:
    return {"type": "set_fields", "fields": fields}


def test_every_action_type_of_the_schema_has_a_handler() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert registered_types() == set(schema["$defs"]["action_base"]["properties"]["type"]["enum"])


def test_rules_run_in_order_see_earlier_changes_and_stop(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_order",
             _rule("first", _set(result="one"), forms=["tracking_query"]),
             _rule("second", _set(result="two"), stop=True,
                   when={"field": "ticket.result", "op": "eq", "value": "one"}),
             _rule("third", _set(result="three")))
    _publish(db, tenant_id, "b_later", _rule("other_document", _set(result="four")))
    number = _tracking(db, tenant_id)
    firings = _run(db, tenant_id, "ticket.updated", number)
    assert [(f.rule, f.outcome) for f in firings] == [("first", "fired"), ("second", "fired")]
    with db.tenant(tenant_id) as session:
        assert tickets.get(session, number).data["result"] == "two"


def test_a_rule_that_did_not_fire_does_not_stop(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_nostop",
             _rule("never", _set(result="x"), stop=True, when={"field": "ticket.result", "op": "eq", "value": "z"}),
             _rule("disabled", _set(result="disabled"), enabled=False),
             _rule("then", _set(result="then")))
    number = _tracking(db, tenant_id)
    assert [f.rule for f in _run(db, tenant_id, "ticket.updated", number)] == ["then"]


def test_forms_filter(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_forms",
             _rule("consultation_only", _escalate(), forms=["consultation"]),
             _rule("tracking_only", _escalate(), forms=["tracking_query", "complaint"]))
    number = _tracking(db, tenant_id)
    assert [f.rule for f in _run(db, tenant_id, "ticket.updated", number)] == ["tracking_only"]


@pytest.mark.parametrize(("when", "fires"), [
    ({"field": "ticket.waybill", "op": "starts_with", "value": "YT"}, True),
    ({"all": [{"field": "ticket.status", "op": "eq", "value": "pending"},
              {"field": "ticket.form", "op": "eq", "value": "tracking_query"}]}, True),
    ({"field": "ticket.waybill", "op": "eq", "value": "SF0000000000"}, False),
    ({"field": "ticket.recipient", "op": "eq", "value": "王五"}, False),  # a field the ticket does not have
    ({"field": "customer.vip", "op": "eq", "value": True}, False),  # no customer at all
])
def test_conditions(db: Database, tenant_id: int, when: dict[str, Any], fires: bool) -> None:
    _publish(db, tenant_id, "a_cond", _rule("conditional", _set(result="hit"), when=when))
    number = _tracking(db, tenant_id)
    assert [f.rule for f in _run(db, tenant_id, "ticket.updated", number)] == (["conditional"] if fires else [])


def test_the_context_has_ticket_fields_attributes_and_the_customer(db: Database, tenant_id: int) -> None:
    number = _pickup(db, tenant_id, "李晓燕")
    with db.tenant(tenant_id) as session:
        context = ticket_context(session, tickets.get(session, number))
    assert context["ticket"]["number"] == number and context["ticket"]["form"] == "pickup_order"
    assert context["ticket"]["address"] == WANGJING and context["ticket"]["overdue"] is False
    assert context["customer"]["name"] == "李晓燕" and context["customer"]["monthly_settlement"] is True


def test_assign_to_an_agent_and_to_a_group(db: Database, tenant_id: int, unique: Unique) -> None:
    username = unique("agent")
    with db.platform() as session:
        agent = users.create_user(session, username, "secret-password", "test")
        users.grant(session, agent, session.get(Tenant, tenant_id), Role.AGENT, "test")
        agent_id = agent.id
    _publish(db, tenant_id, "a_assign",
             _rule("to_agent", {"type": "assign", "target": "agent", "name": username}),
             _rule("to_group", {"type": "assign", "target": "department", "name": "质量管理部"}))
    number = _tracking(db, tenant_id)
    firings = _run(db, tenant_id, "ticket.updated", number)
    assert [f.outcome for f in firings] == ["fired", "fired"]
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.assignee_id, ticket.group) == (agent_id, "质量管理部")


def test_assign_to_an_unknown_agent_skips_the_rule(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_assign",
             _rule("to_nobody", _set(result="should not be set"), {"type": "assign", "target": "agent",
                                                                      "name": "nobody-here"}))
    number = _tracking(db, tenant_id)
    [firing] = _run(db, tenant_id, "ticket.updated", number)
    assert firing.outcome == "skipped" and "nobody-here" in firing.warnings[0]
    with db.tenant(tenant_id) as session:
        assert "result" not in tickets.get(session, number).data


def test_notify_renders_and_logs_every_channel(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_notify", _rule(
        "tell", {"type": "notify", "channel": "sms", "to": "{{ticket.phone}}", "text": "运单{{ticket.waybill}}已受理"},
        {"type": "notify", "channel": "email", "to": "boss@example.com", "subject": "工单{{ticket.number}}",
         "text": "{{ticket.status}}"},
        {"type": "notify", "channel": "webhook", "to": "https://crm.example/hook"},
        {"type": "notify", "channel": "sms", "to": "{{ticket.recipient_phone}}", "text": "无人可发"}))
    number = _tracking(db, tenant_id)
    [firing] = _run(db, tenant_id, "ticket.updated", number)
    assert [a["status"] for a in firing.actions] == ["done", "done", "done", "skipped"]
    assert firing.outcome == "partial" and "no recipient" in firing.warnings[0]
    with db.tenant(tenant_id) as session:
        rows = session.scalars(select(Notification).where(Notification.id.in_(
            [a["notification"] for a in firing.actions if "notification" in a])).order_by(Notification.id)).all()
        assert [(r.channel, r.to, r.status) for r in rows] == [
            ("sms", "13800138000", "sent"), ("email", "boss@example.com", "sent"),
            ("webhook", "https://crm.example/hook", "sent")]
        assert rows[0].body == "运单YT1234567890已受理" and rows[1].subject == f"工单{number}"
        assert rows[1].body == "待处理" and json.loads(rows[2].body)["ticket"]["number"] == number
        assert rows[0].origin == {"rule": "tell", "event": "ticket.updated", "dispatch": "a_notify",
                                  "ticket": number}


def test_escalate_set_fields_and_status_are_in_the_history(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_misc", _rule(
        "misc", {"type": "escalate", "target": "department", "name": "理赔中心", "level": 2,
                 "note": "工单{{ticket.number}}"},
        _set(result="已联系", priority=8, group="客服班长组"),
        {"type": "set_status", "status": "processing"},
        {"type": "set_status", "status": "cancelled"}))  # processing → cancelled is not a transition
    number = _tracking(db, tenant_id)
    [firing] = _run(db, tenant_id, "ticket.updated", number)
    assert [a["status"] for a in firing.actions] == ["done", "done", "done", "skipped"]
    assert firing.outcome == "partial" and "cannot move to 'cancelled'" in firing.warnings[0]
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.status, ticket.priority, ticket.group, ticket.data["result"]) == (
            "processing", 8, "客服班长组", "已联系")
        entries = [(e.action, e.changes) for e in tickets.history(session, number)]
    actions = [a for a, _ in entries]
    assert actions == ["create", "escalate", "update", "assign", "update", "transition", "rule"]
    assert entries[1][1] == {"target": "department", "name": "理赔中心", "level": 2, "note": f"工单{number}",
                             "rule": "misc"}
    rule_entry = entries[-1][1]
    assert (rule_entry["rule"], rule_entry["event"], rule_entry["outcome"]) == ("misc", "ticket.updated", "partial")
    assert [a["type"] for a in rule_entry["actions"]] == ["escalate", "set_fields", "set_status", "set_status"]


def test_a_status_the_form_does_not_have_skips_the_rule(db: Database, tenant_id: int) -> None:
    _publish_unchecked(db, tenant_id, "a_status",
                       _rule("bad_status", _set(result="x"), {"type": "set_status", "status": "archived"}),
                       _rule("bad_field", _set(no_such_field="x")),
                       _rule("fine", _set(result="fine")))
    number = _tracking(db, tenant_id)
    with db.tenant(tenant_id) as session:  # the context may name the ticket by number only
        firings = run_rules(session, "ticket.updated", {"ticket": {"number": number}})
    assert [(f.rule, f.outcome) for f in firings] == [("bad_status", "skipped"), ("bad_field", "skipped"),
                                                      ("fine", "fired")]
    assert "status 'archived' is not a status of form tracking_query" in firings[0].warnings[0]
    assert "'no_such_field' is not a field" in firings[1].warnings[0]
    with db.tenant(tenant_id) as session:
        assert tickets.get(session, number).data["result"] == "fine"


def test_a_failing_action_does_not_stop_the_others_or_later_rules(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_fail",
             _rule("bad_value", _set(question_type="not-an-option"), _set(result="after the failure")),
             _rule("later", {"type": "escalate", "target": "group", "name": "客服班长组"}))
    number = _tracking(db, tenant_id)
    firings = _run(db, tenant_id, "ticket.updated", number)
    assert [(f.rule, f.outcome) for f in firings] == [("bad_value", "partial"), ("later", "fired")]
    assert firings[0].actions[0]["status"] == "failed" and "InvalidDocument" in firings[0].actions[0]["reason"]
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert ticket.data["question_type"] == "no_update" and ticket.data["result"] == "after the failure"


def test_callbacks_and_return_visits_are_tasks_on_the_firing_and_in_history(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_tasks", _rule(
        "later_calls", {"type": "schedule_callback", "queue": "general", "after_minutes": 30,
                        "note": "回电{{ticket.number}}"},
        {"type": "start_return_visit", "script": "return_visit", "after_minutes": 1440}))
    number = _tracking(db, tenant_id)
    [firing] = _run(db, tenant_id, "ticket.updated", number)
    assert firing.outcome == "fired"
    callback, visit = firing.tasks
    assert (callback["type"], callback["queue"], callback["phone"], callback["note"]) == (
        "callback", "general", "13800138000", f"回电{number}")
    assert (visit["type"], visit["script"], visit["ticket"]) == ("return_visit", "return_visit", number)
    with db.tenant(tenant_id) as session:
        actions = [e.action for e in tickets.history(session, number)]
    assert actions == ["create", "callback_scheduled", "visit_scheduled", "rule"]


def test_routing_decisions_on_call_events_and_the_audit_log(db: Database, tenant_id: int) -> None:
    firings = _run(db, tenant_id, "call.entered_queue", call={"uuid": "call-1", "queue": "general",
                                                              "caller": "13801234501"},
                   customer={"monthly_settlement": True})
    assert [(f.rule, f.routing) for f in firings] == [
        ("monthly_priority", [{"type": "route_to_queue", "queue": "general", "priority": 7,
                               "skills": ["express_general"]}])]
    firings = _run(db, tenant_id, "call.entered_queue", call={"uuid": "call-2", "queue": "complaint"})
    assert firings[0].routing == [{"type": "overflow", "after_seconds": 180, "to": "callback"}]
    firings = _run(db, tenant_id, "call.abandoned", call={"uuid": "call-3", "caller": "13900000000",
                                                          "wait_seconds": 45})
    assert firings[0].tasks[0]["phone"] == "13900000000" and "45秒" in firings[0].tasks[0]["note"]
    with db.tenant(tenant_id) as session:
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "dispatch.rule",
                                                           AuditEntry.object_type == "call")).all()
        assert {(a.object_id, a.detail["rule"]) for a in audited} == {
            ("call-1", "monthly_priority"), ("call-2", "complaint_overflow"), ("call-3", "abandoned_callback")}


def test_a_queue_deleted_after_publish_skips_the_rule(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        session.execute(delete(Queue).where(Queue.name == "general"))
    firings = _run(db, tenant_id, "call.entered_queue", call={"queue": "general"},
                   customer={"monthly_settlement": True})
    assert [(f.rule, f.outcome) for f in firings] == [("monthly_priority", "skipped")]
    assert "queue 'general' does not exist" in firings[0].warnings[0] and firings[0].routing == []


def test_ticket_actions_on_a_call_event_skip_the_rule(db: Database, tenant_id: int) -> None:
    _publish_unchecked(db, tenant_id, "a_odd", _rule("odd", _set(result="x"), event="call.abandoned"))
    firings = _run(db, tenant_id, "call.abandoned", call={"uuid": "c", "wait_seconds": 1})
    assert [(f.rule, f.outcome) for f in firings] == [("odd", "skipped")]


def test_assign_by_coverage_fills_the_courier_and_sends_the_sms(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_cover", _rule(
        "cover", {"type": "assign_by_coverage", "directory": "couriers", "address_field": "address",
                  "name_field": "courier", "phone_field": "courier_phone", "notify": True,
                  "text": "{{ticket.courier}}：请到{{ticket.address}}取件，单号{{ticket.number}}"},
        forms=["pickup_order"]))
    number = _pickup(db, tenant_id)
    firings = _run(db, tenant_id, "ticket.updated", number)
    assert [(f.rule, f.outcome) for f in firings] == [("cover", "fired")]
    done = firings[0].actions[0]
    assert (done["entry"], done["phone"], done["branch"]) == ("张建国", "13910000001", "朝阳望京网点")
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.data["courier"], ticket.data["courier_phone"]) == ("张建国", "13910000001")
        sms = session.get(Notification, done["sms"]["notification"])
        assert (sms.channel, sms.to, sms.status) == ("sms", "13910000001", "sent")
        assert sms.body == f"张建国：请到{WANGJING}取件，单号{number}"
        assert sms.origin["ticket"] == number and sms.origin["rule"] == "cover"


def test_no_covering_courier_halts_the_rule_and_leaves_the_ticket_unassigned(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "a_cover", _rule(
        "cover", {"type": "assign_by_coverage", "directory": "couriers", "address_field": "address",
                  "name_field": "courier", "phone_field": "courier_phone"},
        {"type": "set_status", "status": "processing"}, forms=["pickup_order"]))
    number = _pickup(db, tenant_id, address="上海市浦东新区陆家嘴环路1000号")
    [firing] = _run(db, tenant_id, "ticket.updated", number)
    assert firing.outcome == "partial" and "没有覆盖该地址的人员" in firing.warnings[0]
    assert [a["status"] for a in firing.actions] == ["unassigned"]  # set_status did not run
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert ticket.status == "pending" and "courier" not in ticket.data


def test_a_directory_deleted_after_publish_skips_the_rule_with_a_warning(
        db: Database, tenant_id: int, caplog: pytest.LogCaptureFixture) -> None:
    _publish(db, tenant_id, "a_cover",
             _rule("cover", {"type": "assign_by_coverage", "directory": "couriers", "address_field": "address",
                             "name_field": "courier", "phone_field": "courier_phone"},
                   {"type": "set_status", "status": "processing"}, forms=["pickup_order"]),
             _rule("after", _set(remark="still runs"), forms=["pickup_order"]))
    with db.tenant(tenant_id) as session:
        session.delete(session.scalar(select(Directory).where(Directory.name == "couriers")))
    number = _pickup(db, tenant_id)
    with caplog.at_level("WARNING", logger="hotline.dispatch"):
        firings = _run(db, tenant_id, "ticket.updated", number)
    assert [(f.rule, f.outcome) for f in firings] == [("cover", "skipped"), ("after", "fired")]
    assert firings[0].actions == [] and "directory 'couriers' does not exist" in firings[0].warnings[0]
    assert "directory 'couriers' does not exist" in caplog.text
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert ticket.status == "pending" and ticket.data["remark"] == "still runs"
        rules = [e.changes for e in tickets.history(session, number) if e.action == "rule"]
        assert [(r["rule"], r["outcome"]) for r in rules] == [("cover", "skipped"), ("after", "fired")]
        assert rules[0]["warnings"] == firings[0].warnings


def test_the_express_default_rules_on_a_created_pickup_order(db: Database, tenant_id: int) -> None:
    number = _pickup(db, tenant_id, "李晓燕", sender_name="李晓燕")
    firings = _run(db, tenant_id, "ticket.created", number)
    assert [(f.rule, f.outcome) for f in firings] == [("pickup_monthly", "fired"), ("pickup_assign_courier", "fired")]
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert ticket.data["payment"] == "monthly"
        assert (ticket.data["courier"], ticket.data["courier_phone"], ticket.status) == (
            "张建国", "13910000001", "processing")
        sms = session.scalars(select(Notification).where(Notification.to == "13910000001")).all()
        assert len(sms) == 1 and sms[0].body.startswith(f"【速达取件】李晓燕 13801234501，地址：{WANGJING}")
        assert sms[0].body.endswith(f"取件单{number}，请按时上门。")
        history = [(e.action, e.actor) for e in tickets.history(session, number)]
        assert history == [("create", "agent1"), ("update", "dispatch"), ("rule", "dispatch"),
                           ("update", "dispatch"), ("transition", "dispatch"), ("rule", "dispatch")]
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "dispatch.rule",
                                                           AuditEntry.object_id == number)).all()
        assert sorted(a.detail["rule"] for a in audited) == ["pickup_assign_courier", "pickup_monthly"]


def test_a_customer_without_monthly_settlement_keeps_the_payment(db: Database, tenant_id: int) -> None:
    number = _pickup(db, tenant_id, phone="13651234503", address="北京市东城区东直门外大街48号东方银座C座2306")
    firings = _run(db, tenant_id, "ticket.created", number)
    assert [f.rule for f in firings] == ["pickup_assign_courier"]
    with db.tenant(tenant_id) as session:
        assert tickets.get(session, number).data["courier"] == "杨磊"
