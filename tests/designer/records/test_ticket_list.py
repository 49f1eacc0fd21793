"""The ticket list: search by waybill or phone, filters, colour-coded statuses, hover content, presets, saved
filters, paging, bad arguments, and only the current tenant's tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.platform.models import Ticket, User, utcnow
from hotline.platform.services import tickets


@pytest.fixture(scope="module")
def numbers(db, world, tenant_ids) -> dict[str, str]:
    """Tickets in tenant A through the tickets service (search keys included) and one in tenant B."""
    made = {}
    with db.platform() as session:
        agent_id = session.scalar(select(User.id).where(User.username == world.agent_a))
    with db.tenant(tenant_ids["a"]) as session:
        query = tickets.create(session, "tracking_query", {
            "waybill": "7730012345601", "phone": "13801234501", "question": "三天没有物流更新",
            "question_type": "no_update"}, world.agent_a)
        query.assignee_id = agent_id
        made["query"] = query.number
        pickup = tickets.create(session, "pickup_order", {
            "sender_name": "李晓燕", "phone": "13801234502", "address": "望京SOHO T1 1201",
            "pickup_time": "今天18:00前"}, world.agent_a)
        pickup.status = "processing"
        pickup.resolution_due = utcnow() - timedelta(hours=1)
        made["pickup"] = pickup.number
    with db.tenant(tenant_ids["b"]) as session:
        made["b"] = tickets.create(session, "tracking_query", {"waybill": "7730012345601", "phone": "13801234501",
                                                               "question": "乙", "question_type": "no_update"},
                                   "b").number
    return made


def test_search_by_waybill_finds_the_ticket_with_its_status_colour_and_desk_link(pages_as, world, numbers) -> None:
    page = pages_as(world.agent_a).get("/records/tickets?q=7730012345601")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'href="/desk/tickets/{numbers["query"]}"' in html
    assert 'style="color:#000000">待处理' in html  # the express template: pending is black
    assert "三天没有物流更新" in html and 'title="' in html
    assert numbers["pickup"] not in html and numbers["b"] not in html.replace(numbers["query"], "")


def test_the_hover_text_shows_option_titles_not_codes(pages_as, world, numbers) -> None:
    """Issue 16: the row's hover text showed the code no_update."""
    html = pages_as(world.agent_a).get("/records/tickets?q=7730012345601").get_data(as_text=True)
    hover = html.split('class="content" title="', 1)[1].split('"', 1)[0]
    assert "物流信息长时间未更新" in hover and "no_update" not in hover


def test_processing_is_red_and_filters_by_status_form_and_overdue(pages_as, world, numbers) -> None:
    agent = pages_as(world.agent_a)
    html = agent.get("/records/tickets?status=processing&form=pickup_order").get_data(as_text=True)
    assert numbers["pickup"] in html and numbers["query"] not in html
    assert 'style="color:#d0021b">处理中' in html
    overdue = agent.get("/records/tickets?preset=overdue").get_data(as_text=True)
    assert numbers["pickup"] in overdue and numbers["query"] not in overdue


def test_my_open_shows_the_tickets_assigned_to_me(pages_as, world, numbers) -> None:
    mine = pages_as(world.agent_a).get("/records/tickets?preset=my_open").get_data(as_text=True)
    assert numbers["query"] in mine and numbers["pickup"] not in mine
    others = pages_as(world.admin_a).get("/records/tickets?preset=my_open").get_data(as_text=True)
    assert numbers["query"] not in others


def test_a_time_range_in_the_tenants_days_filters_tickets(pages_as, world, numbers) -> None:
    agent = pages_as(world.agent_a)
    today = utcnow().date()
    week = f"created_from={today - timedelta(days=1)}&created_to={today + timedelta(days=1)}"
    html = agent.get(f"/records/tickets?{week}")
    assert numbers["query"] in html.get_data(as_text=True)
    past = agent.get("/records/tickets?created_to=2020-01-01").get_data(as_text=True)
    assert numbers["query"] not in past


def test_bad_filter_arguments_are_named_and_answered_400(pages_as, world) -> None:
    agent = pages_as(world.agent_a)
    bad = agent.get("/records/tickets?created_from=yesterday&sort=colour")
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "created_from" in html and "sort" in html
    assert agent.get("/records/tickets?page=0").status_code == 400
    assert agent.get("/records/tickets?per_page=9999").status_code == 400
    beyond = agent.get("/records/tickets?assignee=9223372036854775808")  # was a 500 (OverflowError in SQL)
    assert beyond.status_code == 400 and "assignee" in beyond.get_data(as_text=True)


def test_pages_of_results(pages_as, world, numbers) -> None:
    agent = pages_as(world.agent_a)
    first = agent.get("/records/tickets?per_page=1&sort=number").get_data(as_text=True)
    second = agent.get("/records/tickets?per_page=1&sort=number&page=2").get_data(as_text=True)
    assert 'data-testid="next"' in first and 'data-testid="prev"' in second
    assert (numbers["query"] in first) != (numbers["query"] in second)


def test_an_agent_saves_applies_and_deletes_a_filter(db, pages_as, world, tenant_ids, numbers) -> None:
    agent = pages_as(world.agent_a)
    saved = agent.post("/records/tickets/filters", {"name": "我的取件", "form": "pickup_order", "status": "processing"})
    assert saved.status_code == 302 and "form=pickup_order" in saved.headers["Location"]
    listing = agent.get("/records/tickets").get_data(as_text=True)
    assert "我的取件" in listing
    from hotline.platform.models import SavedFilter

    with db.tenant(tenant_ids["a"]) as session:
        row = session.scalar(select(SavedFilter).where(SavedFilter.name == "我的取件"))
        assert row.query == {"form": ["pickup_order"], "status": ["processing"]}
    assert pages_as(world.admin_a).post(f"/records/tickets/filters/{row.id}/delete").status_code == 404
    assert agent.post(f"/records/tickets/filters/{row.id}/delete").status_code == 302
    assert "我的取件" not in agent.get("/records/tickets").get_data(as_text=True)


