"""Saved reports: bad definitions named field by field; a scheduled report is e-mailed once per period through
the tenant's provider (the delivery log), by the RQ job, with the figures of the period that just ended."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.jobs.reports import run_schedule
from hotline.platform.models import Notification, SavedReport
from hotline.platform.reports import saved
from hotline.platform.services.errors import InvalidDocument
from tests.jobs_support import run_worker

from .seed import T10, add_calls, make_tenant, seeded_calls

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_bad_definition_names_every_field(db: Database) -> None:
    tenant_id = make_tenant(db)
    with pytest.raises(InvalidDocument) as caught, db.tenant(tenant_id) as session:
        saved.save(session, tenant_id, "", {"kind": "calls", "by": "planet"}, "hourly", "boss, x@y", "sup")
    pointers = {f.pointer for f in caught.value.findings}
    assert pointers == {"/name", "/by", "/schedule", "/recipients"}


def test_windows_of_each_schedule() -> None:
    tuesday_9 = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 09:00 Tuesday in Shanghai
    assert saved.window("daily", tuesday_9, SHANGHAI)[:2] == (datetime(2026, 3, 9).date(),) * 2
    assert saved.window("weekly", tuesday_9, SHANGHAI)[:2] == (datetime(2026, 3, 2).date(),
                                                              datetime(2026, 3, 8).date())
    assert saved.window("monthly", tuesday_9, SHANGHAI)[:2] == (datetime(2026, 2, 1).date(),
                                                               datetime(2026, 2, 28).date())


def test_the_job_mails_a_due_report_once(db: Database, queues) -> None:
    tenant_id = make_tenant(db)
    add_calls(db, tenant_id, seeded_calls(T10))
    with db.tenant(tenant_id) as session:
        saved.save(session, tenant_id, "每日话务", {"kind": "calls", "group": "day"}, "daily", "boss@example.com",
                   "sup")
    before_seven = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)  # 06:30 Tuesday in Shanghai: not yet
    with time_machine.travel(before_seven, tick=False):
        assert saved.due(_report(db, tenant_id), before_seven, SHANGHAI) is None
    with time_machine.travel(datetime(2026, 3, 10, 0, 30, tzinfo=UTC), tick=True):  # 08:30 Tuesday
        for _ in range(2):  # the second run finds it sent
            queues.default.enqueue(run_schedule, queues.prefix, 300)
            run_worker(queues)
    with db.tenant(tenant_id) as session:
        mails = session.scalars(select(Notification).where(Notification.channel == "email")).all()
    assert len(mails) == 1
    mail = mails[0]
    assert mail.to == "boss@example.com" and mail.subject == "每日话务 2026-03-09 ~ 2026-03-09"
    header, _day, total = [line.split("\t") for line in mail.body.splitlines()]
    assert header[:2] == ["时段（Asia/Shanghai）", "呼入量"] and "figure." not in mail.body
    figures = dict(zip(header, total, strict=True))
    assert (figures["IVR放弃"], figures["排队放弃"], figures["服务水平%"]) == ("2", "1", "40.0")
    assert _report(db, tenant_id).last_sent_at is not None


def _report(db: Database, tenant_id: int) -> SavedReport:
    with db.tenant(tenant_id) as session:
        return session.scalars(select(SavedReport)).one()
