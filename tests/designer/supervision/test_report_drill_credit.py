"""The ticket drill-down of a by-handler figure names the person the figure is credited to (the responder for 响应
figures, the completer for 完成 figures), with who holds the ticket now beside it; and it finds every ticket of the
person's figure up to its cap, however many newer tickets of other people's the person also touched."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from hotline.designer.supervision import report_records
from hotline.platform.db import Database
from hotline.platform.models import Role, User
from hotline.platform.services import tickets
from tests.designer.conftest import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = "created_from=2026-03-18&created_to=2026-03-18"  # Wednesday, a working day
QUERY = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}


def _at(hour: int, minute: int) -> Any:
    return time_machine.travel(datetime(2026, 3, 18, hour, minute, tzinfo=SHANGHAI), tick=False)


class Desk:
    """Creates, moves and gives tickets of one tenant at frozen instants of Wednesday 18 March."""

    def __init__(self, db: Database, tenant_slug: str, people: dict[str, str]) -> None:
        self.db = db
        self.people = people
        with db.platform() as session:
            from hotline.platform.services.tenants import get_tenant

            self.tenant_id = get_tenant(session, tenant_slug).id
            self.ids = {name: session.scalar(select(User.id).where(User.username == username))
                        for name, username in people.items()}

    def step(self, hour: int, minute: int, number: str | None, *, to: str = "", actor: str = "",
             give: str = "") -> str:
        with _at(hour, minute), self.db.tenant(self.tenant_id) as session:
            if number is None:
                number = tickets.create(session, "tracking_query", QUERY, "creator").number
            ticket = tickets.get(session, number)
            if to:
                tickets.transition(session, number, to, base_revision=ticket.revision, actor=self.people[actor])
                ticket = tickets.get(session, number)
            if give:
                tickets.assign(session, number, assignee_id=self.ids[give], base_revision=ticket.revision,
                               actor="supervisor")
            return number


def _rows(client: Any, link: str) -> list[list[str]]:
    html = client.get(link).get_data(as_text=True)
    table = html.split('data-testid="report-tickets"')[1].split("</table>")[0]
    out = []
    for row in table.split("<tr>")[2:]:
        cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
        if cells:  # not the "No tickets" row
            out.append([cell.split('">')[-1].split("<")[0].strip() if "<a" in cell else cell.strip() for cell in cells])
    return out


def test_the_drill_down_names_the_credited_person_and_the_holder_now(db: Database, api_as, world) -> None:
    people = {name: make_user(db, {world.tenant_a: [Role.AGENT]}) for name in "ABC"}
    desk = Desk(db, world.tenant_a, people)
    t1 = desk.step(10, 0, None, give="A")
    desk.step(10, 10, t1, to="processing", actor="A", give="B")  # A responds, then B holds it
    desk.step(10, 50, t1, to="done", actor="B", give="C")  # B completes, then C holds it
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    base = f"/supervision/reports/tickets?{DAY}"
    with _at(16, 0):
        html = supervisor.get(f"{base}&handler={desk.ids['A']}&figure=responded_in_time&lang=zh_CN").get_data(
            as_text=True)
        responded = _rows(supervisor, f"{base}&handler={desk.ids['A']}&figure=responded_in_time")
        completed = _rows(supervisor, f"{base}&handler={desk.ids['B']}&figure=completed_in_time")
        english = supervisor.get(f"{base}&handler={desk.ids['B']}&figure=completed_in_time&lang=en").get_data(
            as_text=True)
    assert "记入" in html and "当前处理人" in html
    assert "Credited to" in english and "Holds it now" in english
    # number, time, form, category, status, credited, holder now
    assert [(r[0], r[5], r[6]) for r in responded] == [(t1, people["A"], people["C"])]
    assert [(r[0], r[5], r[6]) for r in completed] == [(t1, people["B"], people["C"])]


def test_a_persons_tickets_past_the_cap_of_newer_ones_they_touched_are_all_found(
        db: Database, api_as, world, monkeypatch) -> None:
    """Cap 2 (the SQL read 4× the cap): three tickets D holds, then ten newer ones D responded to and gave away —
    the newest tickets D touched are not D's created tickets, yet the drill-down lists two of D's three."""
    monkeypatch.setattr(report_records, "CALL_LIST_LIMIT", 2)
    people = {name: make_user(db, {world.tenant_a: [Role.AGENT]}) for name in "DE"}
    desk = Desk(db, world.tenant_a, people)
    own = [desk.step(9, minute, None, give="D") for minute in (1, 2, 3)]
    for minute in range(10):
        number = desk.step(11, minute, None, give="D")
        desk.step(11, 20 + minute, number, to="processing", actor="D", give="E")
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    with _at(16, 0):
        listed = _rows(supervisor, f"/supervision/reports/tickets?{DAY}&handler={desk.ids['D']}&figure=created")
        responded = _rows(supervisor, f"/supervision/reports/tickets?{DAY}&handler={desk.ids['D']}"
                                      "&figure=responded_in_time")
    assert [r[0] for r in listed] == [own[2], own[1]], (listed, responded)  # the newest two of D's three, none of E's
    assert len(responded) == 2 and all(r[5] == people["D"] and r[6] == people["E"] for r in responded)
