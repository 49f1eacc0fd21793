"""The property-management seed's day, end to end on PostgreSQL, Redis and the ESL simulator (issue 11, Tests).

An owner reports a 水电 repair through the IVR; dispatch gives it to the technician who covers the building and
has the skill, and texts them and the owner; the automatic move to 已派单 leaves the response clock running, so
the SLA warning and breach fire (once each) with their texts; a stranger asking about the ticket hears only its
status while the owner hears the technician; the owner urges it by phone (an urge on the ticket, not a new one);
a repair nobody can do waits on the manual dispatch list; the technician's visit is the response and the
repair is finished; 响应及时率 counts the late response as late. Every message text is checked whole (labels,
never codes). The clock is frozen at 10:30 on a Wednesday in Hangzhou and ticks from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.models import Notification, SlaEvent, Ticket
from hotline.platform.services import manual_dispatch, sla, tickets, urging
from hotline.runtime.simswitch import HANGUP, CallerScript

from .e2e_helpers import clone, require_redis, run, stack, visited, wait_for_record

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]
DID = "4008007011"
#: Wednesday 2026-03-11 10:30 in Asia/Shanghai.
MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)
OWNER = "13857100001"  # 周美华, 翠湖花园3幢2单元502 (王强: 水电, 门窗)
ADDRESS = "杭州市西湖区翠湖花园3幢2单元502"


@pytest.fixture(scope="module")
def db(postgres_database: Database) -> Database:
    return postgres_database


@pytest.fixture(scope="module")
def clock() -> Iterator[Any]:
    """The frozen clock; the test moves it on (`shift`) as the day goes."""
    with time_machine.travel(MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def tenant(db: Database, clock: Any) -> int:
    require_redis()
    return clone(db, "property_management", "day-property", [DID])


def _texts_to(db: Database, tenant_id: int, to: str) -> list[str]:
    with db.tenant(tenant_id) as session:
        return [n.body for n in session.scalars(select(Notification).where(Notification.to == to)
                                                 .order_by(Notification.id))]


def _created(db: Database, tenant_id: int, number: str) -> None:
    """What the dispatch job does after the IVR's commit: the ticket.created rules."""
    with db.tenant(tenant_id) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})


