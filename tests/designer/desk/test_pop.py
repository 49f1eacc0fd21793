"""Screen pop by calling number: a known customer with history in status colours, an unknown caller's
"add customer" form, a choice among several, and the caller's IVR path from the call record."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Customer, CustomerPhone
from hotline.platform.services import customers, tickets

from .conftest import Browser, DeskWorld, input_value, tenant_id

pytestmark = [pytest.mark.redis]


def number() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


@pytest.fixture
def known(db: Database, desk_world: DeskWorld) -> dict:
    """A monthly-settlement VIP customer with two tickets (pending, done) and a finished call."""
    phone = number()
    tid = tenant_id(db, desk_world.world.tenant_a)
    with db.tenant(tid) as session:
        customer = customers.create(session, "顺丰商贸", [phone], address="北京市朝阳区望京SOHO T1", vip=True,
                                    flags=["monthly_settlement"], actor="test")
        first = tickets.create(session, "tracking_query", {"waybill": "YT1234567890", "phone": phone,
                                                            "question_type": "no_update"}, "test",
                               customer_id=customer.id)
        second = tickets.create(session, "pickup_order", {"phone": phone, "address": "望京SOHO T1",
                                                          "pickup_time": "今天18:00前"}, "test",
                                customer_id=customer.id)
        for status in ("processing", "done"):
            second = tickets.transition(session, second.number, status, base_revision=second.revision, actor="test")
        # pickup_time holds the IVR's default (or a value from an earlier ticket): nothing this call produced
        call = CallRecord(uuid=uuid.uuid4().hex, did="4008001234", caller=phone, outcome="completed",
                          ivr_document="main",
                          trace={"steps": [{"node": "welcome"}, {"node": "main_menu"},
                                           {"node": "track_collect", "set": {"waybill": "YT1234567890"}},
                                           {"node": "agent_queue"}],
                                 "variables": {"waybill": "YT1234567890", "pickup_time": "今天18:00前"}})
        session.add(call)
        session.flush()
        return {"phone": phone, "customer": customer.id, "pending": first.number, "done": second.number,
                "call": call.uuid}


def test_a_known_caller_pops_with_flags_and_history_in_status_colours(
        known: dict, desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    page = desk.get(f"/desk/pop?phone={known['phone']}&call={known['call']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "顺丰商贸" in html and "月结客户" in html and "VIP" in html and "望京SOHO" in html
    assert 'style="color: #000000" data-status="pending"' in html  # pending black
    assert 'style="color: #2e7d32" data-status="done"' in html  # done green
    assert "欢迎语 → 主菜单 → " in html  # the IVR path, by node labels
    assert 'data-var="waybill">YT1234567890' in html and "<dt>运单号</dt>" in html  # what the caller typed
    # QA of issue 11, item 4: no code, and no value this call never produced
    assert "pickup_time" not in html and "今天18:00前</dd>" not in html
    assert f"/desk/tickets/new/pickup_order?customer={known['customer']}" in html
    data = desk.get(f"/desk/api/pop?phone={known['phone']}").get_json()
    assert [c["name"] for c in data["customers"]] == ["顺丰商贸"]
    history = data["customers"][0]["history"]
    assert [t["number"] for t in history] == [known["done"], known["pending"]]  # newest first
    assert history[0]["status"] == {"name": "done", "label": "已完成", "color": "#2e7d32", "final": True}


def test_an_unknown_caller_gets_the_add_customer_form_prefilled_and_can_be_added(
        desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    phone = number()
    html = desk.get(f"/desk/pop?phone={phone}&partial=1").get_data(as_text=True)
    assert "新客户" in html and "add-customer" in html
    assert re.search(rf'name="phones"[^>]*>\s*{phone}</textarea>', html)  # the number, pre-filled
    # Missing name: refused, and what was typed stays.
    refused = desk.post("/desk/customers", {"name": "", "phones": phone, "address": "上海市浦东新区"})
    assert refused.status_code == 422
    assert "上海市浦东新区" in refused.get_data(as_text=True)
    added = desk.post("/desk/customers", {"name": "新客户甲", "phones": phone, "monthly_settlement": "y"})
    assert added.status_code == 302 and "customer=" in added.headers["Location"]
    assert "新客户甲" in desk.get(added.headers["Location"]).get_data(as_text=True)
    duplicate = desk.post("/desk/customers", {"name": "又一个", "phones": phone})
    assert duplicate.status_code == 422 and "already belongs" in duplicate.get_data(as_text=True)
    assert desk.post("/desk/customers", {"name": "x", "phones": phone}, csrf=False).status_code == 400


def test_several_customers_with_one_number_offer_a_choice(
        db: Database, desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    phone = number()
    tid = tenant_id(db, desk_world.world.tenant_a)
    with db.tenant(tid) as session:  # imported data can hold a shared number (a family, a front desk)
        for name in ("张三", "李四"):
            customer = Customer(name=name, address="")
            customer.phones = [CustomerPhone(phone=phone)]
            session.add(customer)
        session.flush()
        chosen = customer.id
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    html = desk.get(f"/desk/pop?phone={phone}").get_data(as_text=True)
    assert "请选择" in html and "张三" in html and "李四" in html
    picked = desk.get(f"/desk/pop?phone={phone}&customer={chosen}").get_data(as_text=True)
    assert 'class="customer-card"' in picked and "李四" in picked and "张三" not in picked


def test_the_pop_of_another_tenants_customer_shows_nothing_of_it(
        known: dict, desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    other = browser_as(desk_world.shared, desk_world.world.tenant_b)
    data = other.get(f"/desk/api/pop?phone={known['phone']}&call={known['call']}").get_json()
    assert data["customers"] == [] and data["history"] == [] and data["call"] is None
    assert input_value(other.get(f"/desk/pop?phone={known['phone']}").get_data(as_text=True), "call") == ""


def test_a_malformed_number_is_explained(desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    data = desk.get("/desk/api/pop?phone=abc").get_json()
    assert data["number"] is None and "is not a phone number" in data["error"]


def test_the_pops_hover_text_says_yes_no_in_the_agents_language(
        db: Database, desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    """QA of dev-conditions, item 5: a ticket's hover text in the pop read 是/否 under ?lang=en."""
    phone = number()
    with db.tenant(tenant_id(db, desk_world.world.tenant_a)) as session:
        tickets.create(session, "consultation", {"phone": phone, "topic": "fees", "question": "运费多少",
                                                 "follow_up": True}, "test")
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    for lang, word in (("en", "Yes"), ("zh_CN", "是")):
        [row] = desk.get(f"/desk/api/pop?phone={phone}&lang={lang}").get_json()["history"]
        assert f"需要回复客户: {word}" in row["fields_text"], (lang, row["fields_text"])
