"""The runtime's entry points: route_call folds the call.entered_queue rules into a RouteDecision;
call_abandoned queues its event for after commit; neither ever raises into a live call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, select

from hotline.platform.db import Database
from hotline.platform.dispatch.call_events import RouteDecision, call_abandoned, route_call
from hotline.platform.models import Queue, RuleFiring
from hotline.platform.services import templates
from hotline.platform.services.documents import DocumentService

Unique = Callable[[str], str]


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("call"), None, "test").id


def _publish(db: Database, tenant_id: int, name: str, *rules: dict[str, Any]) -> None:
    with db.tenant(tenant_id) as session:
        service = DocumentService(session, "test")
        service.create("dispatch", name, {"rules": list(rules)})
        service.publish("dispatch", name)


def _route(db: Database, tenant_id: int, call: dict[str, Any]) -> RouteDecision | None:
    with db.tenant(tenant_id) as session:
        return route_call(session, tenant_id, call)


def test_a_monthly_settlement_caller_is_routed_with_priority_and_skills(db: Database, tenant_id: int) -> None:
    decision = _route(db, tenant_id, {"uuid": "c1", "queue": "general", "caller": "13801234501",
                                      "customer": {"monthly_settlement": True}})
    assert decision == RouteDecision(queue="general", priority=7, skills=("express_general",),
                                     rules=("monthly_priority",))
    with db.tenant(tenant_id) as session:
        logged = session.scalars(select(RuleFiring).where(RuleFiring.call_uuid == "c1")).all()
        assert [(f.rule, f.event, f.outcome) for f in logged] == [("monthly_priority", "call.entered_queue", "fired")]


def test_no_rule_firing_keeps_the_ivr_choice(db: Database, tenant_id: int) -> None:
    assert _route(db, tenant_id, {"uuid": "c2", "queue": "general", "caller": "13801234501"}) is None


def test_overflow_decisions_come_with_the_rules_that_fired(db: Database, tenant_id: int) -> None:
    decision = _route(db, tenant_id, {"uuid": "c3", "queue": "complaint"})
    assert decision is not None and decision.queue is None and decision.rules == ("complaint_overflow",)
    assert decision.overflow == ({"after_seconds": 180, "to": "callback"},)


def test_the_last_routing_rule_that_fired_wins_and_stop_ends_the_run(db: Database, tenant_id: int) -> None:
    _publish(db, tenant_id, "zz_vip", {
        "name": "vip_first", "event": "call.entered_queue",
        "when": {"field": "customer.vip", "op": "eq", "value": True},
        "actions": [{"type": "route_to_queue", "queue": "complaint", "priority": 9, "skills": ["express_complaint"]}],
        "stop": True}, {
        "name": "never_after_stop", "event": "call.entered_queue",
        "actions": [{"type": "route_to_queue", "queue": "general", "priority": 1}]})
    decision = _route(db, tenant_id, {"uuid": "c4", "queue": "general", "customer": {"vip": True,
                                                                                     "monthly_settlement": True}})
    assert decision is not None
    assert (decision.queue, decision.priority, decision.skills) == ("complaint", 9, ("express_complaint",))
    assert decision.rules == ("monthly_priority", "vip_first")


def test_a_queue_deleted_after_publish_is_skipped_not_raised(db: Database, tenant_id: int,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    with db.tenant(tenant_id) as session:
        session.execute(delete(Queue).where(Queue.name == "general"))
    with caplog.at_level("WARNING", logger="hotline.dispatch"):
        decision = _route(db, tenant_id, {"uuid": "c5", "queue": "general", "customer": {"monthly_settlement": True}})
    assert decision is None  # the only matching rule was skipped: nothing fired
    assert "queue 'general' does not exist" in caplog.text


def test_a_session_of_another_tenant_is_refused_quietly(db: Database, tenant_id: int, unique: Unique,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    with db.platform() as session:
        other = templates.clone(session, templates.load("express_delivery"), unique("oth"), None, "test").id
    with db.tenant(other) as session, caplog.at_level("ERROR", logger="hotline.dispatch.calls"):
        assert route_call(session, tenant_id, {"uuid": "c6", "customer": {"monthly_settlement": True}}) is None
    assert "not " + str(tenant_id) in caplog.text


def test_call_abandoned_queues_its_event_only_when_the_session_commits(db: Database, tenant_id: int) -> None:
    seen: list[dict[str, Any]] = []
    db.notifier.subscribe(seen.append)
    with db.tenant(tenant_id) as session:
        call_abandoned(session, tenant_id, {"uuid": "c7", "caller": "13900000000", "wait_seconds": 45})
        assert seen == []
    with pytest.raises(RuntimeError), db.tenant(tenant_id) as session:
        call_abandoned(session, tenant_id, {"uuid": "c8"})
        raise RuntimeError("the runtime failed before commit")
    events = [p for p in seen if p.get("type") == "dispatch.event"]
    assert [(p["event"], p["tenant_id"], p["context"]["call"]["uuid"]) for p in events] == [
        ("call.abandoned", tenant_id, "c7")]
