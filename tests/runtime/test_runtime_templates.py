"""The industry templates' main paths over the real runtime: property management (repair report, ticket
progress by number) and the telecom hotline (balance, VIP routing, fault report). Presses follow the
templates' IVR documents in tenant_templates/."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.models import Notification, Ticket
from hotline.platform.services import manual_dispatch, tickets, urging
from hotline.runtime.simswitch import HANGUP, SILENCE, AgentBehavior, CallerScript

from .e2e_helpers import clone, require_redis, run, stack, visited, wait_for_record

pytestmark = [pytest.mark.redis]
PROPERTY_DID = "4008007001"
TELECOM_DID = "4008007002"


@pytest.fixture(scope="module")
def property_tenant(db: Database) -> int:
    require_redis()
    return clone(db, "property_management", "tpl-property", [PROPERTY_DID])


@pytest.fixture(scope="module")
def telecom(db: Database) -> int:
    require_redis()
    return clone(db, "telecom_hotline", "tpl-telecom", [TELECOM_DID])


def sms_of(db: Database, tenant_id: int, call_uuid: str) -> Notification | None:
    with db.tenant(tenant_id) as session:
        return session.scalar(select(Notification).where(Notification.origin["call"].as_string() == call_uuid))


def ticket_by_number(db: Database, tenant_id: int, number: str) -> Ticket:
    with db.tenant(tenant_id) as session:
        return session.scalar(select(Ticket).where(Ticket.number == number))


# -- property management ---------------------------------------------------------------------------

def test_property_owner_reports_a_repair(db: Database, property_tenant: int) -> None:
    # 13857100001 is 周美华 with a registered address: 1 报修, 1 水电, 2 一般, 1 在登记地址报修.
    async def scenario():
        async with stack(db) as s:
            record = await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13857100001",
                                                            presses=["1", "1", "2", "1"]))
            return record, await wait_for_record(db, property_tenant, record.uuid)

    record, cdr = run(scenario())
    number = cdr.trace["variables"]["repair_no"]
    ticket = ticket_by_number(db, property_tenant, number)
    assert ticket.form_name == "repair_request" and ticket.status == "pending"
    assert ticket.data["phone"] == "13857100001" and ticket.data["address"] == "杭州市西湖区翠湖花园3幢2单元502"
    assert (ticket.data["category"], ticket.data["urgency"], ticket.data["source"]) == \
        ("water_electric", "normal", "ivr")
    assert ticket.created_by == f"ivr:{record.uuid}"
    assert any(f"报修成功，工单号{number}" in prompt for prompt in record.prompts), record.prompts
    sms = sms_of(db, property_tenant, record.uuid)
    assert sms is not None and sms.to == "13857100001" and number in sms.body
    assert visited(cdr)[-5:] == ["repair_ticket", "repair_route", "repair_sms", "repair_done", "goodbye"]
    assert cdr.outcome == "completed"


def test_property_owner_asks_about_a_ticket_by_number(db: Database, property_tenant: int) -> None:
    with db.tenant(property_tenant) as session:
        number = tickets.create(session, "repair_request", {
            "phone": "13957100002", "address": "杭州市西湖区翠湖花园6幢1单元1101", "category": "door_window",
            "urgency": "normal", "technician": "王强"}, "test", status="assigned").number

    async def scenario():
        async with stack(db) as s:
            known = await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13957100002",
                                                           presses=["2", f"{number}#", SILENCE, SILENCE]))
            unknown = await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13957100002",
                                                             presses=["2", "99999999#", HANGUP]))
            return known, await wait_for_record(db, property_tenant, known.uuid), unknown

    known, cdr, unknown = run(scenario())
    assert f"您的工单{number}已派给维修师傅王强，师傅将尽快与您联系上门。" in known.prompts, known.prompts
    assert visited(cdr)[-7:] == ["ticket_collect", "ticket_lookup", "ticket_status_route", "status_assigned",
                                 "status_assigned_named", "ticket_menu", "goodbye"]
    lookup = next(step for step in cdr.trace["steps"] if step["node"] == "ticket_lookup")
    assert lookup["info"] == {"source": "builtin", "key": number, "found": True}
    assert cdr.trace["variables"]["ticket_status"] == "assigned"
    assert any("抱歉，没有查询到工单99999999" in prompt for prompt in unknown.prompts), unknown.prompts


def _assigned_repair(db: Database, tenant_id: int, **data: str) -> str:
    with db.tenant(tenant_id) as session:
        return tickets.create(session, "repair_request", {
            "phone": "13957100002", "address": "杭州市西湖区翠湖花园6幢1单元1101", "category": "door_window",
            "urgency": "normal", **data}, "test", status="assigned" if data else "pending").number


def test_a_stranger_hears_only_the_status_until_verified(db: Database, property_tenant: int) -> None:
    number = _assigned_repair(db, property_tenant, technician="王强", technician_phone="13757100001")

    async def scenario():
        async with stack(db) as s:
            stranger = await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13800000000",
                                                              presses=["2", f"{number}#", SILENCE, SILENCE]))
            wrong = await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13800000000",
                                                           presses=["2", f"{number}#", "3", "1234#", HANGUP]))
            right = await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13800000000",
                                                           presses=["2", f"{number}#", "3", "0002#", HANGUP]))
            return stranger, wrong, right

    stranger, wrong, right = run(scenario())
    generic = f"您的工单{number}已派单，维修师傅将尽快与业主联系。如需收听师傅信息，请在菜单中按3验证身份。"
    assert generic in stranger.prompts, stranger.prompts
    for record in (stranger, wrong):
        assert not any("王强" in prompt or "13757100001" in prompt for prompt in record.prompts), record.prompts
    assert "验证未通过，只能为您播报工单状态。如需帮助请按0转人工客服。" in wrong.prompts, wrong.prompts
    assert f"您的工单{number}已派给维修师傅王强，师傅将尽快与您联系上门。" in right.prompts, right.prompts


def test_an_ivr_urge_counts_on_the_original_ticket_and_tells_the_handler(db: Database, property_tenant: int) -> None:
    number = _assigned_repair(db, property_tenant, technician="王强", technician_phone="13757100001")
    with db.tenant(property_tenant) as session:
        before = session.scalar(select(func.count()).select_from(Ticket))

    async def scenario():
        async with stack(db) as s:
            return await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13957100002",
                                                          presses=["2", f"{number}#", "2"]))

    record = run(scenario())
    assert "已为您催办，这是该工单第1次催办，已通知维修师傅尽快处理。" in record.prompts, record.prompts
    with db.tenant(property_tenant) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == before  # no new ticket
        ticket = tickets.get(session, number)
        assert urging.urge_count(session, ticket.id) == 1
        [sms] = session.scalars(select(Notification).where(Notification.to == "13757100001")).all()
        assert sms.body.startswith(f"【催办】工单{number}") and "第1次催办" in sms.body


def test_urging_a_ticket_nobody_handles_alerts_the_dispatchers_and_tells_the_caller(
        db: Database, property_tenant: int) -> None:
    number = _assigned_repair(db, property_tenant)
    with db.tenant(property_tenant) as session:
        alerts_before = len(session.scalars(select(Notification).where(Notification.to == "13757109999")).all())

    async def scenario():
        async with stack(db) as s:
            return await s.switch.place_call(CallerScript(did=PROPERTY_DID, caller="13957100002",
                                                          presses=["2", f"{number}#", "2"]))

    record = run(scenario())
    assert ("已为您催办，这是该工单第1次催办。该工单暂未派给维修师傅，已通知客服主管优先派单，将在1小时内与您联系。"
            in record.prompts), record.prompts
    with db.tenant(property_tenant) as session:
        ticket = tickets.get(session, number)
        assert urging.urge_count(session, ticket.id) == 1
        alerts = session.scalars(select(Notification).where(Notification.to == "13757109999")).all()
        assert len(alerts) == alerts_before + 1 and number in alerts[-1].body
        assert [t.number for _row, t in manual_dispatch.pending(session)].count(number) == 1


# -- telecom hotline -------------------------------------------------------------------------------

def test_telecom_caller_hears_the_balance(db: Database, telecom: int) -> None:
    # 13802881001 has an account row (balance 86.50): 1 自助查询, 1 话费余额.
    async def scenario():
        async with stack(db) as s:
            record = await s.switch.place_call(CallerScript(did=TELECOM_DID, caller="13802881001",
                                                            presses=["1", "1"]))
            return record, await wait_for_record(db, telecom, record.uuid)

    record, cdr = run(scenario())
    assert "您的余额为86.50元。" in record.prompts, record.prompts
    assert visited(cdr)[:6] == ["welcome", "vip_check", "main_menu", "account_lookup", "self_menu", "balance_play"]
    assert cdr.trace["variables"]["plan"] == "5G畅享129元套餐"


def test_telecom_vip_reaches_the_vip_queue(db: Database, telecom: int) -> None:
    agents = {"vip1": AgentBehavior(answer_after_ms=500, talk_ms=5_000),
              "gen1": AgentBehavior(answer_after_ms=500, talk_ms=5_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("gen1", telecom, "tel_general")  # idle longest, but without the VIP skill
            await s.login("vip1", telecom, "tel_vip")
            # 13902881002 is 黄晓琳, a VIP customer: the VIP menu first, 0 for the VIP agents.
            record = await s.switch.place_call(CallerScript(did=TELECOM_DID, caller="13902881002", presses=["0"]))
            return record, await wait_for_record(db, telecom, record.uuid)

    record, cdr = run(scenario())
    assert any(prompt.startswith("尊敬的黄晓琳") for prompt in record.prompts), record.prompts
    assert [b["target"].rsplit("/", 1)[-1] for b in record.bridges] == ["vip1"], record.summary()
    assert cdr.queue == "vip" and cdr.customer_id is not None
    assert visited(cdr)[:7] == ["welcome", "vip_check", "vip_menu", "target_vip", "agent_hours", "route_by_target",
                                "vip_queue"]


def test_telecom_fault_report_creates_a_ticket(db: Database, telecom: int) -> None:
    # 13602881003 is 陈伟: 2 故障报修, 3 家庭宽带故障.
    async def scenario():
        async with stack(db) as s:
            record = await s.switch.place_call(CallerScript(did=TELECOM_DID, caller="13602881003",
                                                            presses=["2", "3"]))
            return record, await wait_for_record(db, telecom, record.uuid)

    record, cdr = run(scenario())
    number = cdr.trace["variables"]["fault_no"]
    ticket = ticket_by_number(db, telecom, number)
    assert ticket.form_name == "fault_report" and ticket.customer_id == cdr.customer_id is not None
    assert (ticket.data["phone"], ticket.data["fault_type"], ticket.data["customer_name"]) == \
        ("13602881003", "broadband", "陈伟")
    assert any(f"报修已受理，工单号{number}" in prompt for prompt in record.prompts), record.prompts
    sms = sms_of(db, telecom, record.uuid)
    assert sms is not None and "家庭宽带故障" in sms.body and number in sms.body
