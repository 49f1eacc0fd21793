"""The dispatch editor's dry run and firing log (issue 16, item 5): the draft's rules run by the real engine
on a real ticket, reported per rule by labels, with nothing written or sent; only in the caller's tenant, only
for designers and tenant admins; bad input refused with a sentence saying what and where."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.models import AuditEntry, CallRecord, CallTask, Notification, RuleFiring, Ticket, TicketHistory
from hotline.platform.services import tickets
from hotline.platform.services.tenants import get_tenant

from ..conftest import Api, World

COMPLAINT = {"waybill": "SF1234567890", "phone": "13801234567", "complainant": "张先生",
             "complaint_type": "attitude", "severity": "normal", "details": "快递员态度恶劣，摔门就走"}


@pytest.fixture(scope="module")
def tenant_ids(db: Database, world: World) -> dict[str, int]:
    with db.platform() as session:
        return {"a": get_tenant(session, world.tenant_a).id, "b": get_tenant(session, world.tenant_b).id}


@pytest.fixture(scope="module")
def numbers(db: Database, world: World, tenant_ids: dict[str, int]) -> dict[str, str]:
    with db.tenant(tenant_ids["a"]) as session:
        a = tickets.create(session, "complaint", dict(COMPLAINT), world.agent_a).number
    with db.tenant(tenant_ids["b"]) as session:
        # Numbers count per tenant: B's third ticket has a number tenant A does not have.
        b = [tickets.create(session, "complaint", dict(COMPLAINT), "b").number for _ in range(3)][-1]
    return {"a": a, "b": b}


def counts(db: Database, tenant_id: int) -> dict[str, Any]:
    with db.tenant(tenant_id) as session:
        found: dict[str, Any] = {model.__name__: session.scalar(select(func.count()).select_from(model))
                                 for model in (RuleFiring, Notification, TicketHistory, AuditEntry, CallTask)}
        found["tickets"] = sorted((t.number, t.revision, t.status, t.group, t.assignee_id, str(t.data))
                                  for t in session.scalars(select(Ticket)))
        return found


def draft_with_edit(api: Api) -> dict[str, Any]:
    """The stored draft plus an unsaved rule at the end (the editor sends what is on screen)."""
    draft = copy.deepcopy(api.get("/api/documents/dispatch/default").get_json()["draft"])
    draft["rules"].append({"name": "delay_only", "label": "仅延误投诉", "event": "ticket.created",
                           "forms": ["complaint"],
                           "when": {"all": [{"field": "ticket.complaint_type", "op": "eq", "value": "delay"},
                                            {"field": "ticket.phone", "op": "not_empty"}]},
                           "actions": [{"type": "set_fields", "fields": {"severity": "serious"}}]})
    draft["rules"].append({"name": "attitude_sms", "label": "态度投诉短信", "event": "ticket.created",
                           "when": {"field": "ticket.complaint_type", "op": "eq", "value": "attitude"},
                           "actions": [{"type": "set_fields", "fields": {"severity": "critical"}},
                                       {"type": "notify", "channel": "sms", "to": "13911112222",
                                        "text": "工单{{ticket.number}}：{{ticket.complaint_type}}，"
                                                "{{ticket.severity}}"}]})
    return draft


def by_name(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in result["rules"]}


def test_the_draft_runs_on_a_ticket_rule_by_rule_and_nothing_is_kept(
        api_as: Callable[..., Api], world: World, db: Database, tenant_ids: dict[str, int],
        numbers: dict[str, str]) -> None:
    analyst = api_as(world.analyst_a)
    draft = draft_with_edit(analyst)
    before = counts(db, tenant_ids["a"])
    response = analyst.post("/api/dispatch/trial", {"draft": draft, "event": "ticket.created",
                                                    "ticket": numbers["a"]})
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert counts(db, tenant_ids["a"]) == before  # no firing, message, history, audit, task or ticket change
    assert result["ticket"]["form_title"] == "投诉"
    assert {"label": "投诉类型", "value": "服务态度"} in result["ticket"]["summary"]
    assert [r["number"] for r in result["rules"]] == list(range(1, len(draft["rules"]) + 1))
    rules = by_name(result)
    assert rules["pickup_monthly"]["verdict"] == "other_form"
    assert rules["sla_warning"]["verdict"] == "other_event"

    # A condition that failed: which part, by label, on what values (labels, never codes).
    serious = rules["complaint_serious"]
    assert serious["verdict"] == "condition_false"
    assert serious["failed"] == [{"field": "ticket.severity", "label": "严重程度", "op": "in", "negated": False,
                                  "missing": False, "actual": "一般",
                                  "expected": ["严重", "重大（媒体/监管部门介入）"]}]
    delay = rules["delay_only"]
    assert [(p["label"], p["actual"], p["expected"]) for p in delay["failed"]] == [("投诉类型", "服务态度", "派送延误")]

    # A rule that ran: the assignment and the e-mail with its rendered text, by labels.
    route = rules["complaint_route"]
    assert route["verdict"] == "ran" and route["outcome"] == "fired"
    assign, notify = route["actions"]
    assert assign["type"] == "assign" and {"kind": "fact", "key": "name", "value": "投诉处理组"} in assign["effects"]
    message = notify["effects"][0]
    assert message["kind"] == "message" and message["channel"] == "email"
    assert message["to"] == "complaint-supervisor@suda-express.example"
    assert "类型服务态度" in message["text"] and "严重程度一般" in message["text"]

    # The unsaved rule: its set_fields by labels, and its SMS rendered after the change it made.
    sms = rules["attitude_sms"]
    assert sms["actions"][0]["effects"] == [{"kind": "set_field", "field": "severity", "label": "严重程度",
                                             "value": "重大（媒体/监管部门介入）"}]
    text = sms["actions"][1]["effects"][0]
    assert text["channel"] == "sms" and text["to"] == "13911112222"
    assert text["text"] == f"工单{numbers['a']}：服务态度，重大（媒体/监管部门介入）"


def test_another_tenants_ticket_is_not_found_and_only_designers_may_try(
        api_as: Callable[..., Api], world: World, numbers: dict[str, str]) -> None:
    analyst = api_as(world.analyst_a)
    body = {"draft": {"rules": []}, "event": "ticket.created", "ticket": numbers["b"]}
    refused = analyst.post("/api/dispatch/trial", body)
    assert refused.status_code == 404 and numbers["b"] in refused.get_json()["error"]
    assert numbers["b"] not in str(analyst.get(f"/api/dispatch/trial/tickets?q={numbers['b']}").get_json())
    agent = api_as(world.agent_a)
    assert agent.post("/api/dispatch/trial", {**body, "ticket": numbers["a"]}).status_code == 403
    assert agent.get("/api/dispatch/firings").status_code == 403
    assert api_as(world.admin_a).post("/api/dispatch/trial", {**body, "ticket": numbers["a"]}).status_code == 200


def test_recent_tickets_are_listed_with_form_title_and_found_by_number(
        api_as: Callable[..., Api], world: World, numbers: dict[str, str]) -> None:
    listed = api_as(world.analyst_a).get(f"/api/dispatch/trial/tickets?q={numbers['a']}").get_json()["tickets"]
    assert [(t["number"], t["form_title"], t["status"]) for t in listed] == [(numbers["a"], "投诉", "待处理")]


@pytest.mark.parametrize(("body", "words"), [
    ({"draft": {"rules": {}}, "event": "ticket.created", "ticket": "T1"}, "draft.rules must be a list"),
    ({"draft": {"rules": [{"name": "a"}, {"name": "b"}, 7]}, "event": "ticket.created", "ticket": "T1"},
     "draft.rules[2] (rule 3) must be an object"),
    ({"draft": {"rules": [{"when": "yes"}]}, "event": "ticket.created", "ticket": "T1"},
     "draft.rules[0].when (rule 1) must be a condition object"),
    ({"draft": {"rules": [{"forms": "complaint"}]}, "event": "ticket.created", "ticket": "T1"},
     "draft.rules[0].forms (rule 1) must be a list of form names"),
    ({"draft": {"rules": []}, "event": "ticket.exploded", "ticket": "T1"}, "event 'ticket.exploded' is not a ticket"),
    ({"draft": {"rules": []}, "event": "ticket.created"}, "give either 'ticket'"),
    ({"draft": {"rules": []}, "event": "ticket.created", "ticket": "T" * 65}, "'ticket' must be 1 to 64"),
    ({"event": "ticket.created", "ticket": "T1"}, "'draft' is required"),
])
def test_bad_input_is_refused_saying_what_and_where(api_as: Callable[..., Api], world: World, body: dict[str, Any],
                                                     words: str) -> None:
    refused = api_as(world.analyst_a).post("/api/dispatch/trial", body)
    assert refused.status_code == 400
    assert words in refused.get_json()["error"]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh_CN", "草稿有 201 条规则，试运行最多 200 条"),
    ("en", "The draft has 201 rules; a dry run takes at most 200"),
])
def test_too_many_rules_are_refused_in_the_readers_language(api_as: Callable[..., Api], world: World,
                                                             lang: str, words: str) -> None:
    refused = api_as(world.analyst_a).post(f"/api/dispatch/trial?lang={lang}",
                                           {"draft": {"rules": [{}] * 201}, "event": "ticket.created",
                                            "ticket": "T1"})
    assert refused.status_code == 400
    assert words in refused.get_json()["error"]


def test_a_huge_draft_is_refused_before_it_is_read(api_as: Callable[..., Api], world: World) -> None:
    big = {"draft": {"rules": [], "description": "长" * 200_000}, "event": "ticket.created", "ticket": "T1"}
    refused = api_as(world.analyst_a).post("/api/dispatch/trial", big)
    assert refused.status_code == 413 and "at most" in refused.get_json()["error"]


def test_the_firing_log_lists_this_tenants_firings_newest_first_in_its_zone(
        api_as: Callable[..., Api], world: World, db: Database, tenant_ids: dict[str, int],
        numbers: dict[str, str]) -> None:
    with db.tenant(tenant_ids["a"]) as session:
        for rule in ("complaint_route", "complaint_serious"):
            session.add(RuleFiring(event="ticket.created", document="default", version=1, rule=rule, outcome="fired",
                                   ticket_number=numbers["a"], detail={"actions": [{"type": "assign",
                                                                                    "status": "done"}]}))
    with db.tenant(tenant_ids["b"]) as session:
        session.add(RuleFiring(event="ticket.created", document="default", version=1, rule="complaint_route",
                               outcome="fired", ticket_number=numbers["b"], detail={}))
    log = api_as(world.analyst_a).get("/api/dispatch/firings").get_json()
    assert log["zone"] == "Asia/Shanghai"
    rows = log["firings"]
    assert [(r["rule_number"], r["rule_label"], r["ticket"]) for r in rows[:2]] == [
        (6, "严重/重大投诉升级质量管理部", numbers["a"]), (5, "投诉分派投诉组并通知主管", numbers["a"])]
    assert numbers["b"] not in {r["ticket"] for r in rows}
    assert rows[0]["event_label"] == "A ticket is created" and rows[0]["action_labels"] == ["Assign"]
    newest = rows[0]["id"]
    assert api_as(world.analyst_a).get(f"/api/dispatch/firings?after={newest}").get_json()["firings"] == []
    assert api_as(world.analyst_a).get("/api/dispatch/firings?after=x1").status_code == 400
    # Past a 32-bit id: nothing is newer (PostgreSQL answered 500, integer out of range).
    past = api_as(world.analyst_a).get("/api/dispatch/firings?after=3000000000")
    assert past.status_code == 200 and past.get_json()["firings"] == []


def test_call_event_rules_run_on_a_recent_call(api_as: Callable[..., Api], world: World, db: Database,
                                               tenant_ids: dict[str, int]) -> None:
    with db.tenant(tenant_ids["a"]) as session:
        session.add(CallRecord(uuid="trial-call-1", did="4008205566", caller="13801230000", queue="complaint",
                               wait_seconds=40))
    analyst = api_as(world.analyst_a)
    calls = analyst.get("/api/dispatch/trial/calls").get_json()
    assert calls["zone"] == "Asia/Shanghai" and "trial-call-1" in [c["uuid"] for c in calls["calls"]]
    draft = analyst.get("/api/documents/dispatch/default").get_json()["draft"]
    before = counts(db, tenant_ids["a"])
    result = analyst.post("/api/dispatch/trial", {"draft": draft, "event": "call.entered_queue",
                                                  "call": "trial-call-1"}).get_json()
    assert counts(db, tenant_ids["a"]) == before
    rules = by_name(result)
    assert [(p["field"], p["actual"], p["expected"]) for p in rules["monthly_priority"]["failed"]] == [
        ("call.queue", "complaint", "general"), ("customer.monthly_settlement", None, True)]
    overflow = rules["complaint_overflow"]
    assert overflow["verdict"] == "ran" and overflow["routing"][0]["type"] == "overflow"
    assert analyst.post("/api/dispatch/trial", {"draft": draft, "event": "ticket.created",
                                                "call": "trial-call-1"}).status_code == 400
    assert api_as(world.analyst_b).post("/api/dispatch/trial", {"draft": draft, "event": "call.entered_queue",
                                                                "call": "trial-call-1"}).status_code == 404
