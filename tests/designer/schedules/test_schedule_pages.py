"""The shifts page (week grid, create/edit/delete with refusals in words, import with line errors, template), the
draw-from-the-plan page, and attendance with its exports: labels never codes, and another tenant's shifts a 404."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select

from hotline.platform import models as m
from hotline.platform.db import Database
from hotline.platform.services.tenants import get_tenant
from hotline.platform.settlement import overtime
from hotline.platform.settlement.inputs import parse_month
from hotline.platform.settlement.terms import EXAMPLE
from tests.conftest import REDIS_URL
from tests.designer.conftest import make_user
from tests.jobs_support import run_worker
from tests.platform.wallboard_helpers import add_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK = date(2026, 3, 16)  # a Monday


def form_post(client, url: str, data: dict, **kwargs):
    return client.client.post(url, data={**data, "csrf_token": client.token}, **kwargs)


def _ids(db: Database, world) -> dict:
    with db.platform() as session:
        a, b = get_tenant(session, world.tenant_a), get_tenant(session, world.tenant_b)
        users = {u.username: u.id for u in session.scalars(select(m.User))}
        return {"a": a.id, "b": b.id, "agent": users[world.agent_a], "supervisor": users[world.supervisor_a]}


def shift_form(user_id: int, day: str = "2026-03-17", start: str = "09:00", end: str = "18:00", **extra) -> dict:
    return {"user_id": str(user_id), "seat_type": "team_lead", "day": day, "start": start, "end": end,
            "break_minutes": "60", "note": "早班", **extra}


def test_the_week_grid_creates_edits_and_deletes_shifts_and_refuses_overlaps_in_words(db, api_as, world) -> None:
    ids = _ids(db, world)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    created = form_post(supervisor, "/schedules/shifts", shift_form(ids["agent"]))
    assert created.status_code == 302 and "week=2026-03-17" in created.headers["Location"]
    page = supervisor.get("/schedules/?week=2026-03-18").get_data(as_text=True)
    assert "2026-03-16 起的一周" in page and "Asia/Shanghai" in page
    assert "09:00–18:00 班组长 (60′) · 早班" in page and "team_lead" not in page.split("<table")[1].split("</table>")[0]
    overlap = form_post(supervisor, "/schedules/shifts", shift_form(ids["agent"], start="17:00", end="20:00"),
                        follow_redirects=True).get_data(as_text=True)
    assert "与" in overlap and "2026-03-17 09:00–2026-03-17 18:00 重叠" in overlap
    backwards = form_post(supervisor, "/schedules/shifts", shift_form(ids["agent"], day="2026-03-18", start="09:00",
                                                                      end="09:00"), follow_redirects=True)
    assert "一个班次最长 16 小时" in backwards.get_data(as_text=True)
    with db.tenant(ids["a"]) as session:
        shift = session.scalar(select(m.Shift).where(m.Shift.user_id == ids["agent"]))
        shift_id = shift.id
    edit = supervisor.get(f"/schedules/shifts/{shift_id}").get_data(as_text=True)
    assert 'value="2026-03-17"' in edit and 'value="09:00"' in edit
    night = form_post(supervisor, f"/schedules/shifts/{shift_id}", shift_form(ids["agent"], start="22:00", end="06:00"))
    assert night.status_code == 302
    with db.tenant(ids["a"]) as session:
        shift = session.get(m.Shift, shift_id)
        assert shift.ends_at - shift.starts_at == timedelta(hours=8)
    english = supervisor.get("/schedules/?week=2026-03-17&lang=en").get_data(as_text=True)
    assert "22:00–06:00+1 Team lead" in english
    bad_break = form_post(supervisor, f"/schedules/shifts/{shift_id}", shift_form(ids["agent"], break_minutes="600"))
    assert bad_break.status_code == 400 and "Break must be" in bad_break.get_data(as_text=True).replace("The b", "B")
    assert form_post(supervisor, f"/schedules/shifts/{shift_id}/delete", {}).status_code == 302
    with db.tenant(ids["a"]) as session:
        assert session.get(m.Shift, shift_id) is None


def test_another_tenants_shifts_and_agents_are_out_of_reach(db, api_as, world) -> None:
    ids = _ids(db, world)
    with db.tenant(ids["b"]) as session:
        theirs = m.Shift(tenant_id=ids["b"], user_id=ids["agent"], seat_type="agent",
                         starts_at=datetime(2026, 3, 20, 1, tzinfo=UTC), ends_at=datetime(2026, 3, 20, 9, tzinfo=UTC),
                         note="tenant-b-secret")
        session.add(theirs)
        session.flush()
        their_id = theirs.id
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    assert supervisor.get(f"/schedules/shifts/{their_id}").status_code == 404
    assert form_post(supervisor, f"/schedules/shifts/{their_id}", shift_form(ids["agent"])).status_code == 404
    assert form_post(supervisor, f"/schedules/shifts/{their_id}/delete", {}).status_code == 404
    assert "tenant-b-secret" not in supervisor.get("/schedules/?week=2026-03-20").get_data(as_text=True)
    # a user with no role in A cannot be scheduled in A
    with db.platform() as session:
        outsider = session.scalar(select(m.User.id).where(m.User.username == world.analyst_b))
    refused = form_post(supervisor, "/schedules/shifts", shift_form(outsider, day="2026-03-21"))
    # By number, never the other tenant's username, and a refusal status (QA of issue 15, item 5).
    assert refused.status_code == 422
    assert f"用户 #{outsider} 不是本租户的座席" in refused.get_data(as_text=True)
    assert world.analyst_b not in refused.get_data(as_text=True)
    drawn = form_post(supervisor, "/schedules/draw", {
        "slots": "1", "break_minutes": "0", "slot-0-user": str(outsider), "slot-0-seat": "agent",
        "slot-0-start": "2026-03-22T09:00:00+08:00", "slot-0-end": "2026-03-22T17:00:00+08:00"})
    assert drawn.status_code == 422
    assert f"用户 #{outsider} 不是本租户的座席" in drawn.get_data(as_text=True)
    assert world.analyst_b not in drawn.get_data(as_text=True)
    with db.tenant(ids["b"]) as session:
        assert session.get(m.Shift, their_id) is not None
    agent = api_as(world.agent_a, world.tenant_a)
    assert agent.get("/schedules/").status_code == 403
    assert agent.get("/schedules/attendance").status_code == 403


def _import(client, content: bytes, filename: str, queues, lang: str = "") -> dict:
    """Uploads a schedule file, runs a real RQ worker until its import has finished; the finished job's JSON with
    the progress page's HTML under "page"."""
    posted = form_post(client, f"/schedules/import{lang}", {"file": (io.BytesIO(content), filename), "week": ""},
                       content_type="multipart/form-data")
    assert posted.status_code == 302 and "/schedules/imports/" in posted.headers["Location"], posted.headers
    job_id = int(posted.headers["Location"].rsplit("/", 1)[1])
    run_worker(queues, until=lambda: client.get(f"/schedules/api/imports/{job_id}").get_json()["finished"],
               timeout=120)
    return {**client.get(f"/schedules/api/imports/{job_id}").get_json(),
            "page": client.get(f"/schedules/imports/{job_id}").get_data(as_text=True)}


