"""Ticket SLA due times count the tenant's business hours (express_delivery: Beijing, Mon–Sat 08:00–21:00)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.calendar import is_open
from hotline.platform.db import Database
from hotline.platform.models import Tenant
from hotline.platform.services import templates, tickets

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "tenant_templates" / "express_delivery"
CALENDAR = json.loads((TEMPLATE_DIR / "template.json").read_text(encoding="utf-8"))["settings"]["calendar"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_EVENING = datetime(2026, 10, 9, 20, 30, tzinfo=SHANGHAI)  # a Friday, half an hour before closing


def _sla(form: str) -> dict:
    return json.loads((TEMPLATE_DIR / "form" / f"{form}.json").read_text(encoding="utf-8"))["sla"]


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@pytest.fixture(scope="module")
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), "sla-due", None, "test").id


def test_the_template_is_what_this_test_assumes() -> None:
    assert CALENDAR["timezone"] == "Asia/Shanghai"
    assert CALENDAR["weekly"]["fri"] == [{"start": "08:00", "end": "21:00"}]
    assert CALENDAR["weekly"]["sat"] == [{"start": "08:00", "end": "21:00"}]
    assert _sla("tracking_query")["business_hours"] is True
    assert _sla("complaint")["business_hours"] is False


def test_a_friday_evening_ticket_is_due_in_the_next_opening_hours(db: Database, tenant_id: int) -> None:
    sla = _sla("tracking_query")  # 30 minutes to respond, 240 to resolve
    with db.tenant(tenant_id) as session:
        assert session.get(Tenant, tenant_id).settings["calendar"] == CALENDAR
        ticket = tickets.create(session, "tracking_query", {"waybill": "773099990001", "phone": "13800000000",
                                                            "question_type": "eta"}, "agent1", now=FRIDAY_EVENING)
        first_response, resolution = _utc(ticket.first_response_due), _utc(ticket.resolution_due)
    # 30 open minutes are left on Friday; the other 210 count from Saturday 08:00.
    assert first_response == datetime(2026, 10, 9, 21, 0, tzinfo=SHANGHAI)
    assert resolution == datetime(2026, 10, 10, 11, 30, tzinfo=SHANGHAI)
    clock = FRIDAY_EVENING + timedelta(minutes=sla["resolution_minutes"])  # Saturday 00:30, closed
    assert resolution != clock and not is_open(CALENDAR, clock)
    assert is_open(CALENDAR, resolution - timedelta(minutes=1))


def test_a_form_counting_the_clock_keeps_clock_minutes(db: Database, tenant_id: int) -> None:
    sla = _sla("complaint")
    with db.tenant(tenant_id) as session:
        ticket = tickets.create(session, "complaint", {"phone": "13800000000", "complaint_type": "delay",
                                                       "severity": "normal", "details": "快件三天未派送"},
                                "agent1", now=FRIDAY_EVENING)
        first_response, resolution = _utc(ticket.first_response_due), _utc(ticket.resolution_due)
    assert first_response == FRIDAY_EVENING + timedelta(minutes=sla["first_response_minutes"])
    assert resolution == FRIDAY_EVENING + timedelta(minutes=sla["resolution_minutes"])


def test_a_tenant_without_a_calendar_keeps_clock_minutes(db: Database) -> None:
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("express_delivery"), "sla-nocal", None, "test")
        tenant.settings = {k: v for k, v in tenant.settings.items() if k != "calendar"}
        tenant_id = tenant.id
    sla = _sla("tracking_query")
    with db.tenant(tenant_id) as session:
        ticket = tickets.create(session, "tracking_query", {"waybill": "773099990002", "phone": "13800000000",
                                                            "question_type": "eta"}, "agent1", now=FRIDAY_EVENING)
        resolution = _utc(ticket.resolution_due)
    assert resolution == FRIDAY_EVENING + timedelta(minutes=sla["resolution_minutes"])
