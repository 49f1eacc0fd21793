"""The express-delivery seed's day, end to end on PostgreSQL, Redis and the ESL simulator (issue 11, Tests).

A monthly-settlement customer books a pickup through the IVR at her registered address: the courier who covers
it is texted and the order is 处理中, but the response clock runs until a person acts, so the SLA warning
fires in business minutes. A recipient urges a parcel by waybill: the courier of the station holding it is
texted, not the courier of the caller's address. A pickup typed by an agent for an address nobody covers
waits on the manual dispatch list until a dispatcher gives it to a courier. The couriers' acceptance is
the response; 响应及时率 and every message text are checked (labels, never codes). The clock is frozen at
10:30 on a Wednesday in Beijing and moves on by hand.
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
from hotline.platform.models import DirectoryEntry, Notification, Ticket
from hotline.platform.services import manual_dispatch, sla, tickets, urging
from hotline.runtime.simswitch import HANGUP, CallerScript

from .e2e_helpers import clone, require_redis, run, stack, wait_for_record

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]
DID = "4008007021"
#: Wednesday 2026-03-11 10:30 in Asia/Shanghai.
MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)
CUSTOMER = "13801234501"  # 李晓燕, 北京市朝阳区望京SOHO T1 1201 (张建国), monthly settlement
RECIPIENT = "13651234503"  # 陈静, registered in 东城 东直门 (杨磊)
WANGJING = "北京市朝阳区望京SOHO T1 1201"


@pytest.fixture(scope="module")
def db(postgres_database: Database) -> Database:
    return postgres_database


@pytest.fixture(scope="module")
def clock() -> Iterator[Any]:
    with time_machine.travel(MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def tenant(db: Database, clock: Any) -> int:
    require_redis()
    return clone(db, "express_delivery", "day-express", [DID])


def _texts_to(db: Database, tenant_id: int, to: str) -> list[str]:
    with db.tenant(tenant_id) as session:
        return [n.body for n in session.scalars(select(Notification).where(Notification.to == to)
                                                 .order_by(Notification.id))]


def _created(db: Database, tenant_id: int, number: str) -> None:
    with db.tenant(tenant_id) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})


def test_the_express_hotlines_day(db: Database, tenant: int, clock: Any) -> None:
    # 10:30 李晓燕 books a pickup: 2 寄件, 1 登记地址, 1 今天18点前; then a recipient urges waybill ...606
    # (到达派件网点, 北京丰台方庄网点): 3 催件, the number, then hangs up.
    async def calls():
        async with stack(db) as s:
            pickup = await s.switch.place_call(CallerScript(did=DID, caller=CUSTOMER, presses=["2", "1", "1"]))
            urge = await s.switch.place_call(CallerScript(did=DID, caller=RECIPIENT,
                                                          presses=["3", "7730012345606#", HANGUP]))
            return (pickup, await wait_for_record(db, tenant, pickup.uuid), urge,
                    await wait_for_record(db, tenant, urge.uuid))

    pickup, pickup_cdr, urge, urge_cdr = run(calls())
    order = pickup_cdr.trace["variables"]["order_no"]
    urge_no = urge_cdr.trace["variables"]["urge_no"]
    assert f"预约成功，您的取件单号为{order}，确认短信已发送到您的手机，快递员接单后将与您联系。" in pickup.prompts
    assert _texts_to(db, tenant, CUSTOMER) == [
        f"【速达快递】您的取件预约已受理，取件单号{order}，快递员将于今天18:00前上门，地址：{WANGJING}。"
        "快递员接单后会短信告知姓名和电话，如需取消请致电4008205566。"]
    assert f"已为您登记催件，催件单号{urge_no}，派件网点将在2小时内与您联系。转人工客服请按0，返回主菜单请按9，" \
           "结束请挂机。" in urge.prompts
    assert _texts_to(db, tenant, RECIPIENT) == [
        f"【速达快递】已为您登记运单7730012345606的催派，催件单号{urge_no}，派件网点将在2小时内与您联系。"]

    # Dispatch: the pickup to the courier of the address, the urge to the courier of the parcel's station.
    _created(db, tenant, order)
    _created(db, tenant, urge_no)
    with db.tenant(tenant) as session:
        pickup_ticket = tickets.get(session, order)
        assert (pickup_ticket.status, pickup_ticket.data["courier"], pickup_ticket.data["payment"]) == (
            "processing", "张建国", "monthly")
        assert pickup_ticket.first_responded_at is None
        due = pickup_ticket.first_response_due
        assert due - pickup_ticket.created_at == timedelta(minutes=10)  # business minutes, all in hours
        urge_ticket = tickets.get(session, urge_no)
        assert (urge_ticket.data["station"], urge_ticket.data["courier"]) == ("北京丰台方庄网点", "吴建华")
    assert _texts_to(db, tenant, "13910000001") == [
        f"【速达取件】李晓燕 {CUSTOMER}，地址：{WANGJING}，时段：今天18:00前，取件单{order}，请按时上门。"]
    assert _texts_to(db, tenant, "13910000009") == [
        f"【速达催件】运单7730012345606（北京丰台方庄网点）收件人陈静（{RECIPIENT}）催派，请尽快派送并联系客户。"]
    assert _texts_to(db, tenant, "13910000004") == []  # 杨磊 covers the recipient's registered address

    # 10:38: nobody has confirmed the pickup; the warning (75% of 10 minutes) goes to the shift leader.
    clock.shift(timedelta(minutes=8))
    with db.tenant(tenant) as session:
        warned = sla.fire(session, pickup_ticket.id, "first_response", "warning", due)
        assert [f.rule for f in warned] == ["sla_warning"]
        mail = session.scalars(select(Notification).where(Notification.to == "kefu-banzhang@suda-express.example")
                               ).all()
        assert [m.body for m in mail] == [
            f"工单{order}的处理时限即将到期，当前状态：处理中，快递员：张建国，请督促处理。"]

    # 10:39 the courier accepts (a person records it): the response, in time.
    clock.shift(timedelta(minutes=1))
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, order)
        ticket = tickets.record_response(session, order, "accept", base_revision=ticket.revision, actor="张建国")
        assert ticket.first_responded_at is not None and ticket.first_responded_at <= due
        assert sla.fire(session, ticket.id, "first_response", "breach", due, now=due + timedelta(minutes=1)) is None

    # An agent takes a pickup for an address no courier covers: it waits, the dispatcher is alerted, and gives it
    # to 郑国栋 from the list; his acceptance comes after the 10 minutes: late.
    with db.tenant(tenant) as session:
        stray = tickets.create(session, "pickup_order", {"phone": RECIPIENT, "sender_name": "陈静",
                                                         "address": "北京市通州区梨园镇云景东路1号",
                                                         "pickup_time": "明天上午9:00-12:00"}, "agent1").number
    _created(db, tenant, stray)
    with db.tenant(tenant) as session:
        assert tickets.get(session, stray).status == "pending"
        [(row, waiting)] = manual_dispatch.pending(session)
        assert waiting.number == stray
    assert _texts_to(db, tenant, "13911113333") == [
        f"【速达待派单】取件单{stray}（北京市通州区梨园镇云景东路1号，明天上午9:00-12:00）没有匹配到负责的快递员，"
        "请在“待派单”列表中人工派单。"]
    clock.shift(timedelta(minutes=15))
    with db.tenant(tenant) as session:
        courier = session.scalar(select(DirectoryEntry.id).where(DirectoryEntry.name == "郑国栋"))
        manual_dispatch.assign(session, row.id, courier, actor="dispatcher1")
        ticket = tickets.get(session, stray)
        ticket = tickets.record_response(session, stray, "accept", base_revision=ticket.revision, actor="郑国栋")
    assert _texts_to(db, tenant, "13910000010") == [
        f"【速达取件】陈静 {RECIPIENT}，地址：北京市通州区梨园镇云景东路1号，时段：明天上午9:00-12:00，取件单{stray}，"
        "请按时上门。"]

    # The pickup is collected; 响应及时率 of pickups today: one in time, one late.
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, order)
        ticket = tickets.transition(session, order, "done", base_revision=ticket.revision, actor="张建国")
        assert ticket.resolved_at is not None
        figures = sla.response_timeliness(session, start=MORNING - timedelta(hours=1),
                                          end=MORNING + timedelta(hours=10), form="pickup_order")
        assert figures == {"in_time": 1, "late": 1, "waiting": 0, "rate": 0.5}


def test_a_second_urge_for_the_same_waybill_urges_the_open_ticket(db: Database, tenant: int) -> None:
    async def twice():
        async with stack(db) as s:
            first = await s.switch.place_call(CallerScript(did=DID, caller=RECIPIENT,
                                                           presses=["3", "7730012345608#", HANGUP]))
            first_cdr = await wait_for_record(db, tenant, first.uuid)
            second = await s.switch.place_call(CallerScript(did=DID, caller=RECIPIENT,
                                                            presses=["3", "7730012345608#", HANGUP]))
            return first_cdr, await wait_for_record(db, tenant, second.uuid)

    first, second = run(twice())
    number = first.trace["variables"]["urge_no"]
    assert second.trace["variables"]["urge_no"] == number
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, number)
        assert urging.urge_count(session, ticket.id) == 1
        urges = session.scalars(select(Ticket).where(Ticket.form_name == "delivery_urge")).all()
        assert [t.number for t in urges if t.data.get("waybill") == "7730012345608"] == [number]


def _urge_twice(db: Database, tenant_id: int, waybill: str) -> tuple[Any, Any, Any, Any]:
    """Two 催件 calls for one waybill; the first call's ticket goes through dispatch before the second call."""
    async def calls():
        async with stack(db) as s:
            first = await s.switch.place_call(CallerScript(did=DID, caller=RECIPIENT,
                                                           presses=["3", f"{waybill}#", HANGUP]))
            first_cdr = await wait_for_record(db, tenant_id, first.uuid)
            _created(db, tenant_id, first_cdr.trace["variables"]["urge_no"])
            second = await s.switch.place_call(CallerScript(did=DID, caller=RECIPIENT,
                                                            presses=["3", f"{waybill}#", HANGUP]))
            return first, first_cdr, second, await wait_for_record(db, tenant_id, second.uuid)

    return run(calls())