@pytest.mark.redis
def test_an_import_names_bad_lines_and_imports_the_rest(db, api_as, world, queues) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    text = (f"用户名,座席类型,日期,开始,结束,休息分钟\n{world.supervisor_a},实习座席,2026-03-23,09:00,13:00,0\n"
            f"{world.supervisor_a},经理,2026-03-24,09:00,13:00,0\nnobody,座席,2026-03-24,09:00,13:00,0\n")
    job = _import(supervisor, text.encode("gbk"), "排班.csv", queues)
    assert (job["status"], job["imported"], job["refused"], job["percent"]) == ("done_with_errors", 1, 2, 100)
    assert [e["line"] for e in job["errors"]] == [3, 4]
    assert job["errors"][0]["reason"].startswith("未知的座席类型 经理")
    assert job["errors"][1]["reason"] == "没有用户名为 nobody 的座席"
    assert "已完成（部分行有错误）" in job["page"] and "<td>3</td>" in job["page"]
    week = supervisor.get("/schedules/?week=2026-03-23").get_data(as_text=True)
    assert "09:00–13:00 实习座席" in week
    template = supervisor.get("/schedules/template.xlsx")
    assert template.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(template.data)).active
    assert [c.value for c in sheet[1]][:3] == ["用户名", "座席类型", "日期"]
    csv_template = supervisor.get("/schedules/template.csv")  # one charset, not two (QA of issue 15, item 17)
    assert csv_template.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.redis
