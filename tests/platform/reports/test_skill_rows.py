"""By skill (QA 14 #3): a call counts in the row of every skill of its queue — the documented rule (docs/reports.md),
said under the table —, the total counts it once, and the calls no skill row holds have their own rows: 未排队 /
Not queued (never queued: IVR only) and 无技能 / No skill (a queue naming no skill), so a reader can reconcile."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import update

from hotline.platform.db import Database
from hotline.platform.models import Queue
from hotline.platform.reports import export
from hotline.platform.reports.labels import label
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_report

from .seed import T10, add_calls, call, make_tenant, seeded_calls

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def test_skill_rows_hold_every_call_with_not_queued_and_no_skill_rows(db: Database) -> None:
    tenant_id = make_tenant(db)
    with db.tenant(tenant_id) as session:
        session.execute(update(Queue).where(Queue.name == "general").values(skills=["general", "vip"]))
        session.add(Queue(tenant_id=tenant_id, name="plain", label="PLAIN", skills=[]))
    add_calls(db, tenant_id, [*seeded_calls(T10), call(T10, queue="plain", wait=4, talk=30)])
    with db.tenant(tenant_id) as session:
        skills = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "skill")
    by = {r["label"]: r for r in skills.rows}
    assert set(by) == {"general", "vip", "未排队", "无技能"}
    assert (by["general"]["offered"], by["vip"]["offered"], by["无技能"]["offered"]) == (5, 6, 1)
    assert (by["未排队"]["calls"], by["未排队"]["offered"], by["未排队"]["abandoned_ivr"]) == (5, 0, 2)
    assert (skills.totals["calls"], skills.totals["offered"]) == (12, 7)  # each call once
    assert skills.note == label("report.skill_note")
    rows = export.table(skills, ["calls", "offered"], label)
    assert rows[-1] == [label("report.skill_note")]  # the note travels with the sheet
    assert "未排队" in label("report.skill_note") and "Not queued" in label("report.skill_note", "en")
