"""Every answered call is credited to the agent the caller was bridged to: the extension in the call record's
trace names the tenant's member who holds it, also when the record was written without a user (the extension was
given to the user after the call, or the lookup failed) — not only the calls whose record carries agent_id. Only a
member of the report's tenant is named; an extension nobody of the tenant holds stays its extension's row."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hotline.platform.db import Database
from hotline.platform.models import AgentExtension, Membership, Role, User
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_report

from .seed import T10, add_calls, make_tenant
from .seed import call as seed_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def _agent(db: Database, tenant_id: int, name: str, extension: str) -> int:
    with db.platform() as session:
        user = User(username=f"u{uuid.uuid4().hex[:8]}", display_name=name)
        session.add(user)
        session.flush()
        session.add(Membership(tenant_id=tenant_id, user_id=user.id, role=Role.AGENT))
        session.add(AgentExtension(user_id=user.id, extension=extension))
        return user.id


def _bridged(extension: str, wait: int = 5) -> list[dict[str, Any]]:
    return [{"type": "queue", "queue": "general", "status": "answered", "agent": extension, "wait_seconds": wait}]


def _day(db: Database) -> tuple[int, int, int]:
    """Six calls at 10:00 on general (wrap-up 10 s). 王小明 holds extension 2001 and 李华 2002 (both members); 3001 is a
    user of another tenant; 1001 is nobody's.

    王小明: two calls bridged to 2001 — one recorded with his user (talk 100), one without (talk 60): answered 2,
            AHT (110 + 70) / 2 = 90
    李华:   one call bridged to 2002, recorded without a user (talk 50): answered 1, AHT 60
    分机 3001（未绑定用户）: talk 20 → AHT 30 (another tenant's user is never named here)
    分机 1001（未绑定用户）: talk 40 → AHT 50
    —:      one call abandoned in the queue (no agent)
    """
    tenant_id = make_tenant(db)
    wang = _agent(db, tenant_id, "王小明", f"2001{tenant_id}")
    li = _agent(db, tenant_id, "李华", f"2002{tenant_id}")
    _agent(db, make_tenant(db), "别的租户座席", f"3001{tenant_id}")
    m = timedelta(minutes=1)
    add_calls(db, tenant_id, [
        seed_call(T10, wait=5, talk=100, agent_id=wang, events=_bridged(f"2001{tenant_id}")),
        seed_call(T10 + m, wait=30, talk=60, agent_id=None, events=_bridged(f"2001{tenant_id}", 30)),
        seed_call(T10 + 2 * m, wait=8, talk=50, agent_id=None, events=_bridged(f"2002{tenant_id}", 8)),
        seed_call(T10 + 3 * m, wait=8, talk=20, agent_id=None, events=_bridged(f"3001{tenant_id}", 8)),
        seed_call(T10 + 4 * m, wait=8, talk=40, agent_id=None, events=_bridged("1001", 8)),
        seed_call(T10 + 5 * m, wait=40, outcome="abandoned"),
    ])
    return tenant_id, wang, li


def test_every_answered_call_is_credited_to_the_agent_it_was_bridged_to(db: Database) -> None:
    tenant_id, wang, li = _day(db)
    with db.tenant(tenant_id) as session:
        report = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "agent")
    by = {row["label"]: (row["calls"], row["answered"], row["aht"]) for row in report.rows}
    assert by == {"王小明": (2, 2, 90.0), "李华": (1, 1, 60.0), f"分机 3001{tenant_id}（未绑定用户）": (1, 1, 30.0),
                  "分机 1001（未绑定用户）": (1, 1, 50.0), "—": (1, 0, None)}
    assert {row["key"] for row in report.rows if row["label"] in ("王小明", "李华")} == {wang, li}
    assert sum(row["answered"] for row in report.rows if row["label"] != "—") == report.totals["answered"] == 5


def test_the_agent_filter_counts_the_calls_bridged_to_the_agents_extension(db: Database) -> None:
    tenant_id, wang, li = _day(db)
    with db.tenant(tenant_id) as session:
        mine = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "",
                           {"agent": str(wang)}).totals
        his = call_report(session, tenant_id, Period(MONDAY, MONDAY, "total", SHANGHAI), "",
                          {"agent": str(li)}).totals
    assert (mine["answered"], mine["aht"]) == (2, 90.0)
    assert (his["answered"], his["aht"]) == (1, 60.0)
