"""The by-agent and by-handler report pages attribute what no user did: a call answered on an extension no user
holds shows as 分机 1001（未绑定用户） / Extension 1001 (no user) on the page, in its drill-down and in the CSV and
Excel exports; a ticket dispatched to a courier shows the courier's name, and its drill-down lists its tickets
only in its own tenant."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import openpyxl

from hotline.platform.db import Database
from hotline.platform.models import Directory, DirectoryEntry, Role, Ticket
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import make_user
from tests.platform.reports.seed import add_calls
from tests.platform.reports.seed import call as seed_call

AT = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai
DAY = "from=2026-03-12&to=2026-03-12"


def _answered_on(extension: str) -> list[dict]:
    return [{"type": "queue", "queue": "general", "status": "answered", "agent": extension, "wait_seconds": 5}]


def _links(html: str, marker: str) -> list[str]:
    return [part.split('"')[0].replace("&amp;", "&") for part in html.split('href="')[1:]
            if marker in part.split('"')[0]]


def test_calls_on_an_extension_with_no_user_on_the_page_drill_down_and_exports(db: Database, api_as, world) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    add_calls(db, tenant_id, [seed_call(AT + timedelta(minutes=n), wait=5, talk=100, agent_id=None,
                                        events=_answered_on("1001")) for n in range(2)]
              + [seed_call(AT + timedelta(minutes=3), wait=40, outcome="abandoned")])
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    html = supervisor.get(f"/supervision/reports?kind=calls&{DAY}&group=day&by=agent&lang=zh_CN").get_data(
        as_text=True)
    assert "分机 1001（未绑定用户）" in html and "agent.extension" not in html
    english = supervisor.get(f"/supervision/reports?kind=calls&{DAY}&group=day&by=agent&lang=en").get_data(
        as_text=True)
    assert "Extension 1001 (no user)" in english
    drill = next(link for link in _links(html, "extension=1001") if "figure=" not in link)
    listed = supervisor.get(drill + "&lang=zh_CN").get_data(as_text=True)
    table = listed.split('data-testid="report-calls"')[1].split("</table>")[0]
    assert table.count("<tr>") == 3 and table.count("分机 1001（未绑定用户）") == 2  # header + the two calls

    sheet = supervisor.get(f"/supervision/reports/export?format=xlsx&kind=calls&{DAY}&group=day&by=agent&lang=en")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    by_label = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:-1]}
    assert (by_label["Extension 1001 (no user)"]["Answered"], by_label["—"]["Calls"]) == (2, 1)
    text = supervisor.get(f"/supervision/reports/export?format=csv&kind=calls&{DAY}&group=day&by=agent"
                          "&lang=zh_CN").data.decode("utf-8-sig")
    labels = {row[1]: row for row in csv.reader(io.StringIO(text))}
    assert "分机 1001（未绑定用户）" in labels

    other = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
    assert other.get(drill).get_data(as_text=True).split('data-testid="report-calls"')[1].count("<tr>") == 2


def test_tickets_dispatched_to_a_courier_are_the_couriers_on_the_page_and_drill_down(db: Database, api_as,
                                                                                      world) -> None:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
        directory = Directory(tenant_id=tenant_id, name="c2-couriers", label="快递员", kind="courier")
        session.add(directory)
        session.flush()
        courier = DirectoryEntry(tenant_id=tenant_id, directory_id=directory.id, name="张师傅", phone="13900000000")
        session.add(courier)
        session.flush()
        courier_id = courier.id
    with db.tenant(tenant_id) as session:
        for n, values in enumerate(({"handler_entry_id": courier_id}, {"handler_entry_id": courier_id}, {})):
            session.add(Ticket(tenant_id=tenant_id, number=f"C2-{n}", form_name="repair", form_version=1,
                               status="open", data={}, created_at=AT, created_by="agent", **values))
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    html = supervisor.get(f"/supervision/reports?kind=tickets&{DAY}&group=day&by=handler&lang=zh_CN").get_data(
        as_text=True)
    assert "张师傅" in html
    drill = _links(html, f"handler=entry%3A{courier_id}")[0]
    listed = supervisor.get(drill).get_data(as_text=True)
    table = listed.split('data-testid="report-tickets"')[1].split("</table>")[0]
    assert table.count("<tr>") == 3 and table.count("张师傅") == 4  # two tickets: credited to and held by 张师傅
    other = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
    assert "张师傅" not in other.get(drill).get_data(as_text=True)
