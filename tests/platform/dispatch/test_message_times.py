"""Message texts show the ticket's times in the tenant's zone, and an empty value as nothing (issue 11 QA, item 7):
the telecom template's SLA warning said "将于2026-03-11T06:30:00+00:00超时", and a None rendered as "None"."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.models import Notification
from hotline.platform.services import templates, tickets
from hotline.platform.templating import render


def test_none_renders_as_empty_text() -> None:
    assert render("处理人{{ticket.assignee}}。", {"ticket": {"assignee": None}}) == "处理人。"
    assert render("{{a}}|{{b}}", {"a": 0, "b": False}) == "0|否"  # only None is empty; yes/no is worded (fixc18)


def test_the_telecom_sla_warning_shows_the_due_time_in_the_tenants_zone(db: Database, unique,
                                                                       frozen_clock: datetime) -> None:
    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("telecom_hotline"), unique("tz"), None, "test").id
    with db.tenant(tenant_id) as session:
        ticket = tickets.create(session, "billing_question", {"phone": "13900000003", "question_type": "roaming"},
                                "agent1")
        due = ticket.resolution_due
        assert due is not None
        run_rules(session, "ticket.sla_warning", {"ticket": ticket, "event": {"clock": "resolution",
                                                                               "due_at": due.isoformat()}},
                  actor="sla")
        bodies = [n.body for n in session.scalars(select(Notification).where(Notification.channel == "email"))]
    [body] = [b for b in bodies if "超时" in b]
    shanghai = (due + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert f"将于{shanghai} (UTC+08:00)超时" in body, body  # the zone named: a message leaves the page (issue 16)
    assert "+00:00" not in body and "None" not in body
