"""超时未响应 (tickets never responded to and past their response due when the report is read) in every breakdown,
across business hours: a ticket created just before closing is not late overnight, only once the business minutes
of its due have run the next morning. Counted at read time from the tickets; late for the handler they have now."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hotline.platform.db import Database
from hotline.platform.models import Role
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import ticket_report
from hotline.platform.services import templates, tickets, users
from hotline.platform.services.tenants import get_tenant

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)
QUERY = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}
COMPLAINT = {"phone": "13800000000", "complaint_type": "attitude", "severity": "normal",
             "details": "快递员态度恶劣，包裹破损"}


def _local(hour: int, minute: int, day: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


#: Tuesday 08:00: 11 wall-clock hours after the 20:50 ticket, but only 10 of its 30 business minutes have run.
BEFORE_OPENING = _local(8, 0, 10)
#: Tuesday 08:30: past its 08:20 due (the business minutes counted by the SLA).
AFTER_DUE = _local(8, 30, 10)


@pytest.fixture(scope="module")
def seeded(db: Database) -> dict[str, Any]:
    """Monday 9 March (a working day of the express template: response due 30 business minutes after creation):

    late   20:50 query, held by A (given first to B, then to A): due 08:20 Tuesday.
    early  10:00 query, nobody holds it: due 10:30 Monday.
    angry  10:05 complaint (wall-clock SLA: due 10:35), held by B.
    done   10:10 query held by A, responded to by A at 10:20: never overdue.
    sunday 23:59 Sunday query, unresponded: another day, outside the period.
    """
    slug = f"o{uuid.uuid4().hex[:8]}"
    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), slug, None, "test").id
        ids, login = {}, {}
        for name in ("A", "B"):
            user = users.create_user(session, f"{name.lower()}{uuid.uuid4().hex[:8]}", "secret-password-1", "test")
            user.display_name = f"座席{name}"
            users.grant(session, user, get_tenant(session, slug), Role.AGENT, "test")
            ids[name], login[name] = user.id, user.username

    def create(when: datetime, form: str, data: dict[str, Any], *holders: str) -> str:
        with time_machine.travel(when, tick=False), db.tenant(tenant_id) as session:
            number = tickets.create(session, form, data, "agent1").number
            for holder in holders:
                ticket = tickets.get(session, number)
                tickets.assign(session, number, assignee_id=ids[holder], base_revision=ticket.revision,
                               actor="supervisor")
            return number

    create(_local(20, 50), "tracking_query", QUERY, "B", "A")
    create(_local(10, 0), "tracking_query", QUERY)
    create(_local(10, 5), "complaint", COMPLAINT, "B")
    done = create(_local(10, 10), "tracking_query", QUERY, "A")
    with time_machine.travel(_local(10, 20), tick=False), db.tenant(tenant_id) as session:
        ticket = tickets.get(session, done)
        tickets.transition(session, done, "processing", base_revision=ticket.revision, actor=login["A"])
    create(_local(23, 59, 8), "tracking_query", QUERY)
    return {"tenant": tenant_id}


def _figures(db: Database, tenant_id: int, now: datetime, dimension: str = "", group: str = "total",
             filters: dict[str, Any] | None = None) -> dict[str, tuple[int, float | None]]:
    with db.tenant(tenant_id) as session:
        report = ticket_report(session, tenant_id, Period(MONDAY, MONDAY, group, SHANGHAI), dimension, filters,
                               now=now)
    key = (lambda r: r["period"]) if group.endswith("min") else (lambda r: r["label"])
    return {key(r): (r["response_overdue"], r["response_rate"]) for r in report.rows if r["created"]
            or r["response_overdue"]} | {"": (report.totals["response_overdue"], report.totals["response_rate"])}


def test_a_ticket_created_before_closing_is_not_overdue_until_its_business_minutes_have_run(
        db: Database, seeded: dict[str, Any]) -> None:
    tenant_id = seeded["tenant"]
    assert _figures(db, tenant_id, BEFORE_OPENING)[""] == (2, 33.3)  # 1 in time ÷ (1 responded + 2 overdue)
    assert _figures(db, tenant_id, AFTER_DUE)[""] == (3, 25.0)
    assert _figures(db, tenant_id, _local(10, 25))[""] == (0, 100.0)  # nothing due yet


def test_overdue_unresponded_tickets_in_every_breakdown(db: Database, seeded: dict[str, Any]) -> None:
    tenant_id = seeded["tenant"]
    assert _figures(db, tenant_id, AFTER_DUE, "form") == {"查件登记": (2, 33.3), "投诉": (1, 0.0), "": (3, 25.0)}
    assert _figures(db, tenant_id, AFTER_DUE, "category") == {
        "查件登记 / 物流信息长时间未更新": (2, 33.3), "投诉 / 服务态度": (1, 0.0), "": (3, 25.0)}
    statuses = _figures(db, tenant_id, AFTER_DUE, "status")
    assert sum(n for label, (n, _r) in statuses.items() if label) == 3
    # no translate given: the i18n key (the page translates it)
    assert _figures(db, tenant_id, AFTER_DUE, "source") == {"source.desk": (3, 25.0), "": (3, 25.0)}
    # late for whoever holds them now: the 20:50 query is A's (it was B's first), the complaint B's
    assert _figures(db, tenant_id, AFTER_DUE, "handler") == {
        "座席A": (1, 50.0), "座席B": (1, 0.0), "(nobody)": (1, 0.0), "": (3, 25.0)}
    assert _figures(db, tenant_id, BEFORE_OPENING, "handler") == {
        "座席A": (0, 100.0), "座席B": (1, 0.0), "(nobody)": (1, 0.0), "": (2, 33.3)}
    assert _figures(db, tenant_id, AFTER_DUE, "form", filters={"complaints": True}) == {
        "投诉": (1, 0.0), "": (1, 0.0)}
    assert _figures(db, tenant_id, AFTER_DUE, "handler", filters={"form": "tracking_query"}) == {
        "座席A": (1, 50.0), "(nobody)": (1, 0.0), "": (2, 33.3)}


def test_overdue_unresponded_tickets_fall_in_the_bucket_of_their_creation(db: Database,
                                                                            seeded: dict[str, Any]) -> None:
    hours = _figures(db, seeded["tenant"], AFTER_DUE, group="60min")
    assert {label: n for label, (n, _r) in hours.items() if n} == {
        next(label for label in hours if "10:00" in label): 2, next(label for label in hours if "20:00" in label): 1,
        "": 3}