def test_a_month_of_a_large_site_imports_in_the_background_past_the_old_cap(db, api_as, world, queues) -> None:
    """More lines than the 2,000 the request-bound import took (a site's month is 6,200): all good lines import
    through the worker, a bad and an overlapping line are named by number, and another tenant cannot read the job."""
    ids = _ids(db, world)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    first = date(2027, 1, 1)
    lines = [f"{world.supervisor_a},座席,{first + timedelta(days=n // 20)},{n % 20:02d}:00,{n % 20:02d}:50,0"
             for n in range(2100)]
    lines.insert(700, f"{world.supervisor_a},座席,2027-01-02,05:30,05:40,0")  # inside line 2's 05:00-05:50 of day 2
    lines.insert(1500, f"{world.supervisor_a},座席,2027-01-02,25:00,26:00,0")
    content = ("用户名,座席类型,日期,开始,结束,休息分钟\n" + "\n".join(lines) + "\n").encode()
    job = _import(supervisor, content, "整月.csv", queues)
    assert (job["status"], job["total"], job["done"], job["imported"], job["refused"]) == (
        "done_with_errors", 2102, 2102, 2100, 2)
    assert [e["line"] for e in job["errors"]] == [702, 1502]
    assert job["errors"][0]["reason"].startswith("与 ") and "重叠" in job["errors"][0]["reason"]
    assert job["errors"][1]["reason"] == "时间 25:00 格式不对，应如 09:00"
    assert 'data-testid="import-progress" max="100" value="100"' in job["page"] and "2100" in job["page"]
    with db.tenant(ids["a"]) as session:
        assert session.scalar(select(func.count()).select_from(m.Shift).where(
            m.Shift.user_id == ids["supervisor"], m.Shift.starts_at >= datetime(2026, 12, 31, tzinfo=UTC))) == 2100
    from tests.designer.conftest import make_user

    theirs = api_as(make_user(db, {world.tenant_b: [m.Role.SUPERVISOR]}), world.tenant_b)
    assert theirs.get(f"/schedules/api/imports/{job['id']}").status_code == 404
    assert theirs.get(f"/schedules/imports/{job['id']}").status_code == 404


