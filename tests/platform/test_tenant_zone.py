"""Issue 16, item 6: one time zone per tenant. Readers disagreed on which of `timezone` and `calendar.timezone`
wins (the wallboard, reports and exports took the first, tickets and the desk the second, ticket search only
the first); all ask platform/tenant_zone.py now, and settings naming two different zones are refused."""

from __future__ import annotations

from hotline.platform import tenant_settings
from hotline.platform.tenant_zone import zone_name, zone_of
from hotline.platform.wallboard.today import tenant_zone as wallboard_zone

BOTH = {"timezone": "Asia/Urumqi", "calendar": {"timezone": "Asia/Shanghai", "weekly": {}}}


def test_the_calendars_zone_then_the_tenants_then_utc() -> None:
    assert zone_name(BOTH) == "Asia/Shanghai"
    assert zone_name({"timezone": "Asia/Urumqi"}) == "Asia/Urumqi"
    assert zone_name({}) == zone_name(None) == "UTC"
    assert zone_of({"timezone": "Mars/Base"}).key == "UTC"


def test_the_wallboard_reports_and_exports_read_the_same_zone_as_tickets_and_the_desk() -> None:
    assert wallboard_zone(BOTH).key == zone_of(BOTH).key == "Asia/Shanghai"


def test_settings_naming_two_different_zones_are_refused_by_path() -> None:
    problems = tenant_settings.problem_parts(BOTH)
    assert [(path, values) for path, _, values in problems] == [("/calendar/timezone", {"zone": "Asia/Urumqi"})]
    same = {"timezone": "Asia/Shanghai", "calendar": {"timezone": "Asia/Shanghai"}}
    assert tenant_settings.problem_parts(same) == []
