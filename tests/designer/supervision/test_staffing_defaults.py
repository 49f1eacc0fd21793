"""The staffing calculator starts from the tenant's own history, never a made-up volume: with no calls typed, the
busiest interval of today's weekday, averaged over the same weekdays of recent weeks (its calls and handle time);
a tenant with no history gets an empty field and a hint to type a forecast."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from hotline.platform.db import Database
from hotline.platform.models import Role
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import make_user
from tests.platform.wallboard_helpers import add_call

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 4, 13, 9, 0, tzinfo=SHANGHAI)  # a Monday morning; history: the Mondays before it


def test_with_no_calls_typed_it_starts_from_the_busiest_interval_of_the_same_weekday(db: Database, api_as,
                                                                                     world) -> None:
    """Monday 6 April: 12 calls at 10:00-10:30 (talk 200 s) and 4 at 14:00; Monday 30 March: 8 at 10:00 (talk
    100 s). The busiest 30-minute interval is 10:00: (12 + 8) / 2 = 10 calls, handle (12×200 + 8×100) / 20 = 160 s."""
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    for start, count, talk in ((datetime(2026, 4, 6, 10, 0, tzinfo=SHANGHAI), 12, 200.0),
                               (datetime(2026, 4, 6, 14, 0, tzinfo=SHANGHAI), 4, 60.0),
                               (datetime(2026, 3, 30, 10, 0, tzinfo=SHANGHAI), 8, 100.0)):
        for i in range(count):
            add_call(db, tenant_id, (start + timedelta(seconds=60 * i)).astimezone(UTC), talk=talk)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    with time_machine.travel(NOW, tick=False):
        body = supervisor.get("/supervision/api/staffing").get_json()
        page = html.unescape(supervisor.get("/supervision/staffing?lang=zh_CN").get_data(as_text=True))
        english = html.unescape(supervisor.get("/supervision/staffing?lang=en").get_data(as_text=True))
        typed = supervisor.get("/supervision/api/staffing?calls=100").get_json()
    assert body["defaults"] == {"calls": 10.0, "handle": 160.0, "interval_start": "10:00",
                                "history_days": ["2026-04-06", "2026-03-30"]}
    assert round(body["interval"]["offered_erlangs"], 6) == round(10 * 160 / 1800, 6)
    assert 'name="calls" size="7"\n value="10"' in page and 'value="100"' not in page
    assert "按本租户历史" in page and "10:00" in page
    assert "From this tenant's history" in english
    assert typed["defaults"] is None and typed["interval"]["offered_erlangs"] == 10.0  # what is typed is kept


def test_with_no_history_the_volume_is_empty_with_a_hint(db: Database, api_as, world) -> None:
    supervisor = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)  # tenant B: no calls
    with time_machine.travel(NOW, tick=False):
        body = supervisor.get("/supervision/api/staffing").get_json()
        page = html.unescape(supervisor.get("/supervision/staffing?lang=zh_CN").get_data(as_text=True))
    assert body["interval"] is None and body["defaults"] is None and body["hint"]
    assert 'name="calls" size="7"\n value=""' in page and 'data-testid="single"' not in page
    assert "还没有历史话务" in page
