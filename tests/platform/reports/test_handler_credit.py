"""By handler, 响应及时率 is the responder's and 完成及时率 the completer's, read from the ticket's history — never the
ticket's current handler, which a reassignment after the work changes. Tickets never responded to and past their
response due stay late for the handler they have when the report is read (or （未分配）). Live counters and both
rebuilds give the same rows, and the drill-down lists the tickets behind each person's figure."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import ReportTicketInterval, Role, Ticket, TicketHistory, User
from hotline.platform.reports import credit, intervals
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import ticket_report
from hotline.platform.services import templates, tickets, users
from hotline.platform.services.tenants import get_tenant

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)
DAY = Period(MONDAY, MONDAY, "total", SHANGHAI)
QUERY = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}


def _local(hour: int, minute: int, day: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


#: Read at 16:00 Monday: every move below has happened, T3's 10:40 response due has passed.
NOW = _local(16, 0)


@pytest.fixture(scope="module")
def seeded(db: Database) -> dict[str, Any]:
    """Four tracking queries (express template: response due 30 business minutes after creation, resolution 240;
    Monday 9 March is a working day, 09:00-21:00):

    T1 10:00 (response due 10:30, resolution 14:00): assigned to A; A responds 10:10 (in time); given to B, who
       completes it 10:50 (in time); then given to C.
    T2 10:05 (due 10:35 / 14:05): assigned to B; A responds 10:40 (late); B completes 15:00 (late); given to C.
    T3 10:10 (due 10:40): assigned to C, never responded to: past due at 16:00, late for C (its handler now).
    T4 10:15 (due 10:45): assigned to C; responded 10:20 (in time) under a name no user has ("gone-user"): a
       response by nobody the platform knows stays the ticket's handler's, C.
    """
    slug = f"h{uuid.uuid4().hex[:8]}"
    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), slug, None, "test").id
        people = {}
        for name in ("A", "B", "C"):
            user = users.create_user(session, f"{name.lower()}{uuid.uuid4().hex[:8]}", "secret-password-1", "test")
            user.display_name = f"座席{name}"
            users.grant(session, user, get_tenant(session, slug), Role.AGENT, "test")
            people[name] = (user.id, user.username)
    ids = {name: uid for name, (uid, _u) in people.items()}
    login = {name: username for name, (_i, username) in people.items()}

    def at(when: datetime) -> Any:
        return time_machine.travel(when, tick=False)

    def create(when: datetime, assignee: str) -> str:
        with at(when), db.tenant(tenant_id) as session:
            number = tickets.create(session, "tracking_query", QUERY, "creator").number
            ticket = tickets.get(session, number)
            tickets.assign(session, number, assignee_id=ids[assignee], base_revision=ticket.revision,
                           actor="supervisor")
            return number

    def move(when: datetime, number: str, to: str, actor: str) -> None:
        with at(when), db.tenant(tenant_id) as session:
            ticket = tickets.get(session, number)
            tickets.transition(session, number, to, base_revision=ticket.revision, actor=actor)

    def give(when: datetime, number: str, to: str) -> None:
        with at(when), db.tenant(tenant_id) as session:
            ticket = tickets.get(session, number)
            tickets.assign(session, number, assignee_id=ids[to], base_revision=ticket.revision, actor="supervisor")

    t1 = create(_local(10, 0), "A")
    move(_local(10, 10), t1, "processing", login["A"])
    give(_local(10, 20), t1, "B")
    move(_local(10, 50), t1, "done", login["B"])
    give(_local(11, 0), t1, "C")
    t2 = create(_local(10, 5), "B")
    move(_local(10, 40), t2, "processing", login["A"])
    move(_local(15, 0), t2, "done", login["B"])
    give(_local(15, 10), t2, "C")
    t3 = create(_local(10, 10), "C")
    t4 = create(_local(10, 15), "C")
    move(_local(10, 20), t4, "processing", "gone-user")
    return {"tenant": tenant_id, "ids": ids, "tickets": (t1, t2, t3, t4)}


def _by_handler(db: Database, tenant_id: int) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    with db.tenant(tenant_id) as session:
        report = ticket_report(session, tenant_id, DAY, "handler", now=NOW)
    return {row["label"]: row for row in report.rows}, report.totals


FIGURES = ("created", "responded_in_time", "responded_late", "response_overdue", "response_rate", "completed_in_time",
           "completed_late", "completion_rate")
#: By hand from the fixture's docstring.
EXPECTED = {
    "座席A": (0, 1, 1, 0, 50.0, 0, 0, None),  # responded T1 in time, T2 late; completed nothing
    "座席B": (0, 0, 0, 0, None, 1, 1, 50.0),  # completed T1 in time, T2 late; responded nothing
    "座席C": (4, 1, 0, 1, 50.0, 0, 0, None),  # holds all four now; T4's response by an unknown name; T3 overdue
}


def test_each_person_is_credited_with_what_they_responded_to_and_completed(db: Database,
                                                                           seeded: dict[str, Any]) -> None:
    rows, totals = _by_handler(db, seeded["tenant"])
    assert {label: tuple(row[f] for f in FIGURES) for label, row in rows.items()} == EXPECTED
    # the totals are the same tickets whoever they are credited to
    assert tuple(totals[f] for f in FIGURES) == (4, 2, 1, 1, 50.0, 1, 1, 50.0)


def _rows(db: Database, tenant_id: int) -> list[tuple[Any, ...]]:
    t = ReportTicketInterval
    with db.tenant(tenant_id) as session:
        columns = [c for c in t.__table__.columns if c.name != "id"]
        return sorted(session.execute(select(*columns).where(t.tenant_id == tenant_id)).all(), key=str)


@pytest.mark.parametrize("in_database", [None, False])
def test_a_rebuild_of_the_range_gives_the_rows_and_figures_the_live_counters_did(
        db: Database, seeded: dict[str, Any], in_database: bool | None) -> None:
    tenant_id = seeded["tenant"]
    live = _rows(db, tenant_id)
    for _ in range(2):  # idempotent
        with db.platform() as session:
            intervals.rebuild(session, tenant_id, _local(0, 0), _local(23, 45), in_database=in_database)
        assert _rows(db, tenant_id) == live
    rows, _totals = _by_handler(db, tenant_id)
    assert {label: tuple(row[f] for f in FIGURES) for label, row in rows.items()} == EXPECTED


def test_the_credit_of_each_ticket_is_read_from_its_history(db: Database, seeded: dict[str, Any]) -> None:
    tenant_id, ids = seeded["tenant"], seeded["ids"]
    t1, t2, t3, t4 = seeded["tickets"]
    with db.tenant(tenant_id) as session:
        numbers = dict(session.execute(select(Ticket.id, Ticket.number).where(Ticket.tenant_id == tenant_id)).all())
        credits_found = credit.credited(session, tenant_id, Ticket.id.in_(list(numbers)))
        found = {number: credits_found.get(ticket_id, credit.Credit()) for ticket_id, number in numbers.items()}
    assert found[t1] == credit.Credit(responder=ids["A"], completer=ids["B"])
    assert found[t2] == credit.Credit(responder=ids["A"], completer=ids["B"])
    assert found[t3] == credit.Credit(responder=None, completer=None)
    assert found[t4] == credit.Credit(responder=None, completer=None)  # "gone-user" is nobody: the handler's



def test_the_last_completion_is_credited_and_a_system_actor_is_nobody(db: Database, seeded: dict[str, Any]) -> None:
    """Reopened (resolved_at cleared) and completed again, the ticket is the second completer's; a completion by a
    system actor (a dispatch rule) — even one named like a user — leaves the credit with the handler (None)."""
    tenant_id, ids = seeded["tenant"], seeded["ids"]
    with db.platform() as session:
        login = dict(session.execute(select(User.id, User.username).where(User.id.in_(list(ids.values())))).all())
    at = _local(11, 0)
    done = [at.isoformat(), at.isoformat()]
    with db.tenant(tenant_id) as session:
        reopened = Ticket(tenant_id=tenant_id, number="R1", form_name="tracking_query", form_version=1,
                          status="done", data={}, created_at=at, resolved_at=at, first_responded_at=at)
        by_rule = Ticket(tenant_id=tenant_id, number="R2", form_name="tracking_query", form_version=1,
                         status="done", data={}, created_at=at, resolved_at=at)
        session.add_all([reopened, by_rule])
        session.flush()
        for actor, changes in ((login[ids["A"]], {"first_responded_at": [None, at.isoformat()]}),
                               (login[ids["B"]], {"resolved_at": [None, at.isoformat()]}),
                               (login[ids["B"]], {"resolved_at": [at.isoformat(), None]}),
                               (login[ids["C"]], {"resolved_at": done})):
            session.add(TicketHistory(tenant_id=tenant_id, ticket_id=reopened.id, actor=actor, action="transition",
                                      changes=changes, at=at))
        session.add(TicketHistory(tenant_id=tenant_id, ticket_id=by_rule.id, actor="rule:close", action="rule",
                                  changes={"resolved_at": done}, at=at))
        found = credit.credited(session, tenant_id, Ticket.id.in_([reopened.id, by_rule.id]))
        assert found.get(reopened.id) == credit.Credit(responder=ids["A"], completer=ids["C"])
        assert by_rule.id not in found
        session.rollback()
