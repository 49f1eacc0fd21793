"""SLA clocks: warning and breach alarms on business hours, fired once, re-armed when a due time moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import RuleFiring, SlaEvent, Tenant, utcnow
from hotline.platform.services import sla, templates, tickets

Unique = Callable[[str], str]
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Mon-Fri 09:00-18:00 Beijing time: a property office closed at weekends.
OFFICE = {"timezone": "Asia/Shanghai", "weekly": {d: [{"start": "09:00", "end": "18:00"}]
                                                   for d in ("mon", "tue", "wed", "thu", "fri")},
          "holidays": [], "workdays": []}
FRIDAY_EVENING = datetime(2026, 10, 9, 17, 30, tzinfo=SHANGHAI)  # a Friday, half an hour before closing


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("property_management"), unique("sla"), None, "test")
        tenant.settings = {**tenant.settings, "calendar": OFFICE}
        return tenant.id


def _consultation(db: Database, tenant_id: int, now: datetime) -> str:
    """consultation: first response 60, resolution 480 business minutes, warning at 80%."""
    with db.tenant(tenant_id) as session:
        return tickets.create(session, "consultation", {"owner_name": "王先生", "phone": "13900000001",
                                                        "topic": "fees", "question": "物业费怎么交"}, "agent1",
                              now=now).number


def _alarms(db: Database, tenant_id: int, number: str) -> dict[tuple[str, str], datetime]:
    with db.tenant(tenant_id) as session:
        return {(a.clock, a.kind): a.at.astimezone(SHANGHAI) for a in
                sla.alarms(session, tickets.get(session, number))}


def _fire(db: Database, tenant_id: int, number: str, clock: str, kind: str, now: datetime,
          due: datetime | None = None) -> list | None:
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        return sla.fire(session, ticket.id, clock, kind, due or sla.due_of(ticket, clock), now=now)


def test_a_ticket_created_friday_evening_warns_and_breaches_on_monday(db: Database, tenant_id: int) -> None:
    number = _consultation(db, tenant_id, FRIDAY_EVENING)
    alarms = _alarms(db, tenant_id, number)
    monday = datetime(2026, 10, 12, tzinfo=SHANGHAI)
    # 60 minutes: 30 on Friday, 30 on Monday; the warning after 48 minutes: 30 + 18
    assert alarms[("first_response", "breach")] == monday.replace(hour=9, minute=30)
    assert alarms[("first_response", "warning")] == monday.replace(hour=9, minute=18)
    # 480 minutes: 30 on Friday, 450 on Monday (09:00 + 7h30); warning at 384: 30 + 354 (14:54)
    assert alarms[("resolution", "breach")] == monday.replace(hour=16, minute=30)
    assert alarms[("resolution", "warning")] == monday.replace(hour=14, minute=54)
    saturday = datetime(2026, 10, 10, 12, 0, tzinfo=SHANGHAI)
    assert _fire(db, tenant_id, number, "first_response", "breach", saturday) is None  # not yet: the weekend
    with db.tenant(tenant_id) as session:
        assert sla.pending_alarms(session, saturday) == []
    fired = _fire(db, tenant_id, number, "first_response", "breach", monday.replace(hour=9, minute=31))
    assert fired is not None and [f.rule for f in fired] == ["other_sla_breach"]


def test_an_alarm_fires_once_and_a_stopped_clock_not_at_all(db: Database, tenant_id: int,
                                                           frozen_clock: datetime) -> None:
    number = _consultation(db, tenant_id, utcnow() - timedelta(days=3))
    now = utcnow()
    assert _fire(db, tenant_id, number, "first_response", "breach", now) is not None
    assert _fire(db, tenant_id, number, "first_response", "breach", now) is None
    with db.tenant(tenant_id) as session:
        tickets.transition(session, number, "processing", base_revision=tickets.get(session, number).revision,
                           actor="agent1")
    assert _fire(db, tenant_id, number, "first_response", "warning", now) is None  # responded: the clock stopped
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        events = session.scalars(select(SlaEvent).where(SlaEvent.ticket_id == ticket.id)).all()
        assert [(e.clock, e.kind) for e in events] == [("first_response", "breach")]
        assert [e.action for e in tickets.history(session, number)].count("sla_breach") == 1
        assert session.scalars(select(RuleFiring.rule).where(RuleFiring.ticket_number == number,
                                                             RuleFiring.event == "ticket.sla_breached")).all() \
            == ["other_sla_breach"]


def test_a_moved_due_time_rearms_the_clock_and_the_old_alarm_is_stale(db: Database, tenant_id: int,
                                                                       frozen_clock: datetime) -> None:
    number = _consultation(db, tenant_id, utcnow() - timedelta(days=3))
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        old_due = ticket.resolution_due
    now = utcnow()
    assert _fire(db, tenant_id, number, "resolution", "breach", now) is not None
    new_due = now + timedelta(hours=1)
    with db.tenant(tenant_id) as session:
        ticket = tickets.set_due_times(session, number, resolution_due=new_due, base_revision=ticket.revision,
                                       actor="supervisor", note="业主同意延期")
        assert tickets.history(session, number)[-1].action == "sla_changed"
    assert _fire(db, tenant_id, number, "resolution", "breach", now + timedelta(hours=2), due=old_due) is None
    assert _fire(db, tenant_id, number, "resolution", "breach", now + timedelta(minutes=30)) is None  # not yet
    assert _fire(db, tenant_id, number, "resolution", "breach", now + timedelta(hours=2)) is not None


def test_overdue_lists_late_and_near_due_tickets_most_urgent_first(db: Database, tenant_id: int,
                                                                   frozen_clock: datetime) -> None:
    late = _consultation(db, tenant_id, utcnow() - timedelta(days=3))
    _consultation(db, tenant_id, utcnow())  # business hours: far from due unless it is late at night
    with db.tenant(tenant_id) as session:
        rows = sla.overdue(session, within_minutes=0)
    assert [r["ticket"].number for r in rows if r["overdue"]][:1] == [late]
    assert rows[0]["clock"] == "first_response" and rows[0]["minutes_left"] < 0


def test_business_hours_off_counts_the_clock(db: Database, tenant_id: int) -> None:
    with db.platform() as session:
        tenant = session.get(Tenant, tenant_id)
        assert tenant.settings["calendar"] == OFFICE
    with db.tenant(tenant_id) as session:  # complaint: business_hours false, first response 30 min, warning 75%
        number = tickets.create(session, "complaint", {"owner_name": "李女士", "phone": "13900000002",
                                                       "complaint_type": "security", "severity": "normal",
                                                       "details": "保安态度差"}, "agent1", now=FRIDAY_EVENING).number
    alarms = _alarms(db, tenant_id, number)
    assert alarms[("first_response", "breach")] == FRIDAY_EVENING + timedelta(minutes=30)
    assert alarms[("first_response", "warning")] == FRIDAY_EVENING + timedelta(minutes=22)