def test_saving_an_empty_filter_or_without_csrf_is_refused(pages_as, world) -> None:
    agent = pages_as(world.agent_a)
    empty = agent.post("/records/tickets/filters", {"name": "空"}, follow_redirects=True)
    assert "nothing to save" in empty.get_data(as_text=True)
    assert agent.post("/records/tickets/filters", {"name": "x", "q": "1"}, csrf=False).status_code == 400


def test_signed_out_users_go_to_login_and_users_without_a_role_are_refused(app, pages_as, world) -> None:
    response = app.test_client().get("/records/tickets")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert pages_as(world.nobody).get("/records/tickets").status_code == 403


def test_tenant_b_tickets_do_not_show_for_tenant_a(db, pages_as, world, tenant_ids, numbers) -> None:
    html = pages_as(world.agent_a).get("/records/tickets?per_page=200").get_data(as_text=True)
    with db.tenant(tenant_ids["b"]) as session:
        b_numbers = set(session.scalars(select(Ticket.number)))
    a_numbers = {numbers["query"], numbers["pickup"]}
    assert all(f'data-number="{n}"' not in html for n in b_numbers - a_numbers)


def test_the_desk_link_of_a_tenant_b_ticket_is_404_for_tenant_a(db, pages_as, world, tenant_ids, numbers) -> None:
    with db.tenant(tenant_ids["a"]) as session:
        a_numbers = set(session.scalars(select(Ticket.number)))
    with db.tenant(tenant_ids["b"]) as session:  # numbers count per tenant: make one tenant A does not have
        only_b = next(number for number in (
            tickets.create(session, "tracking_query", {"waybill": "7730099999999", "phone": "13801234509",
                                                       "question_type": "no_update"}, "b").number
            for _ in range(len(a_numbers) + 1)) if number not in a_numbers)
    agent = pages_as(world.agent_a)
    assert agent.get(f"/desk/tickets/{numbers['query']}").status_code == 200
    assert agent.get(f"/desk/tickets/{only_b}").status_code == 404
    assert 'data-number="' not in agent.get("/records/tickets?q=7730099999999").get_data(as_text=True)


def test_the_status_filter_offers_waiting_for_dispatch(db, pages_as, world, tenant_ids, numbers) -> None:
    """Issue 11 QA, item 6: 待派单 (tickets on the manual dispatch list) was not a status filter option."""
    from hotline.platform.dispatch import run_rules
    from hotline.platform.services import manual_dispatch
    from hotline.platform.services.ticket_lists import UNASSIGNED

    with db.tenant(tenant_ids["a"]) as session:
        waiting = tickets.create(session, "pickup_order", {
            "phone": "13651234503", "address": "上海市浦东新区陆家嘴环路1000号", "pickup_time": "今天18:00前"},
            world.agent_a).number
    with db.tenant(tenant_ids["a"]) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, waiting)})
        assert waiting in {t.number for _r, t in manual_dispatch.pending(session)}
    agent = pages_as(world.agent_a)
    html = agent.get("/records/tickets").get_data(as_text=True)
    option = html.split('data-testid="status-unassigned"', 1)[1].split("</option>", 1)[0]
    assert "待派单" in option and UNASSIGNED in html
    only = agent.get(f"/records/tickets?status={UNASSIGNED}").get_data(as_text=True)
    assert f'data-number="{waiting}"' in only
    assert f'data-number="{numbers["pickup"]}"' not in only and f'data-number="{numbers["query"]}"' not in only
    either = agent.get(f"/records/tickets?status={UNASSIGNED}&status=processing").get_data(as_text=True)
    assert f'data-number="{waiting}"' in either and f'data-number="{numbers["pickup"]}"' in either


def test_the_presets_are_worded_in_both_languages(pages_as, world) -> None:
    """QA of issue 16 (fixc18, item 6): English read "Saved filters: my_open · overdue · today"."""
    agent = pages_as(world.agent_a)
    english = agent.get("/records/tickets?lang=en").get_data(as_text=True)
    presets = english.split('data-testid="presets"', 1)[1].split("</p>", 1)[0]
    assert ">My open tickets<" in presets and ">Overdue<" in presets and ">Today<" in presets
    assert ">my_open<" not in presets and ">today<" not in presets
    chinese = agent.get("/records/tickets?lang=zh_CN").get_data(as_text=True)
    presets = chinese.split('data-testid="presets"', 1)[1].split("</p>", 1)[0]
    assert ">我的未完成<" in presets and ">今日<" in presets


def test_yes_no_fields_read_yes_or_no_in_the_summary_and_hover(db, pages_as, world, tenant_ids) -> None:
    """QA of issue 16 (fixc18, item 4): the list read "客户要求赔偿: False"."""
    with db.tenant(tenant_ids["a"]) as session:
        number = tickets.create(session, "complaint", {
            "phone": "13801234509", "complaint_type": "attitude", "severity": "normal",
            "details": "快递员态度恶劣", "claim_requested": False}, world.agent_a).number
    agent = pages_as(world.agent_a)
    html = agent.get(f"/records/tickets?q={number}&lang=zh_CN").get_data(as_text=True)
    assert "客户要求赔偿: 否" in html and "False" not in html
    english = agent.get(f"/records/tickets?q={number}&lang=en").get_data(as_text=True)
    assert "客户要求赔偿: No" in english and "False" not in english
