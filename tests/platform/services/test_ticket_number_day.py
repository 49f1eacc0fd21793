"""Ticket numbers begin with the tenant's local date (QA of issue 11, item 6): a ticket created at 07:49 on
2026-12-07 in Shanghai was numbered 261206…, the UTC date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from hotline.platform.db import Database
from hotline.platform.services import templates, tickets

DATA = {"waybill": "773012345678", "phone": "13800000000", "question_type": "eta"}


def test_the_number_uses_the_tenants_local_date(db: Database, frozen_clock: datetime,
                                                unique: Callable[[str], str]) -> None:
    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), unique("day"), None, "test").id
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "tracking_query", DATA, "a1").number
    local_day = frozen_clock.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%y%m%d")
    assert number.startswith(local_day), (number, frozen_clock)
