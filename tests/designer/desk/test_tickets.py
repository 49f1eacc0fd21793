"""Tickets from the desk: created from the generated form and linked to call and customer, edited with the
revision check, moved only along the form's transitions, every change in the history; other tenants' 404."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Ticket, TicketCall
from hotline.platform.services import customers, tickets

from .conftest import Browser, DeskWorld, input_value, tenant_id

pytestmark = [pytest.mark.redis]
PICKUP = {"phone": "13800138000", "address": "北京市朝阳区望京SOHO T1", "pickup_time": "今天18:00前",
          "parcel_type": "document", "weight_kg": "1.5", "payment": "sender", "source": "phone"}


@pytest.fixture
def customer(db: Database, desk_world: DeskWorld) -> dict:
    phone = "137" + str(uuid.uuid4().int)[:8]
    with db.tenant(tenant_id(db, desk_world.world.tenant_a)) as session:
        row = customers.create(session, "王五", [phone], address="北京市朝阳区阜通东大街6号", actor="test")
        return {"id": row.id, "phone": phone}


@pytest.fixture
def desk(desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> Browser:
    return browser_as(desk_world.agent, desk_world.world.tenant_a)


def create(desk: Browser, values: dict, query: str = "") -> str:
    response = desk.post(f"/desk/tickets/new/pickup_order{query}", values)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].split("/desk/tickets/")[1].split("?")[0]


def revision(html: str) -> str:
    found = input_value(html, "revision")
    assert found is not None
    return found


def test_the_new_ticket_form_is_prefilled_from_the_customer_and_the_number(
        desk: Browser, customer: dict) -> None:
    page = desk.get(f"/desk/tickets/new/pickup_order?customer={customer['id']}&phone={customer['phone']}&call=c-1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert input_value(html, "phone") == customer["phone"]
    assert input_value(html, "address") == "北京市朝阳区阜通东大街6号"
    assert input_value(html, "sender_name") == "王五"
    assert input_value(html, "call") == "c-1" and input_value(html, "customer") == str(customer["id"])
    assert 'data-widget="directory"' in html and "/assets/desk/ticket." in html


def test_creating_a_ticket_links_it_to_the_customer_and_the_call(
        db: Database, desk: Browser, customer: dict, desk_world: DeskWorld) -> None:
    call_uuid = uuid.uuid4().hex
    number = create(desk, {**PICKUP, "customer": str(customer["id"]), "call": call_uuid})
    tid = tenant_id(db, desk_world.world.tenant_a)
    with db.tenant(tid) as session:
        ticket = tickets.get(session, number)
        assert ticket.customer_id == customer["id"] and ticket.status == "pending"
        assert ticket.data["weight_kg"] == 1.5 and ticket.created_by == desk_world.agent
        assert ticket.call_id is None  # the call record is written when the call ends
        assert session.scalar(select(TicketCall.call_uuid).where(TicketCall.ticket_id == ticket.id)) == call_uuid
        session.add(CallRecord(uuid=call_uuid, did="4008001234", caller=customer["phone"]))
    page = desk.get(f"/desk/tickets/{number}")
    assert page.status_code == 200 and call_uuid in page.get_data(as_text=True)
    with db.tenant(tid) as session:  # the page linked the call record once it existed
        assert session.scalar(select(Ticket).where(Ticket.number == number)).call_id is not None


def test_an_invalid_submission_shows_each_field_and_keeps_what_was_typed(desk: Browser) -> None:
    typed = {**PICKUP, "phone": "call me", "weight_kg": "heavy", "address": "北京"}
    response = desk.post("/desk/tickets/new/pickup_order", typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count('class="tf-errors"') == 3
    assert input_value(html, "phone") == "call me" and input_value(html, "weight_kg") == "heavy"
    assert input_value(html, "address") == "北京"
    assert "表单有错误" in html


def test_an_edit_from_a_stale_revision_is_a_conflict_that_keeps_the_typed_values(desk: Browser) -> None:
    number = create(desk, PICKUP)
    page = desk.get(f"/desk/tickets/{number}").get_data(as_text=True)
    old = revision(page)
    first = desk.post(f"/desk/tickets/{number}", {**PICKUP, "revision": old, "remark": "客户要求下午来"})
    assert first.status_code == 303
    stale = desk.post(f"/desk/tickets/{number}", {**PICKUP, "revision": old, "remark": "我的备注"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "我的备注" in html  # the agent's input is kept
    assert "客户要求下午来" in html  # next to the current value
    assert revision(html) == str(int(old) + 1)  # saving again applies it on purpose
    again = desk.post(f"/desk/tickets/{number}", {**PICKUP, "revision": revision(html), "remark": "我的备注"})
    assert again.status_code == 303


def test_an_invalid_edit_is_refused_with_the_input_kept(desk: Browser) -> None:
    number = create(desk, PICKUP)
    old = revision(desk.get(f"/desk/tickets/{number}").get_data(as_text=True))
    response = desk.post(f"/desk/tickets/{number}", {**PICKUP, "revision": old, "courier_phone": "12"})
    assert response.status_code == 422
    assert input_value(response.get_data(as_text=True), "courier_phone") == "12"


def test_only_the_forms_transitions_are_offered_and_allowed_and_history_says_who_and_when(
        desk: Browser, desk_world: DeskWorld) -> None:
    number = create(desk, PICKUP)
    html = desk.get(f"/desk/tickets/{number}").get_data(as_text=True)
    offered = re.findall(r'name="to" value="(\w+)"', html)
    assert offered == ["processing", "cancelled"]  # from pending, in the form's order
    refused = desk.post(f"/desk/tickets/{number}/transition", {"to": "done", "revision": revision(html)})
    assert refused.status_code == 422 and "cannot move" in refused.get_data(as_text=True)
    moved = desk.post(f"/desk/tickets/{number}/transition", {"to": "processing", "revision": revision(html),
                                                             "note": "已派单给张师傅"})
    assert moved.status_code == 303
    html = desk.get(f"/desk/tickets/{number}").get_data(as_text=True)
    assert re.findall(r'name="to" value="(\w+)"', html) == ["done", "pending", "cancelled"]
    assert 'data-status="processing"' in html and "background: #d0021b" in html  # processing red
    stale = desk.post(f"/desk/tickets/{number}/transition", {"to": "done", "revision": "1"})
    assert stale.status_code == 409
    history = html.split('id="history"')[1]
    assert history.count(desk_world.agent) == 2 and "已派单给张师傅" in history
    assert "待派单 → 处理中" in history  # the pickup form calls its pending status 待派单 (nobody assigned yet)
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\dT", history)


def test_history_shows_choice_labels_rule_names_and_english_words_under_lang_en(
        desk: Browser, desk_world: DeskWorld, db: Database) -> None:
    # QA of issue 11, item 4: 付款方式 read sender → monthly, a rule's note its id, and ?lang=en kept the
    # stored action codes (create, transition) and the sort keys (created_at).
    number = create(desk, PICKUP)
    with db.tenant(tenant_id(db, desk_world.world.tenant_a)) as session:
        ticket = tickets.update(session, number, {"payment": "monthly"}, base_revision=tickets.get(
            session, number).revision, actor="dispatch")
        tickets.transition(session, number, "processing", base_revision=ticket.revision, actor="dispatch",
                           note="dispatch rule pickup_assign_courier", automatic=True)
    history = desk.get(f"/desk/tickets/{number}").get_data(as_text=True).split('id="history"')[1]
    assert "付款方式: 寄付现结 → 月结" in history and "monthly" not in history and "sender" not in history
    assert "派单规则“取件单按地址匹配快递员”" in history and "pickup_assign_courier" not in history
    english = desk.get(f"/desk/tickets/{number}?lang=en").get_data(as_text=True).split('id="history"')[1]
    words = re.findall(r'</td><td>([^<]+)</td>\n', english)
    assert "Created" in words and "Status changed" in words and "create" not in words, words
    assert "transition" not in words
    tickets_page = desk.get("/records/tickets?lang=en").get_data(as_text=True)
    assert "Time created ↓" in tickets_page and "created_at ↓" not in tickets_page
    desk.get("/desk/?lang=zh_CN")


def test_sla_due_times_are_shown_for_the_countdown(desk: Browser) -> None:
    number = create(desk, PICKUP)
    html = desk.get(f"/desk/tickets/{number}").get_data(as_text=True)
    assert len(re.findall(r'class="countdown" data-due="\d{4}-', html)) == 2  # first response and resolution


def test_another_tenants_ticket_and_customer_are_404(desk: Browser, desk_world: DeskWorld,
                                                     browser_as: Callable[..., Browser], customer: dict) -> None:
    number = create(desk, PICKUP)
    other = browser_as(desk_world.shared, desk_world.world.tenant_b)
    assert other.get(f"/desk/tickets/{number}").status_code == 404
    assert other.post(f"/desk/tickets/{number}", {**PICKUP, "revision": "1"}).status_code == 404
    assert other.post(f"/desk/tickets/{number}/transition", {"to": "processing", "revision": "1"}).status_code == 404
    assert other.get(f"/desk/tickets/new/pickup_order?customer={customer['id']}").status_code == 404
    assert other.get("/desk/tickets/new/no_such_form").status_code == 404


def test_writes_need_the_csrf_token_and_a_desk_role(desk: Browser, desk_world: DeskWorld,
                                                     browser_as: Callable[..., Browser]) -> None:
    assert desk.post("/desk/tickets/new/pickup_order", PICKUP, csrf=False).status_code == 400
    number = create(desk, PICKUP)
    assert desk.post(f"/desk/tickets/{number}/transition", {"to": "processing", "revision": "1"},
                     csrf=False).status_code == 400
    assert desk.post(f"/desk/tickets/{number}/transition", {"to": "processing"}).status_code == 400  # no revision
    analyst = browser_as(desk_world.world.analyst_a, desk_world.world.tenant_a)
    assert analyst.get(f"/desk/tickets/{number}").status_code == 403
    assert analyst.post("/desk/tickets/new/pickup_order", PICKUP).status_code == 403
