"""Shift rules (end after start, bounded length and break, known seat type, an agent of the tenant, no overlap),
the import with per-line errors in UTF-8, GBK and Excel, and shifts drawn from an interval plan."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from hotline.platform import models as m
from hotline.platform.db import Database
from hotline.platform.schedules import imports, service
from hotline.platform.schedules.draw import propose

from .. import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def tenant(db: Database) -> dict:
    with db.platform() as session:
        a, b = factories.tenant(session, "a"), factories.tenant(session, "b")
        ann, bob, outsider = factories.user(session), factories.user(session), factories.user(session)
        session.add_all([m.Membership(tenant_id=a.id, user_id=ann.id, role=m.Role.AGENT),
                         m.Membership(tenant_id=a.id, user_id=bob.id, role=m.Role.SUPERVISOR),
                         m.Membership(tenant_id=b.id, user_id=outsider.id, role=m.Role.AGENT)])
        return {"a": a.id, "b": b.id, "ann": ann.id, "ann_name": ann.username, "bob": bob.id,
                "bob_name": bob.username, "outsider": outsider.id, "outsider_name": outsider.username}


def shift(tenant: dict, day: int, start: int, end: int, **changes) -> service.ShiftInput:
    values = {"user_id": tenant["ann"], "seat_type": "agent", "starts_at": local(day, start),
              "ends_at": local(day, end) if end > start else local(day + 1, end), "break_minutes": 60}
    return service.ShiftInput(**{**values, **changes})


@pytest.mark.parametrize(("changes", "refusal"), [
    ({"ends_at": local(2, 9)}, "end after it starts"),
    ({"ends_at": local(3, 2)}, "at most 16 hours"),
    ({"break_minutes": 600}, "break must be"),
    ({"break_minutes": -5}, "break must be"),
    ({"seat_type": "boss"}, "Unknown seat type"),
    ({"note": "x" * 201}, "at most 200 characters"),
])
def test_bad_shifts_are_refused_with_the_reason(db: Database, tenant: dict, changes: dict, refusal: str) -> None:
    with db.tenant(tenant["a"]) as session, pytest.raises(service.ShiftRefused, match=refusal):
        service.create(session, tenant["a"], shift(tenant, 2, 9, 18, **changes), SHANGHAI, "test")


def test_overlapping_shifts_of_one_agent_are_refused(db: Database, tenant: dict) -> None:
    with db.tenant(tenant["a"]) as session:
        night = service.create(session, tenant["a"], shift(tenant, 5, 22, 6), SHANGHAI, "test")
        # another agent at the same time, and ann right after, are fine
        service.create(session, tenant["a"], shift(tenant, 5, 22, 6, user_id=tenant["bob"]), SHANGHAI, "test")
        service.create(session, tenant["a"], shift(tenant, 6, 6, 14), SHANGHAI, "test")
    clash = "2026-03-05 22:00–2026-03-06 06:00"
    with db.tenant(tenant["a"]) as session, pytest.raises(service.ShiftRefused, match=clash):
        service.create(session, tenant["a"], shift(tenant, 6, 5, 7), SHANGHAI, "test")
    with db.tenant(tenant["a"]) as session:  # moving a shift onto itself is no overlap
        service.update(session, tenant["a"], night.id, shift(tenant, 5, 21, 5), SHANGHAI, "test")
    with db.tenant(tenant["a"]) as session, pytest.raises(service.ShiftRefused, match="Overlaps"):
        service.update(session, tenant["a"], night.id, shift(tenant, 5, 23, 7), SHANGHAI, "test")


def test_only_agents_of_the_tenant_can_be_scheduled_and_shifts_of_another_tenant_are_not_found(
        db: Database, tenant: dict) -> None:
    with db.tenant(tenant["a"]) as session, pytest.raises(service.ShiftRefused, match="not an agent"):
        service.create(session, tenant["a"], shift(tenant, 8, 9, 18, user_id=tenant["outsider"]), SHANGHAI, "t")
    with db.tenant(tenant["b"]) as session:
        theirs = service.create(session, tenant["b"], shift(tenant, 8, 9, 18, user_id=tenant["outsider"]),
                                SHANGHAI, "t")
    with db.tenant(tenant["a"]) as session:
        with pytest.raises(service.NotFound):
            service.update(session, tenant["a"], theirs.id, shift(tenant, 9, 9, 18), SHANGHAI, "t")
        with pytest.raises(service.NotFound):
            service.delete(session, tenant["a"], theirs.id)


def _csv(tenant: dict, *lines: str) -> str:
    return "\n".join(["用户名,座席类型,日期,开始,结束,休息分钟,备注", *lines]) + "\n"


def test_an_import_reports_each_bad_line_by_number_and_imports_the_good_ones(db: Database, tenant: dict) -> None:
    ann, bob = tenant["ann_name"], tenant["bob_name"]
    text = _csv(tenant,
                f"{ann},座席,2026-03-16,09:00,18:00,60,早班",          # 2 good
                f"{ann},boss,2026-03-16,19:00,20:00,0,",               # 3 seat type
                "nobody,座席,2026-03-16,09:00,18:00,0,",              # 4 unknown user
                f"{tenant['outsider_name']},座席,2026-03-16,09:00,18:00,0,",  # 5 another tenant's agent: as unknown
                f"{ann},座席,16/03/2026,09:00,18:00,0,",               # 6 date
                f"{ann},座席,2026-03-17,9h,18:00,0,",                  # 7 time
                f"{ann},座席,2026-03-16,17:00,20:00,0,",               # 8 overlaps line 2
                f"{bob},team_lead,2026/3/16,22:00,06:00,30,夜班",      # 9 good, overnight, code accepted
                f"{bob},班组长,2026-03-17,05:00,07:00,x,",              # 10 break
                f"{ann},实习座席,2026-03-17,09:00,09:00,0,")            # 11 end not after start (24 h: too long)
    with db.tenant(tenant["a"]) as session:
        result = imports.import_shifts(session, tenant["a"], "csv", text.encode("gbk"), SHANGHAI, "test")
    assert result.created == 2
    assert [(p.line, p.key.split(" ")[0]) for p in result.problems] == [
        (3, "Unknown"), (4, "No"), (5, "No"), (6, "Date"), (7, "Time"), (8, "Overlaps"), (10, "Break"),
        (11, "A")]
    with db.tenant(tenant["a"]) as session:
        night = session.scalar(select(m.Shift).where(m.Shift.user_id == tenant["bob"], m.Shift.note == "夜班"))
        assert (night.starts_at, night.ends_at, night.break_minutes, night.seat_type) == (
            local(16, 22), local(17, 6), 30, "team_lead")


def test_utf8_and_excel_imports_and_the_template(db: Database, tenant: dict, tmp_path) -> None:
    ann = tenant["ann_name"]
    with db.tenant(tenant["a"]) as session:
        result = imports.import_shifts(session, tenant["a"], "csv",
                                       ("\ufeff" + _csv(tenant, f"{ann},Trainee,2026-03-20,09:00,13:00,,")).encode(),
                                       SHANGHAI, "test")
    assert (result.created, result.problems) == (1, [])
    book = openpyxl.load_workbook(__import__("io").BytesIO(imports.template("xlsx")))
    sheet = book.active
    assert [c.value for c in sheet[1]] == imports.TEMPLATE_HEADER
    sheet.delete_rows(2)
    sheet.append([ann, "座席", datetime(2026, 3, 21), "09:00", "18:00", 60, ""])
    sheet.append([ann, "座席", datetime(2026, 3, 21), "10:00", "11:00", 0, ""])
    path = tmp_path / "shifts.xlsx"
    book.save(path)
    with db.tenant(tenant["a"]) as session:
        result = imports.import_shifts(session, tenant["a"], "xlsx", path.read_bytes(), SHANGHAI, "test")
    assert result.created == 1 and [(p.line, p.key[:8]) for p in result.problems] == [(3, "Overlaps")]
    assert imports.template("csv").decode("utf-8-sig").splitlines()[0] == ",".join(imports.TEMPLATE_HEADER)


def test_a_file_without_the_needed_columns_names_them(db: Database, tenant: dict) -> None:
    with db.tenant(tenant["a"]) as session:
        result = imports.import_shifts(session, tenant["a"], "csv", "用户名,日期\nx,2026-03-01\n".encode(),
                                       SHANGHAI, "test")
    assert result.created == 0 and result.problems[0].line == 1
    assert result.problems[0].params == {"columns": "座席类型, 开始, 结束"}


def test_drawn_shifts_cover_every_interval_with_the_fewest_shifts() -> None:
    midnight = datetime(2026, 3, 16, tzinfo=SHANGHAI)
    needed = [0] * 48
    for index in range(16, 36):  # 08:00-18:00 in half hours: 2 agents, 4 from 10:00 to 12:00
        needed[index] = 4 if 20 <= index < 24 else 2
    needed[46] = 1  # one at 23:00
    shifts = propose(needed, midnight, 30, 8 * 60)
    covered = [sum(1 for s in shifts if s.starts_at <= midnight + timedelta(minutes=30 * i) < s.ends_at)
               for i in range(48)]
    assert all(c >= n for c, n in zip(covered, needed, strict=True))
    assert [(s.starts_at.strftime("%H:%M"), s.ends_at.strftime("%H:%M")) for s in shifts] == [
        ("08:00", "16:00"), ("08:00", "16:00"), ("10:00", "18:00"), ("10:00", "18:00"), ("16:00", "00:00")]
    with pytest.raises(ValueError):
        propose(needed, midnight, 30, 15)


@pytest.mark.postgres
def test_two_planners_saving_overlapping_shifts_at_once_cannot_both_succeed(postgres_database: Database) -> None:
    import threading

    db = postgres_database
    with db.platform() as session:
        a = factories.tenant(session, "c")
        agent = factories.user(session)
        session.add(m.Membership(tenant_id=a.id, user_id=agent.id, role=m.Role.AGENT))
        ids = {"a": a.id, "ann": agent.id}
    first_saved, outcome = threading.Event(), {}

    def second() -> None:
        first_saved.wait(5)
        try:
            with db.tenant(ids["a"]) as session:
                service.create(session, ids["a"], shift(ids, 20, 10, 12), SHANGHAI, "second")
            outcome["second"] = "saved"
        except service.ShiftRefused as exc:
            outcome["second"] = str(exc)

    thread = threading.Thread(target=second)
    thread.start()
    with db.tenant(ids["a"]) as session:
        service.create(session, ids["a"], shift(ids, 20, 9, 18), SHANGHAI, "first")
        first_saved.set()
        thread.join(0.5)  # the second planner waits on the agent's lock while this transaction is open
        assert thread.is_alive()
    thread.join(5)
    assert outcome["second"].startswith("Overlaps")
    with db.tenant(ids["a"]) as session:
        assert len(session.scalars(select(m.Shift).where(m.Shift.user_id == ids["ann"])).all()) == 1
