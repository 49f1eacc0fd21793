"""Ticket edits (optimistic concurrency), status transitions with SLA timestamps and 回呼, assignment, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Role, Tenant, Ticket
from hotline.platform.services import templates, tickets, users
from hotline.platform.services.errors import Conflict, InvalidDocument, NotFound

Unique = Callable[[str], str]


@pytest.fixture(scope="module")
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), "life", None, "test").id


@pytest.fixture(scope="module")
def other_tenant_id(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), "life-b", None, "test").id


def _tracking(db: Database, tenant_id: int, **data: Any) -> str:
    with db.tenant(tenant_id) as session:
        ticket = tickets.create(session, "tracking_query", {"waybill": "YT1234567890", "phone": "13800138000",
                                                            "question_type": "no_update", **data}, "agent1")
        return ticket.number


def test_an_edit_from_a_stale_revision_is_refused_and_changes_nothing(db: Database, tenant_id: int) -> None:
    number = _tracking(db, tenant_id)
    with db.tenant(tenant_id) as session:
        ticket = tickets.update(session, number, {"waybill": "YT9999999999", "result": "已联系网点"},
                                base_revision=1, actor="alice")
        assert ticket.revision == 2
        assert ticket.data["waybill"] == "YT9999999999"
    with pytest.raises(Conflict) as caught, db.tenant(tenant_id) as session:
        tickets.update(session, number, {"result": "bob's answer"}, base_revision=1, actor="bob")
    assert caught.value.current_revision == 2
    assert "revision 2" in str(caught.value) and "revision 1" in str(caught.value)
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.revision, ticket.data["result"]) == (2, "已联系网点")
        assert {(k.field, k.value) for k in ticket.search_keys} == {("waybill", "YT9999999999"),
                                                                      ("phone", "13800138000")}
        entries = tickets.history(session, number)
        assert [(e.actor, e.action) for e in entries] == [("agent1", "create"), ("alice", "update")]
        assert entries[1].changes == {"result": [None, "已联系网点"], "waybill": ["YT1234567890", "YT9999999999"]}
        assert entries[1].at is not None


def test_invalid_changes_are_refused_at_the_field_pointer(db: Database, tenant_id: int) -> None:
    number = _tracking(db, tenant_id)
    with pytest.raises(InvalidDocument) as caught, db.tenant(tenant_id) as session:
        tickets.update(session, number, {"phone": "abc", "waybill": None}, base_revision=1, actor="alice")
    assert {f.pointer for f in caught.value.findings} == {"/phone", "/waybill"}
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.revision, ticket.data["phone"]) == (1, "13800138000")


def test_pending_processing_done_sets_sla_timestamps_history_and_a_callback(db: Database, tenant_id: int) -> None:
    number = _tracking(db, tenant_id, phone="13911112222")
    with db.tenant(tenant_id) as session:
        ticket = tickets.transition(session, number, "processing", base_revision=1, actor="alice", note="查询中")
        assert (ticket.status, ticket.revision, ticket.resolved_at) == ("processing", 2, None)
        first = ticket.first_responded_at
        assert first is not None
    with db.tenant(tenant_id) as session:
        ticket = tickets.transition(session, number, "pending", base_revision=2, actor="alice")
        ticket = tickets.transition(session, number, "processing", base_revision=3, actor="bob")
        assert ticket.first_responded_at == first  # only the first move out of pending counts
        ticket = tickets.transition(session, number, "done", base_revision=4, actor="bob")
        assert ticket.status == "done" and ticket.resolved_at is not None
    with db.tenant(tenant_id) as session:
        entries = tickets.history(session, number)
        assert [(e.actor, e.action) for e in entries] == [
            ("agent1", "create"), ("alice", "transition"), ("alice", "transition"), ("bob", "transition"),
            ("bob", "transition"), ("bob", "callback_due")]
        assert entries[1].changes["status"] == ["pending", "processing"]
        assert entries[1].changes["note"] == "查询中"
        assert entries[1].changes["first_responded_at"][0] is None
        assert entries[4].changes["status"] == ["processing", "done"]
        assert entries[4].changes["resolved_at"][1] is not None
        assert entries[5].changes == {"phone": "13911112222", "status": "done"}
        assert all(e.at is not None for e in entries)


def test_a_form_without_callback_on_resolve_records_no_callback(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "consultation", {"phone": "13800000001", "topic": "fees",
                                                          "question": "寄到上海多少钱"}, "agent1").number
        tickets.transition(session, number, "done", base_revision=1, actor="alice")
        assert [e.action for e in tickets.history(session, number)] == ["create", "transition"]


def test_a_move_off_the_transitions_is_refused_listing_the_allowed_ones(db: Database, tenant_id: int) -> None:
    number = _tracking(db, tenant_id)
    with db.tenant(tenant_id) as session:
        tickets.transition(session, number, "processing", base_revision=1, actor="alice")
    with pytest.raises(InvalidDocument) as caught, db.tenant(tenant_id) as session:
        tickets.transition(session, number, "cancelled", base_revision=2, actor="alice")
    [finding] = caught.value.findings
    assert finding.pointer == "/status"
    assert "'done'" in finding.message and "'pending'" in finding.message
    with pytest.raises(InvalidDocument) as caught, db.tenant(tenant_id) as session:
        tickets.transition(session, number, "nonsense", base_revision=2, actor="alice")
    assert "not a status" in caught.value.findings[0].message
    with pytest.raises(Conflict), db.tenant(tenant_id) as session:
        tickets.transition(session, number, "done", base_revision=1, actor="bob")
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.status, ticket.revision, ticket.resolved_at) == ("processing", 2, None)


def test_assign_to_an_agent_and_a_group(db: Database, tenant_id: int, unique: Unique) -> None:
    with db.platform() as session:
        agent = users.create_user(session, unique("agent"), "secret-password", "test")
        users.grant(session, agent, session.get(Tenant, tenant_id), Role.AGENT, "test")
        outsider = users.create_user(session, unique("outsider"), "secret-password", "test")
        agent_id, outsider_id = agent.id, outsider.id
    number = _tracking(db, tenant_id)
    with db.tenant(tenant_id) as session:
        ticket = tickets.assign(session, number, assignee_id=agent_id, group="tracking", base_revision=1,
                                actor="supervisor")
        assert (ticket.assignee_id, ticket.group, ticket.revision) == (agent_id, "tracking", 2)
    with pytest.raises(InvalidDocument) as caught, db.tenant(tenant_id) as session:
        tickets.assign(session, number, assignee_id=outsider_id, base_revision=2, actor="supervisor")
    assert caught.value.findings[0].pointer == "/assignee_id"
    with pytest.raises(Conflict), db.tenant(tenant_id) as session:
        tickets.assign(session, number, group="complaints", base_revision=1, actor="supervisor")
    with db.tenant(tenant_id) as session:
        ticket = tickets.assign(session, number, group="complaints", base_revision=2, actor="supervisor")
        assert (ticket.assignee_id, ticket.group) == (None, "complaints")
        entries = tickets.history(session, number)
        assert [(e.action, e.changes) for e in entries[1:]] == [
            ("assign", {"assignee_id": [None, agent_id], "group": [None, "tracking"]}),
            ("assign", {"assignee_id": [agent_id, None], "group": ["tracking", "complaints"]}),
        ]


def test_another_tenants_ticket_is_not_found(db: Database, tenant_id: int, other_tenant_id: int) -> None:
    # Numbers are per tenant (both count from 1 each day): take one of B's that A has not reached.
    with db.tenant(tenant_id) as session:
        numbers_in_a = {t.number for t in session.scalars(select(Ticket))}
    number = _tracking(db, other_tenant_id, waybill="BB0000000001")
    while number in numbers_in_a:
        number = _tracking(db, other_tenant_id, waybill="BB0000000001")
    with db.tenant(tenant_id) as session:
        for action in (lambda: tickets.get(session, number), lambda: tickets.history(session, number),
                       lambda: tickets.update(session, number, {"result": "x"}, base_revision=1, actor="a"),
                       lambda: tickets.transition(session, number, "done", base_revision=1, actor="a"),
                       lambda: tickets.assign(session, number, group="g", base_revision=1, actor="a")):
            with pytest.raises(NotFound):
                action()
    with db.tenant(other_tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.revision, ticket.status, ticket.group) == (1, "pending", None)