def test_urging_a_waybill_nobody_holds_promises_no_call_back(db: Database, tenant: int) -> None:
    """Issue 11 QA, item 2: 7730012345605 sits in 上海浦东川沙, which no courier covers, so the urge ticket waits
    on the manual dispatch list; the caller's second 催件 must not hear "派件网点将在2小时内与您联系"."""
    _first, first_cdr, second, second_cdr = _urge_twice(db, tenant, "7730012345605")
    number = first_cdr.trace["variables"]["urge_no"]
    assert second_cdr.trace["variables"]["urge_no"] == number
    heard = " ".join(second.prompts)
    assert "暂未安排派件员" in heard and "已通知调度员优先安排派送" in heard
    assert "2小时内与您联系" not in heard
    texts = [t for t in _texts_to(db, tenant, RECIPIENT) if "7730012345605" in t]
    assert len(texts) == 1  # the first call's 受理 text; the second call promises nothing by SMS
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, number)
        assert urging.urge_count(session, ticket.id) == 1
        row = next(r for r, t in manual_dispatch.pending(session) if t.number == number)
        assert len(row.alerted or []) >= 2  # alerted when dispatch found nobody, and again on the urge


def test_urging_a_waybill_someone_holds_tells_the_courier_and_the_caller(db: Database, tenant: int) -> None:
    _first, first_cdr, second, _second_cdr = _urge_twice(db, tenant, "7730012345612")
    number = first_cdr.trace["variables"]["urge_no"]
    with db.tenant(tenant) as session:
        ticket = tickets.get(session, number)
        assert urging.has_handler(ticket) or urging.handler_phones(session, ticket)
    heard = " ".join(second.prompts)
    assert f"已为您登记催件，催件单号{number}，派件网点将在2小时内与您联系。" in heard
    assert "暂未安排派件员" not in heard
