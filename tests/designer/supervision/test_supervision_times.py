"""The overdue list, the manual dispatch list and the rule log show times in the tenant's zone (Asia/Shanghai
for the demo tenants), never UTC (issue 11 QA, item 4); with the frozen clock, at night, in business hours and
just before midnight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.models import ManualDispatch, Ticket, utcnow
from hotline.platform.services import tickets
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import Api, World

ApiAs = Callable[..., Api]
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOWHERE = "上海市浦东新区陆家嘴环路1000号"


@pytest.fixture(scope="module")
def tenant_id(db: Database, world: World) -> int:
    with db.platform() as session:
        return get_tenant(session, world.tenant_a).id


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M")


def test_overdue_dispatch_and_rule_log_pages_show_the_tenants_time(db: Database, world: World, tenant_id: int,
                                                                   api_as: ApiAs, frozen_clock: datetime) -> None:
    with db.tenant(tenant_id) as session:
        late = tickets.create(session, "pickup_order", {
            "phone": "13801234501", "address": "北京市朝阳区望京SOHO T1", "pickup_time": "今天18:00前",
            "courier": "张建国", "courier_phone": "13911110000"}, "agent1", now=utcnow() - timedelta(days=2))
        due = late.first_response_due
        waiting = tickets.create(session, "pickup_order", {"phone": "13651234503", "address": NOWHERE,
                                                          "pickup_time": "今天18:00前"}, "agent1")
        waiting_number = waiting.number
    with db.tenant(tenant_id) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, waiting_number)})
    with db.tenant(tenant_id) as session:
        row = session.query(ManualDispatch).join(Ticket, Ticket.id == ManualDispatch.ticket_id) \
            .filter(Ticket.number == waiting_number).one()
        since = row.created_at
        fired = session.query(Ticket).filter(Ticket.number == waiting_number).one().created_at
    assert due is not None
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    overdue = supervisor.get("/supervision/overdue?within=10080").get_data(as_text=True)
    assert _local(due) in overdue and " UTC" not in overdue
    if _local(due)[:13] != _utc(due)[:13]:
        assert _utc(due) not in overdue
    dispatch = supervisor.get("/supervision/dispatch").get_data(as_text=True)
    assert _local(since) in dispatch and " UTC" not in dispatch and _utc(since) not in dispatch
    log = supervisor.get(f"/supervision/tickets/{waiting_number}/firings").get_data(as_text=True)
    assert _local(fired) in log and _utc(fired) not in log
    assert "取件下单" in log and "pickup_order" not in log
