"""Who a figure is attributed to: a call answered on an extension no user holds is its extension's row, not "—";
a ticket dispatched to a directory entry (a courier) is that entry's; only users of the report's own tenant are
named (users are shared by tenants). Live counters and the rebuild (both paths, twice) give the same rows."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Directory, DirectoryEntry, Membership, ReportInterval, Role, Ticket, User
from hotline.platform.reports import intervals
from hotline.platform.reports.labels import label
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_labels, call_report, entry_labels, ticket_report

from .seed import T10, add_calls, make_tenant
from .seed import call as seed_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def _user(db: Database, tenant_id: int, name: str) -> int:
    with db.platform() as session:
        user = User(username=f"u{uuid.uuid4().hex[:8]}", display_name=name)
        session.add(user)
        session.flush()
        session.add(Membership(tenant_id=tenant_id, user_id=user.id, role=Role.AGENT))
        return user.id


def test_a_user_of_another_tenant_is_not_named_in_the_by_agent_report(db: Database) -> None:
    ours, theirs = make_tenant(db), make_tenant(db)
    member = _user(db, ours, "本租户座席")
    stranger = _user(db, theirs, "别的租户座席")
    add_calls(db, ours, [seed_call(T10, wait=5, talk=100, agent_id=member),
                         seed_call(T10, wait=5, talk=100, agent_id=stranger)])
    with db.tenant(ours) as session:
        labels = call_labels(session, ours, "agent")
        report = call_report(session, ours, Period(MONDAY, MONDAY, "total", SHANGHAI), "agent")
    assert labels.get(member) == "本租户座席"
    assert stranger not in labels
    shown = {row["label"] for row in report.rows}
    assert "本租户座席" in shown and "别的租户座席" not in shown


def _answered_on(extension: str, wait: int = 5) -> list[dict[str, Any]]:
    return [{"type": "queue", "queue": "general", "status": "answered", "agent": extension, "wait_seconds": wait}]


def _attribution_day(db: Database) -> tuple[int, int]:
    """Four calls at 10:00: one answered by a member (extension 2001), two on extension 1001 that no user holds
    (talk 100 s and 60 s, general's wrap-up 10 s: handle 110 + 70 = 180, AHT 90), one abandoned in the queue."""
    tenant_id = make_tenant(db)
    member = _user(db, tenant_id, "王小明")
    m = timedelta(minutes=1)
    add_calls(db, tenant_id, [
        seed_call(T10, wait=5, talk=100, agent_id=member, events=_answered_on("2001")),
        seed_call(T10 + m, wait=5, talk=100, agent_id=None, events=_answered_on("1001")),
        seed_call(T10 + 2 * m, wait=30, talk=60, agent_id=None, events=_answered_on("1001", 30)),
        seed_call(T10 + 3 * m, wait=40, outcome="abandoned"),
    ])
    return tenant_id, member


def _by_agent(db: Database, tenant_id: int, locale: str = "zh_CN") -> dict[str, tuple[int, int, float | None]]:
    with db.tenant(tenant_id) as session:
        report = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "agent",
                             translate=lambda text: label(text, locale))
    return {row["label"]: (row["calls"], row["answered"], row["aht"]) for row in report.rows}


def test_a_call_answered_on_an_extension_with_no_user_is_that_extensions_in_both_languages(db: Database) -> None:
    tenant_id, _member = _attribution_day(db)
    assert _by_agent(db, tenant_id) == {"王小明": (1, 1, 110.0), "分机 1001（未绑定用户）": (2, 2, 90.0),
                                        "—": (1, 0, None)}
    assert _by_agent(db, tenant_id, "en")["Extension 1001 (no user)"] == (2, 2, 90.0)


def _rows(db: Database, tenant_id: int) -> list[tuple[Any, ...]]:
    with db.tenant(tenant_id) as session:
        return sorted(session.execute(select(
            ReportInterval.interval_start, ReportInterval.agent_id, ReportInterval.extension, ReportInterval.calls,
            ReportInterval.answered, ReportInterval.handle_sum).where(ReportInterval.tenant_id == tenant_id)).all())


@pytest.mark.parametrize("in_database", [None, False])
def test_the_rebuild_keeps_the_extension_rows_the_live_counters_wrote(db: Database, in_database: bool | None) -> None:
    tenant_id, member = _attribution_day(db)
    live = _rows(db, tenant_id)
    assert [(agent, ext, calls, answered) for _s, agent, ext, calls, answered, _h in live] == [
        (0, "", 1, 0), (0, "1001", 2, 2), (member, "", 1, 1)]
    for _ in range(2):  # idempotent
        with db.platform() as session:
            intervals.rebuild(session, tenant_id, T10 - timedelta(hours=1), T10 + timedelta(hours=1),
                              in_database=in_database)
        assert _rows(db, tenant_id) == live


def test_a_ticket_dispatched_to_a_courier_is_the_couriers_not_nobodys(db: Database) -> None:
    tenant_id = make_tenant(db)
    member = _user(db, tenant_id, "王小明")
    other = make_tenant(db)
    with db.platform() as session:
        directory = Directory(tenant_id=tenant_id, name="couriers", label="快递员", kind="courier")
        session.add(directory)
        session.flush()
        courier = DirectoryEntry(tenant_id=tenant_id, directory_id=directory.id, name="张师傅", phone="13900000000")
        session.add(courier)
        session.flush()
        courier_id = courier.id
    with db.tenant(tenant_id) as session:
        for number, values in enumerate(({"handler_entry_id": courier_id}, {"assignee_id": member},
                                         {"handler_entry_id": courier_id}, {})):
            session.add(Ticket(tenant_id=tenant_id, number=f"T{number}", form_name="repair", form_version=1,
                               status="open", data={}, created_at=T10, created_by="agent", **values))

    def by_handler() -> dict[str, int]:
        with db.tenant(tenant_id) as session:
            report = ticket_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "handler",
                                   translate=lambda text: {"(nobody)": "（未分配）"}.get(text, text))
        return {row["label"]: row["created"] for row in report.rows}

    assert by_handler() == {"张师傅": 2, "王小明": 1, "（未分配）": 1}
    for _ in range(2):
        with db.platform() as session:
            intervals.rebuild(session, tenant_id, T10 - timedelta(hours=1), T10 + timedelta(hours=1))
        assert by_handler() == {"张师傅": 2, "王小明": 1, "（未分配）": 1}
    with db.tenant(other) as session:  # another tenant never has the courier named by its id
        assert entry_labels(session, other, {courier_id}) == {}