def test_shifts_drawn_from_the_plan_cover_the_forecast(db, api_as, world) -> None:
    ids = _ids(db, world)
    day = date(2026, 4, 6)  # a Monday; history on the Mondays before
    ten = datetime(2026, 4, 6, 10, tzinfo=SHANGHAI)
    for weeks in (1, 2):
        for i in range(60):
            add_call(db, ids["a"], (ten - timedelta(weeks=weeks) + timedelta(seconds=30 * i)).astimezone(UTC),
                     talk=180.0)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    page = supervisor.get(f"/schedules/draw?day={day}&interval=60&hours=8&break=60").get_data(as_text=True)
    assert "建议班次" in page and page.count('data-testid="slot"') >= 1
    count = page.count('data-testid="slot"')
    starts = [part.split('"')[0] for part in page.split('name="slot-0-start" value="')[1:]]
    form = {"slots": str(count), "break_minutes": "60", "slot-0-start": starts[0],
            "slot-0-end": page.split('name="slot-0-end" value="')[1].split('"')[0],
            "slot-0-user": str(ids["supervisor"]), "slot-0-seat": "agent"}
    created = form_post(supervisor, "/schedules/draw", form, follow_redirects=True).get_data(as_text=True)
    assert "已创建 1 个班次" in created
    with db.tenant(ids["a"]) as session:
        shift = session.scalar(select(m.Shift).where(m.Shift.note == "按话务预测生成排班"))
        assert shift.starts_at <= ten < shift.ends_at and shift.break_minutes == 60


@pytest.fixture
def attendance_day(db, world) -> dict:
    ids = _ids(db, world)
    day = date(2026, 2, 10)
    at = lambda h, mi=0: datetime(2026, 2, 10, h, mi, tzinfo=SHANGHAI)  # noqa: E731
    with db.tenant(ids["a"]) as session:
        session.add(m.Shift(tenant_id=ids["a"], user_id=ids["agent"], seat_type="agent", starts_at=at(9),
                            ends_at=at(13)))
        for n, (state, when) in enumerate((("available", at(9)), ("on_call", at(10)), ("break", at(11)),
                                           ("offline", at(12))), 1):
            session.add(m.AgentStateChange(tenant_id=ids["a"], agent="att1", user_id=ids["agent"], state=state,
                                           at=when, stream_id=f"att-{n}"))
    return {**ids, "day": day}


def test_attendance_page_and_exports_carry_labels(app, db, api_as, world, attendance_day) -> None:
    app.config["HOTLINE_REDIS_URL"] = REDIS_URL
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    html = supervisor.get(f"/schedules/attendance?day={attendance_day['day']}&interval=60&month=2026-02")
    text = html.get_data(as_text=True)
    assert html.status_code == 200 and "登录时长（小时）" in text and "遵从度%" in text
    assert "<td>3.00</td>" in text  # logged in 09:00-12:00
    assert "<td>09:00–10:00</td><td>1.0</td><td>1.0</td><td>100.0</td>" in text
    assert "<td>12:00–13:00</td><td>1.0</td><td>0.0</td><td>0.0</td>" in text
    export = supervisor.get(f"/schedules/attendance/export?what=day&format=csv&day={attendance_day['day']}")
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["座席", "排班工时（小时）", "登录时长（小时）"]
    assert rows[1][2:7] == ["3.00", "1.00", "1.00", "0.00", "1.00"]
    english = supervisor.get(f"/schedules/attendance/export?what=month&format=xlsx&day={attendance_day['day']}"
                             "&month=2026-02&lang=en")
    sheet = openpyxl.load_workbook(io.BytesIO(english.data)).active
    assert [c.value for c in sheet[1]] == ["Agent", "Scheduled (h)", "Logged in (h)", "Outside the shift (h)",
                                           "Standard month (h: the agent's vendor contract; 166.64 without one)",
                                           "Above the standard month (h)"]
    assert "<td>3.00</td><td>0.00</td><td>166.64</td><td>0.00</td></tr>" in text.split('data-testid="month-table"')[1]
    plain = supervisor.get(f"/schedules/attendance?day={attendance_day['day']}").get_data(as_text=True)
    assert 'data-testid="month-table"' not in plain and "month=2026-02" in plain.split('data-testid="show-month"')[1]
    assert supervisor.get("/schedules/attendance?day=yesterday").status_code == 400
    other = api_as(world.analyst_b, world.tenant_b)
    assert other.get("/schedules/attendance").status_code == 403


