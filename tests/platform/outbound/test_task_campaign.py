"""Every call task is dialled work: it enters the tenant's always-on tasks campaign (created on demand), or is
closed with the reason it cannot be dialled; one task per cause; task and entry close together."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallTask, Campaign, CampaignEntry
from hotline.platform.outbound import campaigns, reasons, task_campaign
from hotline.platform.outbound.campaigns import CampaignRefused
from hotline.platform.services import callbacks, templates
from hotline.runtime.call.handler import book_callbacks

DUE = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def tenants(db: Database) -> tuple[int, int]:
    ids = []
    for prefix in ("ta", "tb"):
        with db.platform() as session:
            ids.append(templates.clone(session, templates.load("express_delivery"),
                                       f"{prefix}{uuid.uuid4().hex[:8]}", None, "test").id)
    return ids[0], ids[1]


def _entries(session, task_id: int) -> list[tuple[str, str, datetime | None]]:
    return [(e.phone_e164, e.state, e.next_attempt_at) for e in session.scalars(
        select(CampaignEntry).where(CampaignEntry.call_task_id == task_id))]


def test_a_task_enters_the_tenants_tasks_campaign_created_on_demand(db: Database, tenants) -> None:
    a, b = tenants
    with db.tenant(a) as session:
        first = callbacks.create(session, "callback", DUE, actor="t", phone="138 0000 0001", queue="general")
        second = callbacks.create(session, "return_visit", DUE + timedelta(days=1), actor="t", phone="13800000002",
                                  script="return_visit")
        owned = session.scalars(select(Campaign).where(Campaign.kind == "tasks")).all()
        assert [(c.status, c.mode, c.purpose) for c in owned] == [("running", "progressive", "service")]
        assert owned[0].windows["timezone"] == "Asia/Shanghai"
        assert _entries(session, first.id) == [("+8613800000001", "pending", DUE)]
        assert _entries(session, second.id) == [("+8613800000002", "pending", DUE + timedelta(days=1))]
        assert task_campaign.enqueue(session, first) is not None  # enqueuing again adds nothing
        assert len(_entries(session, first.id)) == 1
        campaign_a = owned[0].id
    with db.tenant(b) as session:
        other = callbacks.create(session, "callback", DUE, actor="t", phone="13800000001")
        entry = session.scalar(select(CampaignEntry).where(CampaignEntry.call_task_id == other.id))
        assert entry.campaign_id != campaign_a and entry.tenant_id == b
        assert session.get(Campaign, campaign_a) is None  # the other tenant's campaign is invisible


def test_a_task_without_a_dialable_number_is_closed_with_the_reason(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        for phone, why in ((None, {"code": "number.empty"}),
                           ("12345", {"code": "number.not_chinese", "raw": "12345"})):
            task = callbacks.create(session, "callback", DUE, actor="t", phone=phone, note=f"n{phone}")
            # a code and its parameters, worded per reader (issue 13, 13c #1), not English prose
            assert task.status == "cancelled" and reasons.decode(task.result) == {"code": "reason.not_dialled",
                                                                                 "why": why}
            assert reasons.plain(task.result).startswith("not dialled: ")
            assert _entries(session, task.id) == []


def test_the_same_cause_makes_one_task_and_another_cause_a_new_one(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        booked = callbacks.create(session, "callback", DUE, actor="ivr", phone="13800000011",
                                  origin={"cause": "ivr_booking", "call": "c1"})
        again = callbacks.create(session, "callback", DUE - timedelta(minutes=5), actor="dispatch",
                                 phone="13800000011", queue="general", origin={"rule": "abandoned_callback"})
        assert again.id == booked.id and booked.queue == "general"
        assert booked.origin["also"] == [{"rule": "abandoned_callback"}]
        assert booked.due_at == DUE - timedelta(minutes=5)  # the sooner due time wins, and the entry follows
        assert _entries(session, booked.id) == [("+8613800000011", "pending", DUE - timedelta(minutes=5))]
        survey = callbacks.create(session, "return_visit", DUE, actor="t", phone="13800000011", script="survey")
        visit = callbacks.create(session, "return_visit", DUE, actor="t", phone="13800000011", script="visit")
        assert len({booked.id, survey.id, visit.id}) == 3
        callbacks.complete(session, booked.id, actor="agent1", result="已回电")
        later = callbacks.create(session, "callback", DUE, actor="ivr", phone="13800000011")
        assert later.id != booked.id  # the first one is closed: a new booking is a new cause


def test_task_and_entry_close_together(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        by_hand = callbacks.create(session, "callback", DUE, actor="t", phone="13800000021")
        callbacks.complete(session, by_hand.id, actor="agent1", result="客户已来电", cancelled=True)
        entry = task_campaign.entry_of(session, by_hand.id)
        assert entry.state == "closed" and "cancelled by agent1: 客户已来电" in reasons.plain(entry.closed_reason)
        assert entry.last_outcome == "task_closed"  # the code the page labels (QA 13 #4)
        # what the system writes as a task's result is a code, what an agent types stays as typed (13c #3)
        assert by_hand.result == "客户已来电"
        ended = callbacks.create(session, "callback", DUE, actor="t", phone="13800000024")
        busy = reasons.coded("reason.retries_exhausted", outcome="busy", tried=3, max=2)
        task_campaign.settle(session, task_campaign.entry_of(session, ended.id), "failed", busy)
        assert (ended.status, reasons.decode(ended.result)) == ("cancelled", reasons.decode(busy))
        dialled = callbacks.create(session, "callback", DUE, actor="t", phone="13800000022")
        task_campaign.settle(session, task_campaign.entry_of(session, dialled.id), "done", "已接通，问题已解决")
        assert (dialled.status, dialled.result, dialled.done_by) == ("done", "已接通，问题已解决", "dialer")
        refused = callbacks.create(session, "callback", DUE, actor="t", phone="13800000023")
        task_campaign.settle(session, task_campaign.entry_of(session, refused.id), "skipped",
                             "on the do-not-call list: tenant")
        assert (refused.status, refused.result) == ("cancelled", "on the do-not-call list: tenant")
        with pytest.raises(ValueError):
            task_campaign.settle(session, task_campaign.entry_of(session, refused.id), "pending")


def test_the_tasks_campaign_pauses_and_resumes_but_never_stops(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        campaign = task_campaign.tasks_campaign(session)
        campaigns.pause(session, campaign.id, actor="op")
        campaigns.resume(session, campaign.id, DUE, [], actor="op")  # no agent check: tasks wait for agents
        assert campaign.status == "running"
        with pytest.raises(CampaignRefused):
            campaigns.stop(session, campaign.id, DUE, actor="op", reason="x")


def test_an_ivr_booking_is_a_task_in_the_tasks_campaign(db: Database, tenants) -> None:
    a, _b = tenants
    record = {"uuid": "call-77", "caller": "13800000031", "ended_at": DUE,
              "trace": {"events": [{"type": "callback", "queue": "general", "number": "13800000031"}]}}
    with db.tenant(a) as session:
        [task] = book_callbacks(session, record)
        assert _entries(session, task.id) == [("+8613800000031", "pending", DUE)]
        assert session.get(CallTask, task.id).origin["cause"] == "ivr_booking"


def test_an_ivr_booking_written_twice_still_makes_one_task(db: Database, tenants) -> None:
    """The runtime books again when its record replaces a swept `lost` stand-in (handler.replace_lost): the same
    call's booking stays one call_task, with one entry in the tasks campaign."""
    a, _b = tenants
    record = {"uuid": f"call-{uuid.uuid4().hex[:8]}", "caller": "13800000032", "ended_at": DUE,
              "trace": {"events": [{"type": "callback", "queue": "general", "number": "13800000032"}]}}
    with db.tenant(a) as session:
        [first] = book_callbacks(session, record)
    with db.tenant(a) as session:
        [again] = book_callbacks(session, dict(record))
        assert again.id == first.id
        tasks = session.scalars(select(CallTask).where(CallTask.origin["call"].as_string() == record["uuid"])).all()
        assert [t.id for t in tasks] == [first.id]
        assert _entries(session, first.id) == [("+8613800000032", "pending", DUE)]
