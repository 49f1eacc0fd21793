"""Ticket search: by waybill / phone prefix through the search-key index, filters, paging, presets, isolation."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.db import Database
from hotline.platform.models import Role, Tenant, utcnow
from hotline.platform.services import templates, ticket_search, tickets, users
from hotline.platform.services.errors import InvalidDocument, NotFound

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the express template's time zone


@pytest.fixture(scope="module")
def world(db: Database, frozen_clock: datetime) -> dict[str, Any]:
    """Tenant A with five tickets of known age and state; tenant B with look-alikes of A's. Built afresh at each
    frozen instant, because the ages are counted back from "now"."""
    run = uuid.uuid4().hex[:6]  # one world per frozen instant in the module's database
    with db.platform() as session:
        a_id = templates.clone(session, templates.load("express_delivery"), f"srch-a-{run}", None, "test").id
    with db.platform() as session:
        b_id = templates.clone(session, templates.load("express_delivery"), f"srch-b-{run}", None, "test").id
    with db.platform() as session:
        agent = users.create_user(session, f"search_agent_{run}", "secret-password", "test")
        users.grant(session, agent, session.get(Tenant, a_id), Role.AGENT, "test")
        ids = {"a": a_id, "b": b_id, "agent": agent.id}
    now = utcnow()
    specs = [  # name, form, data, age in hours, resolution due in hours
        ("old", "tracking_query", {"waybill": "YT1000000001", "phone": "13800000001", "question_type": "eta"}, 72, -48),
        ("busy", "tracking_query", {"waybill": "YT1000000002", "phone": "13800000002", "question_type": "eta"}, 5, 1),
        ("urge", "delivery_urge", {"waybill": "YT2000000003", "phone": "13900000003", "urge_reason": "door"}, 3, -1),
        ("ask", "consultation", {"phone": "13800000004", "topic": "fees", "question": "运费多少"}, 2, 4),
        ("solved", "tracking_query", {"waybill": "ZT3000000005", "phone": "13700000005",
                                      "question_type": "other"}, 1, -0.5),
    ]
    numbers: dict[str, str] = {}
    with db.tenant(ids["a"]) as session:
        for name, form, data, age, due in specs:
            ticket = tickets.create(session, form, data, "agent1")
            ticket.created_at = now - timedelta(hours=age)
            ticket.resolution_due = now + timedelta(hours=due)
            numbers[name] = ticket.number
        session.flush()
        tickets.transition(session, numbers["busy"], "processing", base_revision=1, actor="agent1")
        tickets.assign(session, numbers["busy"], assignee_id=ids["agent"], base_revision=2, actor="sup")
        tickets.assign(session, numbers["urge"], assignee_id=ids["agent"], base_revision=1, actor="sup")
        tickets.transition(session, numbers["solved"], "done", base_revision=1, actor="agent1")
        tickets.assign(session, numbers["solved"], assignee_id=ids["agent"], base_revision=2, actor="sup")
    with db.tenant(ids["b"]) as session:
        for _name, form, data, _age, _due in specs:
            tickets.create(session, form, data, "agent9")
    ages = {name: age for name, _form, _data, age, _due in specs}
    return {**ids, "numbers": numbers, "now": now, "ages": ages}


def _found(db: Database, world: dict[str, Any], **criteria: Any) -> list[str]:
    """The names (see `world`) of the tickets of tenant A a search finds, in the order found."""
    names = {number: name for name, number in world["numbers"].items()}
    with db.tenant(world["a"]) as session:
        rows, total = ticket_search.search(session, **criteria)
        assert total >= len(rows)
        return [names[row.number] for row in rows]


def test_search_by_waybill_exact_or_prefix_and_by_phone_prefix(db: Database, world: dict[str, Any]) -> None:
    assert _found(db, world, text="YT1000000001") == ["old"]
    assert _found(db, world, text="YT1000", sort="created_at") == ["old", "busy"]
    assert _found(db, world, text="1380000", sort="created_at") == ["old", "busy", "ask"]
    assert _found(db, world, text="13800000004") == ["ask"]
    assert _found(db, world, text="1380%") == []  # LIKE wildcards are plain characters
    assert _found(db, world, text=world["numbers"]["urge"]) == ["urge"]
    assert _found(db, world, field="phone", value="13900000003") == ["urge"]
    assert _found(db, world, field="waybill", value="YT1000") == []  # field + value is exact


def test_filters_status_form_assignee_time_and_overdue(db: Database, world: dict[str, Any]) -> None:
    now = world["now"]
    assert _found(db, world, status=["processing", "done"], sort="created_at") == ["busy", "solved"]
    assert _found(db, world, status="pending", form="tracking_query") == ["old"]
    assert _found(db, world, form=["consultation", "delivery_urge"], sort="created_at") == ["urge", "ask"]
    assert _found(db, world, assignee_id=world["agent"], sort="created_at") == ["busy", "urge", "solved"]
    assert _found(db, world, created_from=now - timedelta(hours=4), created_to=now - timedelta(hours=1.5),
                  sort="created_at") == ["urge", "ask"]
    assert _found(db, world, overdue=True, sort="resolution_due") == ["old", "urge"]
    assert _found(db, world, overdue=False, sort="created_at") == ["busy", "ask", "solved"]
    assert _found(db, world, resolved=True) == ["solved"]


def test_paging_and_sort(db: Database, world: dict[str, Any]) -> None:
    assert _found(db, world) == ["solved", "ask", "urge", "busy", "old"]  # newest first by default
    with db.tenant(world["a"]) as session:
        first, total = ticket_search.search(session, sort="created_at", per_page=2)
        second, _ = ticket_search.search(session, sort="created_at", per_page=2, page=2)
        last, _ = ticket_search.search(session, sort="created_at", per_page=2, page=3)
        beyond, total_beyond = ticket_search.search(session, per_page=2, page=9)
    assert total == total_beyond == 5 and beyond == []
    numbers = world["numbers"]
    assert [r.number for r in first + second + last] == [numbers[n] for n in ("old", "busy", "urge", "ask", "solved")]
    assert _found(db, world, sort="-resolution_due") == ["ask", "busy", "solved", "urge", "old"]
    with pytest.raises(InvalidDocument) as caught, db.tenant(world["a"]) as session:
        ticket_search.search(session, sort="data")
    assert caught.value.findings[0].pointer == "/sort"
    with pytest.raises(InvalidDocument), db.tenant(world["a"]) as session:
        ticket_search.search(session, per_page=0)


def test_rows_show_the_status_label_and_colour_of_the_form(db: Database, world: dict[str, Any]) -> None:
    with db.tenant(world["a"]) as session:
        rows, _ = ticket_search.search(session, form="tracking_query", sort="created_at")
        assert [(r.status, r.status_label, r.status_color) for r in rows] == [
            ("pending", "待处理", "#000000"), ("processing", "处理中", "#d0021b"), ("done", "已完成", "#2e7d32")]
        cache: dict = {}
        assert ticket_search.status_display(session, rows[1].ticket, cache) == ("处理中", "#d0021b")
        assert list(cache) == [("tracking_query", rows[1].ticket.form_version)]


def test_presets_my_open_overdue_today(db: Database, world: dict[str, Any]) -> None:
    names = {number: name for name, number in world["numbers"].items()}
    with db.tenant(world["a"]) as session:
        def preset(name: str, **overrides: Any) -> list[str]:
            rows, total = ticket_search.search_preset(session, name, world["agent"], **overrides)
            assert total == len(rows)
            return [names[r.number] for r in rows]

        assert preset("my_open") == ["urge", "busy"]  # soonest due first; the resolved one is not open
        assert preset("overdue") == ["old", "urge"]
        assert preset("overdue", form="delivery_urge") == ["urge"]
        # "today" is the tenant's day (Asia/Shanghai), not UTC's: at 03:30 there, a ticket of 5 hours ago is yesterday's
        local_today = world["now"].astimezone(SHANGHAI).date()
        made_today = [name for name, age in sorted(world["ages"].items(), key=lambda item: -item[1])
                      if (world["now"] - timedelta(hours=age)).astimezone(SHANGHAI).date() == local_today]
        assert made_today, "each frozen instant has tickets of today"
        assert preset("today", sort="created_at") == made_today
        with pytest.raises(NotFound, match="my_open"):
            ticket_search.search_preset(session, "nope", world["agent"])
    assert set(ticket_search.PRESETS) >= {"my_open", "overdue", "today"}


def test_search_never_returns_another_tenants_tickets(db: Database, world: dict[str, Any]) -> None:
    with db.tenant(world["a"]) as session:
        rows, total = ticket_search.search(session, per_page=200)
        assert total == 5 and {r.ticket.tenant_id for r in rows} == {world["a"]}
        rows, total = ticket_search.search(session, text="YT1000000001")
        assert total == 1 and rows[0].ticket.tenant_id == world["a"]
    with db.tenant(world["b"]) as session:
        rows, total = ticket_search.search(session, text="138", per_page=200)
        assert total == 3 and {r.ticket.tenant_id for r in rows} == {world["b"]}
        assert {r.ticket.created_by for r in rows} == {"agent9"}
        assert ticket_search.search(session, assignee_id=world["agent"]) == ([], 0)
    with db.platform() as session:
        assert session.get(Tenant, world["b"]).slug.startswith("srch-b-")