def test_the_month_table_holds_each_agent_to_their_vendor_contracts_standard(app, db, api_as, world) -> None:
    """Task 15c item 3: the month table compared hours with a fixed 166.64 h; it now uses the standard month of the
    agent's vendor contract, as the settlement's overtime roll-up does, and shows it beside the hours."""
    app.config["HOTLINE_REDIS_URL"] = REDIS_URL
    ids = _ids(db, world)
    name = make_user(db, {world.tenant_a: [m.Role.AGENT]})
    with db.tenant(ids["a"]) as session:
        agent = session.scalar(select(m.User.id).where(m.User.username == name))
        starts = datetime(2026, 2, 12, 9, tzinfo=SHANGHAI)
        session.add(m.Shift(user_id=agent, seat_type="agent", starts_at=starts, ends_at=starts + timedelta(hours=4)))
        vendor = m.Vendor(name=f"v{agent}", title="外包甲")
        session.add(vendor)
        session.flush()
        session.add(m.VendorContract(vendor_id=vendor.id, title="2026", valid_from=date(2026, 1, 1),
                                     terms={**EXAMPLE, "standard_hours": "2.5"}))
        session.add(m.VendorAgent(vendor_id=vendor.id, user_id=agent, joined_on=date(2025, 1, 1)))
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    query = "day=2026-02-12&month=2026-02"
    table = supervisor.get(f"/schedules/attendance?{query}").get_data(as_text=True).split(
        'data-testid="month-table"')[1].split("</table>")[0]
    assert "<th>标准月工时（小时，按座席所属外包合同；无合同为 166.64）</th><th>超出标准月工时（小时）</th>" in table
    # 4 h scheduled against the contract's 2.5 h: 1.5 h above it, as the roll-up stores it
    assert table.split(f"<td>{name}</td>")[1].split("</tr>")[0].endswith("<td>2.50</td><td>1.50</td>")
    english = supervisor.get(f"/schedules/attendance/export?what=month&format=csv&{query}&lang=en")
    rows = list(csv.reader(io.StringIO(english.data.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Standard month (h: the agent's vendor contract; 166.64 without one)",
                            "Above the standard month (h)"]
    assert next(r for r in rows if r[0] == name)[-2:] == ["2.50", "1.50"]
    with db.tenant(ids["a"]) as session:
        rolled = overtime.refresh(session, ids["a"], parse_month("2026-02", SHANGHAI))
    assert (rolled[agent].standard, rolled[agent].overtime) == (Decimal("2.5"), Decimal("1.5"))


def test_a_former_agents_shifts_still_show_and_stay_theirs_when_edited(db, api_as, world) -> None:
    from tests.designer.conftest import make_user

    ids = _ids(db, world)
    name = make_user(db, {world.tenant_a: [m.Role.AGENT]})
    with db.platform() as session:
        former = session.scalar(select(m.User).where(m.User.username == name))
        former.display_name = "离职座席"
        session.add(m.Shift(tenant_id=ids["a"], user_id=former.id, seat_type="agent",
                            starts_at=datetime(2026, 6, 2, 9, tzinfo=SHANGHAI),
                            ends_at=datetime(2026, 6, 2, 17, tzinfo=SHANGHAI)))
        session.execute(m.Membership.__table__.delete().where(m.Membership.user_id == former.id))
        former_id = former.id
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    page = supervisor.get("/schedules/?week=2026-06-01").get_data(as_text=True)
    assert "离职座席 <span class=\"muted\">(已不是座席)</span>" in page and "09:00–17:00 座席" in page
    with db.tenant(ids["a"]) as session:
        shift_id = session.scalar(select(m.Shift.id).where(m.Shift.user_id == former_id))
    edit = supervisor.get(f"/schedules/shifts/{shift_id}").get_data(as_text=True)
    assert f'<option value="{former_id}" selected>离职座席' in edit


def test_the_draw_page_preselects_only_agents_free_for_the_slot(db, api_as, world) -> None:
    ids = _ids(db, world)
    day = date(2026, 4, 13)  # a Monday; history on the Mondays before
    ten = datetime(2026, 4, 13, 10, tzinfo=SHANGHAI)
    for weeks in (1, 2):
        for i in range(60):
            add_call(db, ids["a"], (ten - timedelta(weeks=weeks) + timedelta(seconds=30 * i)).astimezone(UTC),
                     talk=180.0)
    with db.platform() as session:  # every member, also agents other tests of this module added
        members = set(session.scalars(select(m.Membership.user_id).where(m.Membership.tenant_id == ids["a"])))
    with db.tenant(ids["a"]) as session:  # every schedulable agent already works the forecast hour
        for user_id in members | {ids["agent"], ids["supervisor"]}:
            session.add(m.Shift(tenant_id=ids["a"], user_id=user_id, seat_type="agent",
                                starts_at=ten - timedelta(hours=1), ends_at=ten + timedelta(hours=2)))
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    page = supervisor.get(f"/schedules/draw?day={day}&interval=60&hours=8&break=60").get_data(as_text=True)
    assert page.count('data-testid="slot"') >= 1
    assert "selected>" not in page.split('name="slot-0-user"')[1].split("</select>")[0]
    with db.tenant(ids["a"]) as session:  # one freed: it is the one preselected
        session.execute(m.Shift.__table__.delete().where(m.Shift.user_id == ids["agent"]))
    page = supervisor.get(f"/schedules/draw?day={day}&interval=60&hours=8&break=60").get_data(as_text=True)
    first = page.split('name="slot-0-user"')[1].split("</select>")[0]
    assert f'value="{ids["agent"]}" selected' in first and f'value="{ids["supervisor"]}" selected' not in first


@pytest.mark.redis
def test_a_file_past_the_line_cap_is_refused_whole_in_words_and_one_within_imports(db, api_as, world, queues,
                                                                                   monkeypatch) -> None:
    from hotline.platform.schedules import imports

    supervisor = api_as(world.supervisor_a, world.tenant_a)
    assert imports.MAX_LINES == 100_000
    monkeypatch.setattr(imports, "MAX_LINES", 3)  # a small cap keeps the test fast; the rule is the same
    page = supervisor.get("/schedules/?week=2026-05-04").get_data(as_text=True)
    assert "每个文件最多 3 行" in page
    line = f"{world.supervisor_a},座席,2026-05-04,09:00,10:00\n"
    big = ("用户名,座席类型,日期,开始,结束\n" + line * 4).encode()  # one past the cap, refused before any is saved
    job = _import(supervisor, big, "排班.csv", queues)
    assert (job["status"], job["imported"]) == ("done_with_errors", 0)
    assert job["errors"] == [{"line": 1, "reason": "文件超过 3 行，未导入任何班次。请拆分为每个不超过 3 行的文件"
                                                   "（例如每周或每个班组一个文件）"}]
    with db.tenant(_ids(db, world)["a"]) as session:
        assert session.scalar(select(m.Shift).where(m.Shift.starts_at >= datetime(2026, 5, 4, tzinfo=UTC),
                                                    m.Shift.starts_at < datetime(2026, 5, 5, tzinfo=UTC))) is None
    english = _import(supervisor, big, "a.csv", queues, lang="?lang=en")
    assert english["errors"][0]["reason"].startswith("The file holds more than 3 lines; nothing was imported")
    days = "".join(f"{world.supervisor_a},座席,2026-05-0{d},09:00,10:00\n" for d in (5, 6, 7))
    within = _import(supervisor, ("用户名,座席类型,日期,开始,结束\n" + days).encode(), "a.csv", queues)
    assert (within["status"], within["imported"]) == ("done", 3)
    empty = form_post(supervisor, "/schedules/import", {"file": (io.BytesIO(b""), "a.csv")},
                      content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Line 1: The file is empty" in empty  # English: the language chosen above stays
