"""Ticket events raised by the ticket service after commit run the published rules in a real RQ worker."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.jobs import Queues
from hotline.platform.models import CallTask, CampaignEntry, Notification, RuleFiring, utcnow
from hotline.platform.services import callbacks, templates, tickets
from hotline.platform.services.documents import DocumentService
from tests.platform.jobs.conftest import BurstWorker

pytestmark = pytest.mark.redis
Unique = Callable[[str], str]


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("evt"), None, "test").id


def _publish(db: Database, tenant_id: int, name: str, *rules: dict[str, Any]) -> None:
    with db.tenant(tenant_id) as session:
        service = DocumentService(session, "test")
        service.create("dispatch", name, {"rules": list(rules)})
        service.publish("dispatch", name)


def _firings(db: Database, tenant_id: int, number: str) -> list[tuple[str, str, str]]:
    with db.tenant(tenant_id) as session:
        rows = session.scalars(select(RuleFiring).where(RuleFiring.ticket_number == number).order_by(RuleFiring.id))
        return [(r.event, r.rule, r.outcome) for r in rows]


def _tracking(db: Database, tenant_id: int) -> str:
    with db.tenant(tenant_id) as session:
        return tickets.create(session, "tracking_query", {"waybill": "YT1234567890", "phone": "13800138000",
                                                          "question_type": "no_update"}, "agent1").number


def test_a_created_ticket_runs_the_created_rules_in_the_worker(dispatching_db: Database, tenant_id: int,
                                                               queues: Queues, worker: BurstWorker) -> None:
    db = dispatching_db
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": "北京市朝阳区望京SOHO T1",
                                                          "pickup_time": "今天18:00前"}, "agent1").number
        assert queues.default.count == 0  # nothing before the commit
    assert queues.default.count == 1
    worker.run()
    assert ("ticket.created", "pickup_assign_courier", "fired") in _firings(db, tenant_id, number)
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert ticket.status == "processing" and ticket.data["courier"] == "张建国"
        sms = session.scalars(select(Notification).where(Notification.channel == "sms")).all()
        assert [n.status for n in sms] == ["sent"]  # queued by the rule, delivered by the worker


def test_rule_changes_raise_no_further_events(dispatching_db: Database, tenant_id: int, queues: Queues,
                                              worker: BurstWorker) -> None:
    db = dispatching_db
    touch = {"type": "set_fields", "fields": {"result": "已查", "priority": 8}}
    _publish(db, tenant_id, "a_loop", {"name": "touch", "event": "ticket.updated", "forms": ["tracking_query"],
                                       "actions": [touch]})
    number = _tracking(db, tenant_id)
    worker.run()
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        tickets.update(session, number, {"result": "agent"}, base_revision=ticket.revision, actor="agent1")
    worker.run()
    assert [f for f in _firings(db, tenant_id, number) if f[0] == "ticket.updated"] == [
        ("ticket.updated", "touch", "fired")]
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert (ticket.data["result"], ticket.priority) == ("已查", 8)
        history = [(e.actor, e.action, e.changes) for e in tickets.history(session, number)]
        assert ("dispatch", "update", {"priority": [5, 8]}) in history  # through the service, with history
    assert queues.default.count == 0


def test_status_changed_to_done_creates_one_callback_and_fires_callback_due_once(
        dispatching_db: Database, tenant_id: int, queues: Queues, worker: BurstWorker) -> None:
    """The form's callback_on_resolve and the template's resolved_callback rule are one cause (the ticket was
    resolved): one call-back task, carrying both origins and the rule's queue, dialled once (issue 13)."""
    db = dispatching_db
    _publish(db, tenant_id, "a_due", {"name": "remind", "event": "callback.due",
                                      "actions": [{"type": "notify", "channel": "sms", "to": "{{event.phone}}",
                                                   "text": "回呼提醒：工单{{ticket.number}}"}]})
    number = _tracking(db, tenant_id)
    with db.tenant(tenant_id) as session:
        tickets.transition(session, number, "processing", base_revision=1, actor="agent1")
        tickets.transition(session, number, "done", base_revision=2, actor="agent1")
    worker.run(until=lambda: _count_due(db, tenant_id) >= 1)
    worker.run()
    events = _firings(db, tenant_id, number)
    assert ("ticket.status_changed", "resolved_callback", "fired") in events
    with db.tenant(tenant_id) as session:
        tasks = session.scalars(select(CallTask).where(CallTask.ticket_number == number).order_by(CallTask.id)).all()
        assert [(t.kind, t.origin.get("form"), [o.get("rule") for o in t.origin.get("also", [])], t.queue)
                for t in tasks] == [("callback", "callback_on_resolve", ["resolved_callback"], "general")]
        assert all(t.due_fired_at is not None and t.status == "pending" for t in tasks)
        entries = session.scalars(select(CampaignEntry).where(CampaignEntry.call_task_id == tasks[0].id)).all()
        assert [(e.phone_e164, e.state) for e in entries] == [("+8613800138000", "pending")]
        sms = session.scalars(select(Notification).where(Notification.body.like("回呼提醒%"))).all()
        assert [n.to for n in sms] == ["13800138000"]
    assert _firings(db, tenant_id, number).count(("callback.due", "remind", "fired")) == 1


def _count_due(db: Database, tenant_id: int) -> int:
    with db.tenant(tenant_id) as session:
        return session.scalar(select(func.count()).select_from(CallTask).where(CallTask.due_fired_at.is_not(None)))


def test_a_callback_due_twice_fires_once(db: Database, tenant_id: int) -> None:
    number = _tracking(db, tenant_id)
    with db.tenant(tenant_id) as session:
        task = callbacks.create(session, "callback", utcnow() - timedelta(minutes=1), actor="t",
                                ticket=tickets.get(session, number), phone="13800138000", queue="general")
        task_id = task.id
    with db.tenant(tenant_id) as session:
        assert callbacks.mark_due(session, task_id) is not None
    with db.tenant(tenant_id) as session:
        assert callbacks.mark_due(session, task_id) is None


@pytest.mark.slow
def test_a_failing_webhook_of_a_rule_is_retried_with_backoff_and_logged(
        dispatching_db: Database, tenant_id: int, queues: Queues, worker: BurstWorker, receiver) -> None:
    db = dispatching_db
    hook = receiver([503, 200])
    _publish(db, tenant_id, "a_hook", {"name": "crm", "event": "ticket.created", "forms": ["tracking_query"],
                                       "actions": [{"type": "notify", "channel": "webhook", "to": hook.url}]})
    number = _tracking(db, tenant_id)

    def delivered() -> bool:
        with db.tenant(tenant_id) as session:
            row = session.scalar(select(Notification).where(Notification.channel == "webhook"))
            return row is not None and row.status == "sent"

    worker.run(until=delivered, timeout=40)  # the first retry waits 10 s (jobs.notifications.DEFAULT_RETRY)
    with db.tenant(tenant_id) as session:
        row = session.scalar(select(Notification).where(Notification.channel == "webhook"))
        assert (row.attempts, row.last_error is not None, row.origin["rule"], row.origin["ticket"]) == (
            2, True, "crm", number)
    assert [json.loads(r["json"]["body"])["ticket"]["number"] for r in hook.requests] == [number, number]
