"""The by-handler ticket report on the page, its drill-downs and its Excel export credit the responder with the
response and the completer with the completion (platform/reports/credit.py), not whoever holds the ticket now;
each figure opens exactly the tickets behind it, only in the report's own tenant."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import time_machine
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Role, User
from hotline.platform.services import tickets
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = "from=2026-03-17&to=2026-03-17"  # Tuesday, a working day no other test of the module reports
QUERY = {"phone": "13800000000", "waybill": "SF1234567890", "question_type": "no_update"}


def _at(hour: int, minute: int) -> Any:
    return time_machine.travel(datetime(2026, 3, 17, hour, minute, tzinfo=SHANGHAI), tick=False)


def _seed(db: Database, tenant_id: int, people: dict[str, str]) -> tuple[str, str, str]:
    """T1 10:00 (response due 10:30, resolution 14:00): A responds 10:10 (in time), B completes 10:50 (in time),
    then C holds it. T2 10:05 (due 10:35 / 14:05): A responds 10:40 (late), B completes 15:00 (late), then C holds it.
    T3 10:10 (due 10:40): C's, never responded to — late for C once past due."""
    with db.platform() as session:
        ids = {name: session.scalar(select(User.id).where(User.username == username))
               for name, username in people.items()}

    def step(hour: int, minute: int, number: str | None, *, to: str = "", actor: str = "", give: str = "") -> str:
        with _at(hour, minute), db.tenant(tenant_id) as session:
            if number is None:
                number = tickets.create(session, "tracking_query", QUERY, "creator").number
            ticket = tickets.get(session, number)
            if to:
                tickets.transition(session, number, to, base_revision=ticket.revision, actor=people[actor])
            if give:
                tickets.assign(session, number, assignee_id=ids[give], base_revision=ticket.revision,
                               actor="supervisor")
            return number

    t1 = step(10, 0, None, give="A")
    step(10, 10, t1, to="processing", actor="A")
    step(10, 20, t1, give="B")
    step(10, 50, t1, to="done", actor="B")
    step(11, 0, t1, give="C")
    t2 = step(10, 5, None, give="B")
    step(10, 40, t2, to="processing", actor="A")
    step(15, 0, t2, to="done", actor="B")
    step(15, 10, t2, give="C")
    t3 = step(10, 10, None, give="C")
    return t1, t2, t3


def _listed(client: Any, link: str) -> set[str]:
    html = client.get(link).get_data(as_text=True)
    table = html.split('data-testid="report-tickets"')[1].split("</table>")[0]
    return {part.split("<")[0] for part in table.split('">')[1:] if part[:1].isdigit()}


def test_responses_and_completions_are_the_persons_who_did_them_on_page_drill_down_and_export(
        db: Database, api_as, world) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    people = {name: make_user(db, {world.tenant_a: [Role.AGENT]}) for name in "ABC"}
    t1, t2, t3 = _seed(db, tenant_id, people)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    with time_machine.travel(datetime(2026, 3, 17, 16, 0, tzinfo=SHANGHAI), tick=False):
        body = supervisor.get(f"/supervision/api/reports?kind=tickets&{DAY}&group=day&by=handler").get_json()
        html = supervisor.get(f"/supervision/reports?kind=tickets&{DAY}&group=day&by=handler&lang=zh_CN").get_data(
            as_text=True)
        sheet = supervisor.get(f"/supervision/reports/export?format=xlsx&kind=tickets&{DAY}&group=day&by=handler"
                               "&lang=en")
    rows = {row["label"]: row for row in body["rows"]}
    figures = ("created", "responded_in_time", "responded_late", "response_overdue", "response_rate",
               "completed_in_time", "completed_late", "completion_rate")
    a, b, c = (people[name] for name in "ABC")
    assert {label: tuple(row[f] for f in figures) for label, row in rows.items()} == {
        a: (0, 1, 1, 0, 50.0, 0, 0, None),  # responded T1 in time and T2 late
        b: (0, 0, 0, 0, None, 1, 1, 50.0),  # completed T1 in time and T2 late
        c: (3, 0, 0, 1, 0.0, 0, 0, None),  # holds all three now; T3 unanswered past due is late for C
    }

    table = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    exported = {row[1]: dict(zip(table[0], row, strict=True)) for row in table[1:-1]}
    assert (exported[a]["Responded in time"], exported[a]["Responded late"], exported[a]["Response timeliness %"]) \
        == (1, 1, 50.0)
    assert (exported[b]["Completed in time"], exported[b]["Completed late"], exported[b]["Completion timeliness %"]) \
        == (1, 1, 50.0)
    assert (exported[c]["Created"], exported[c]["Response timeliness %"]) == (3, 0.0)

    def link(person: str, figure: str) -> str:
        user_id = rows[person]["key"]
        found = [part.split('"')[0].replace("&amp;", "&") for part in html.split('href="')[1:]
                 if f"handler={user_id}&" in part.split('"')[0].replace("&amp;", "&")
                 and part.split('"')[0].endswith(f"figure={figure}")]
        assert found, (person, figure)
        return found[0]

    with time_machine.travel(datetime(2026, 3, 17, 16, 0, tzinfo=SHANGHAI), tick=False):
        assert _listed(supervisor, link(a, "responded_in_time")) == {t1}
        assert _listed(supervisor, link(a, "responded_late")) == {t2}
        assert _listed(supervisor, link(b, "completed_in_time")) == {t1}
        assert _listed(supervisor, link(b, "completed_late")) == {t2}
        assert _listed(supervisor, link(c, "created")) == {t1, t2, t3}
        assert _listed(supervisor, link(c, "response_overdue")) == {t3}
        whole = link(a, "responded_in_time").rsplit("&figure=", 1)[0]  # the row's own link: any of A's figures
        assert _listed(supervisor, whole) == {t1, t2}
        assert supervisor.get(whole + "&figure=nonsense").status_code == 400
        other = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
        # another tenant's handler is refused naming it, never listed as nobody's tickets (QA 14)
        assert other.get(link(a, "responded_in_time")).status_code == 400
