"""The first-response clock (响应) stops only when a person acts as the form defines it (issue 11 item 5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.kinds import lint
from hotline.platform.kinds.context import LintContext
from hotline.platform.services import response, sla, templates, tickets
from hotline.platform.services.errors import InvalidDocument

Unique = Callable[[str], str]
WANGJING = "北京市朝阳区望京SOHO T1 1201"


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("resp"), None, "test").id


def _dispatched_pickup(db: Database, tenant_id: int) -> str:
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "pickup_order", {"phone": "13651234503", "address": WANGJING,
                                                          "pickup_time": "今天18:00前"}, "agent1").number
    with db.tenant(tenant_id) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})
    return number


def test_the_rules_automatic_move_does_not_stop_the_response_clock(db: Database, tenant_id: int) -> None:
    number = _dispatched_pickup(db, tenant_id)
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert ticket.status == "processing" and ticket.data["courier"] == "张建国"
        assert ticket.first_responded_at is None
        assert not sla.stopped(ticket, "first_response")
        # The response clock is still armed: its breach is due at the first-response due time.
        assert [a.kind for a in sla.alarms(session, ticket) if a.clock == "first_response"] == ["warning", "breach"]
        overdue = sla.overdue(session, within_minutes=60 * 24, now=ticket.created_at + timedelta(minutes=1))
        assert any(item["ticket"].number == number and item["clock"] == "first_response" for item in overdue)


def test_a_person_recording_a_call_is_the_response(db: Database, tenant_id: int) -> None:
    number = _dispatched_pickup(db, tenant_id)
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        with pytest.raises(InvalidDocument) as refused:
            tickets.record_response(session, number, "smile", base_revision=ticket.revision, actor="agent1")
        assert "accept, call, visit" in refused.value.findings[0].message
        ticket = tickets.record_response(session, number, "call", base_revision=ticket.revision, actor="agent1",
                                         note="快递员已联系寄件人")
        assert ticket.first_responded_at is not None
        entry = tickets.history(session, number)[-1]
        assert (entry.action, entry.changes["label"]) == ("respond", "已电话联系寄件人")


def test_system_actors_never_respond(db: Database, tenant_id: int) -> None:
    number = _dispatched_pickup(db, tenant_id)
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        ticket = tickets.record_response(session, number, "call", base_revision=ticket.revision, actor="dispatch")
        assert ticket.first_responded_at is None
        ticket = tickets.transition(session, number, "pending", base_revision=ticket.revision, actor="ivr:abc")
        ticket = tickets.transition(session, number, "processing", base_revision=ticket.revision, actor="sla")
        assert ticket.first_responded_at is None


def test_a_person_moving_to_a_response_status_responds(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        ticket = tickets.create(session, "pickup_order", {"phone": "13651234503", "address": "上海市某地",
                                                          "pickup_time": "今天18:00前"}, "agent1")
        ticket = tickets.transition(session, ticket.number, "cancelled", base_revision=ticket.revision,
                                    actor="agent1")
        # 已取消 is not a response status of 取件下单; only 处理中 (dispatched by a person) is.
        assert ticket.first_responded_at is None
        ticket = tickets.create(session, "pickup_order", {"phone": "13651234503", "address": "上海市某地",
                                                          "pickup_time": "今天18:00前"}, "agent1")
        ticket = tickets.transition(session, ticket.number, "processing", base_revision=ticket.revision,
                                    actor="dispatcher1")
        assert ticket.first_responded_at is not None


def test_without_a_definition_a_persons_first_move_responds_and_a_rules_does_not() -> None:
    form = {"statuses": [{"name": "new", "initial": True}, {"name": "open"}]}
    assert response.transition_counts(form, "new", "new", "open", actor="agent1")
    assert not response.transition_counts(form, "new", "new", "open", actor="dispatch")
    assert not response.transition_counts(form, "new", "new", "open", actor="agent1", automatic=True)
    assert response.actions(form) == response.DEFAULT_ACTIONS


def test_the_form_lint_refuses_unknown_or_initial_response_statuses() -> None:
    body = templates.load("express_delivery").documents[("form", "pickup_order")]
    body = {**body, "sla": {**body["sla"], "response": {"statuses": ["pending", "gone"]}}}
    found = lint.check("form", body, LintContext())
    codes = {(f.pointer, f.code) for f in found}
    assert ("/sla/response/statuses/0", "initial-response") in codes
    assert ("/sla/response/statuses/1", "unknown-status") in codes
