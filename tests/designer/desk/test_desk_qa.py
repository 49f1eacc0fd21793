"""The desk after the QA pass of issue 11 (item 5): the response buttons of the form's `sla.response`, the
customer's name in 业主姓名, and a second 催件 for a waybill urging the open ticket instead of opening another."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from hotline.designer.desk.ticket_pages import prefill
from hotline.platform.db import Database
from hotline.platform.models import Customer, Ticket
from hotline.platform.services import tickets, urging

from .conftest import Browser, DeskWorld, input_value, tenant_id
from .test_tickets import PICKUP, create

pytestmark = [pytest.mark.redis]
TEMPLATES = Path(__file__).resolve().parents[3] / "tenant_templates"


@pytest.fixture
def desk(desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> Browser:
    return browser_as(desk_world.agent, desk_world.world.tenant_a)


def test_the_repair_form_takes_the_owners_name_from_the_customer() -> None:
    body = json.loads((TEMPLATES / "property_management" / "form" / "repair_request.json").read_text("utf-8"))
    owner = Customer(name="王建平", address="锦程花园3栋2单元1201")
    owner.phones = []
    data = prefill(None, body, owner, "13800138001", None)  # type: ignore[arg-type]
    assert data["owner_name"] == "王建平" and data["phone"] == "13800138001"


def test_the_ticket_page_offers_the_forms_response_actions_and_they_stop_the_clock(
        db: Database, desk: Browser, desk_world: DeskWorld) -> None:
    number = create(desk, PICKUP)
    html = desk.get(f"/desk/tickets/{number}").get_data(as_text=True)
    form = html.split('id="response-form"', 1)[1].split("</form>", 1)[0]
    assert "快递员已接单" in form and "已电话联系寄件人" in form and "已上门取件" in form
    assert "登记响应" in html
    revision = input_value(html, "revision")
    done = desk.post(f"/desk/tickets/{number}/respond", {"action": "call", "revision": revision})
    assert done.status_code == 303, done.get_data(as_text=True)[:2000]
    with db.tenant(tenant_id(db, desk_world.world.tenant_a)) as session:
        ticket = tickets.get(session, number)
        assert ticket.first_responded_at is not None
        assert [h.action for h in tickets.history(session, number)][-1] == "respond"
    bad = desk.post(f"/desk/tickets/{number}/respond", {"action": "dance", "revision": str(ticket.revision)})
    assert bad.status_code == 422 and "dance" in bad.get_data(as_text=True)


def test_a_second_urge_for_a_waybill_urges_the_open_ticket(db: Database, desk: Browser,
                                                           desk_world: DeskWorld) -> None:
    waybill = "77300" + str(uuid.uuid4().int)[:8]
    values = {"waybill": waybill, "phone": "13651234503", "urge_reason": "overdue"}
    first = desk.post("/desk/tickets/new/delivery_urge", values)
    assert first.status_code == 303, first.get_data(as_text=True)[:2000]
    number = first.headers["Location"].split("/desk/tickets/")[1].split("?")[0]
    second = desk.post("/desk/tickets/new/delivery_urge", values)
    assert second.status_code == 303 and f"/desk/tickets/{number}?urged=1" in second.headers["Location"]
    page = desk.get(second.headers["Location"]).get_data(as_text=True)
    assert "已为其登记催办" in page
    with db.tenant(tenant_id(db, desk_world.world.tenant_a)) as session:
        found = session.scalars(select(Ticket.number).where(Ticket.form_name == "delivery_urge")).all()
        assert [n for n in found if tickets.get(session, n).data.get("waybill") == waybill] == [number]
        assert urging.urge_count(session, tickets.get(session, number).id) == 1


def _text(html: str) -> str:
    """What a person reads: the page without tags and attributes."""
    import re

    return re.sub(r"<[^>]+>", " ", html)


def test_the_history_reads_labels_not_codes(db: Database, desk: Browser, desk_world: DeskWorld) -> None:
    """Issue 11 QA, item 3: actions as codes (rule, manual_dispatch, urge), dict dumps, 创建人 ivr:<uuid>."""
    from hotline.platform.dispatch import run_rules

    tid = tenant_id(db, desk_world.world.tenant_a)
    with db.tenant(tid) as session:
        data = {**PICKUP, "weight_kg": 1.5, "address": "上海市浦东新区陆家嘴环路1000号"}
        number = tickets.create(session, "pickup_order", data, "ivr:0f9e8d7c-6b5a-4321-9876-543210fedcba").number
    with db.tenant(tid) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})  # nobody covers: 待派单
        urging.urge(session, number, actor=desk_world.agent, note="客户很急")
    html = desk.get(f"/desk/tickets/{number}").get_data(as_text=True)
    created_by = html.split('id="created-by">', 1)[1].split("<", 1)[0]
    assert created_by == "IVR 自助"
    history = _text(html.split('id="history"', 1)[1].split("</table>", 1)[0])
    for label in ("创建", "派单规则执行", "转入待派单", "催办", "IVR 自助", "催办次数", "已发送通知", "客户很急"):
        assert label in history, (label, history)
    for code in ("ivr:", "manual_dispatch", "rule", "urge", "{", "'", "alerted", "notified", "fired"):
        assert code not in history, (code, history)


def test_the_desk_shows_skill_labels_and_the_ivr_path_as_node_labels(
        desk_world: DeskWorld, browser_as: Callable[..., Browser], acd_prefix: str, db: Database) -> None:
    """Issue 11 QA, item 3: the desk listed skills as express_general and the IVR path as welcome → main_menu."""
    from hotline.runtime.acd import Acd, WaitingCall
    from hotline.runtime.call import context as call_context

    from .conftest import run_acd

    world = desk_world.world
    desk = browser_as(desk_world.agent, world.tenant_a)
    page = desk.get("/desk/").get_data(as_text=True)
    skill = page.split('data-skill="express_general">', 1)[1].split("<", 1)[0]
    assert skill == "快递综合 (2)"
    tenant = tenant_id(db, world.tenant_a)
    call = f"call-{uuid.uuid4().hex[:8]}"
    agent = str(desk_world.agent_id)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200

    async def offer(acd: Acd) -> None:
        context = {"tenant_id": tenant, "caller": "13800001111", "did": "4008001234", "ivr": "main",
                   "path": ["welcome", "main_menu"], "variables": {}}
        await call_context.publish(acd.redis, acd_prefix, call, lambda: context)
        waiting = WaitingCall(str(tenant), "general", call, priority=5, skills=("express_general",))
        await acd.queues.enqueue(waiting)
        outcome = await acd.distributor.wait_for_agent(waiting, 2)
        assert getattr(outcome, "agent_id", None) == agent, outcome

    run_acd(acd_prefix, offer)
    state = desk.get("/desk/api/state").get_json()
    assert state["call"]["path"] == ["欢迎语", "主菜单"]
    pop = desk.get(f"/desk/pop?phone=13800001111&call={call}").get_data(as_text=True)
    assert "欢迎语 → 主菜单" in pop and "main_menu" not in pop
    desk.post_json("/desk/api/presence", {"state": "offline"})