def test_the_property_hotlines_day(db: Database, tenant: int, clock: Any) -> None:
    # 10:30 the owner reports a 水电 repair: 1 报修, 1 水电, 2 一般, 1 在登记地址报修.
    async def report():
        async with stack(db) as s:
            record = await s.switch.place_call(CallerScript(did=DID, caller=OWNER, presses=["1", "1", "2", "1"]))
            return record, await wait_for_record(db, tenant, record.uuid)

    record, cdr = run(report())
    number = cdr.trace["variables"]["repair_no"]
    done = f"报修成功，工单号{number}，已短信发送到您的手机，维修师傅将在2小时内与您联系预约上门时间。"
    assert done in record.prompts, record.prompts
    assert _texts_to(db, tenant, OWNER) == [
        f"【锦程物业】您的报修（水电维修）已受理，工单号{number}，维修师傅将在2小时内与您联系预约上门时间。"
        "拨打4006608899按2可查询进度。"]

    # Dispatch: 王强 covers 3幢 and has 水电; the owner is told who comes.
    _created(db, tenant, number)
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, number)
        assert (ticket.status, ticket.data["technician"], ticket.data["technician_phone"]) == (
            "assigned", "王强", "13757100001")
        assert ticket.first_responded_at is None  # the rule's move is not a response
        due = ticket.first_response_due
        assert due - ticket.created_at == timedelta(minutes=15)
    assert _texts_to(db, tenant, "13757100001") == [
        f"【锦程物业派单】水电维修报修，地址：{ADDRESS}，业主周美华 {OWNER}：业主通过400热线自助报修：水电维修，"
        f"工单{number}，请2小时内联系业主。"]
    assert _texts_to(db, tenant, OWNER)[-1] == (
        f"【锦程物业】您的报修（工单{number}）已派给维修师傅王强，电话13757100001，师傅将尽快与您联系。")

    # The SLA clocks: the warning at 75% of 15 minutes, the breach at 15; each fires once, on time only.
    with db.tenant(tenant) as session:
        ticket_id = tickets.get(session, number).id
        assert sla.fire(session, ticket_id, "first_response", "warning", due) is None  # 10:30: not yet
    clock.shift(timedelta(minutes=12))
    with db.tenant(tenant) as session:
        warned = sla.fire(session, ticket_id, "first_response", "warning", due)
        assert [f.rule for f in warned] == ["repair_sla_warning"]
        assert sla.fire(session, ticket_id, "first_response", "warning", due) is None  # once
    clock.shift(timedelta(minutes=4))
    with db.tenant(tenant) as session:
        breached = sla.fire(session, ticket_id, "first_response", "breach", due)
        assert [f.rule for f in breached] == ["repair_sla_breach"]
        assert len(session.scalars(select(SlaEvent).where(SlaEvent.ticket_id == ticket_id)).all()) == 2
        late = sla.overdue(session, within_minutes=0)
        assert any(r["ticket"].number == number and r["clock"] == "first_response" and r["overdue"] for r in late)
    assert _texts_to(db, tenant, "13757100001")[-1] == (
        f"【锦程物业】工单{number}（{ADDRESS}）即将超时，请尽快处理并在系统中反馈。")

    # A stranger asks about the ticket: the status only; the owner: the technician; the owner urges it.
    async def ask_and_urge():
        async with stack(db) as s:
            stranger = await s.switch.place_call(CallerScript(did=DID, caller="13800000000",
                                                              presses=["2", f"{number}#", HANGUP]))
            owner = await s.switch.place_call(CallerScript(did=DID, caller=OWNER, presses=["2", f"{number}#", "2"]))
            return stranger, owner, await wait_for_record(db, tenant, owner.uuid)

    with db.tenant(tenant) as session:
        tickets_before = len(session.scalars(select(Ticket.id)).all())
    stranger, owner, owner_cdr = run(ask_and_urge())
    assert not any("王强" in p for p in stranger.prompts), stranger.prompts
    assert f"您的工单{number}已派给维修师傅王强，师傅将尽快与您联系上门。" in owner.prompts
    assert "已为您催办，这是该工单第1次催办，已通知维修师傅尽快处理。" in owner.prompts
    assert visited(owner_cdr)[-2:] == ["urge_ticket", "urge_done"] or "urge_done" in visited(owner_cdr)
    with db.tenant(tenant) as session:
        assert len(session.scalars(select(Ticket.id)).all()) == tickets_before  # no separate ticket
        assert urging.urge_count(session, tickets.get(session, number).id) == 1
    assert _texts_to(db, tenant, "13757100001")[-1] == (
        f"【催办】工单{number}已超时，第1次催办，请尽快处理。备注：来电自助催办")

    # A 公共设施 repair in 1幢: 王强 covers it but lacks the skill → the manual dispatch list, the duty phone told.
    with db.tenant(tenant) as session:
        other = tickets.create(session, "repair_request", {
            "phone": "13957100002", "address": "杭州市西湖区翠湖花园1幢门厅", "category": "public_facility",
            "urgency": "normal", "description": "门厅灯不亮"}, "agent1").number
    _created(db, tenant, other)
    with db.tenant(tenant) as session:
        waiting = {t.number: row for row, t in manual_dispatch.pending(session)}
        assert tickets.get(session, other).status == "pending" and other in waiting
        assert waiting[other].reason == (
            "地址“杭州市西湖区翠湖花园1幢门厅”：覆盖该地址的人员（王强）不具备技能“公共设施”")
    assert _texts_to(db, tenant, "13757109999")[-1] == (
        f"【锦程物业待派单】公共设施报修工单{other}（杭州市西湖区翠湖花园1幢门厅）没有匹配到负责该楼栋且具备该技能的"
        "维修师傅，请在“待派单”列表中人工派单。")

    # The technician arrives (a person records the visit: the response), repairs, and it is closed.
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, number)
        ticket = tickets.transition(session, number, "processing", base_revision=ticket.revision, actor="王强")
        assert ticket.first_responded_at is not None and ticket.first_responded_at > due
        ticket = tickets.transition(session, number, "done", base_revision=ticket.revision, actor="王强")
        ticket = tickets.transition(session, number, "closed", base_revision=ticket.revision, actor="supervisor")
        assert ticket.resolved_at is not None

    # 响应及时率 of the day: the repair responded late; the waiting one is past its 15 minutes too by then.
    with db.tenant(tenant) as session:
        day = sla.response_timeliness(session, start=MORNING - timedelta(hours=3), end=MORNING + timedelta(hours=12),
                                      now=MORNING + timedelta(hours=2), form="repair_request")
        assert day == {"in_time": 0, "late": 2, "waiting": 0, "rate": 0.0}
