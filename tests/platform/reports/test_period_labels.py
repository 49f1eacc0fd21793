"""A week or month the range cuts is labelled with the days it really holds (第49周（12月1日–12月3日）), in the reader's
language; a whole week is labelled by its ISO number and days too; a whole month keeps its bare month."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from hotline.platform.db import Database
from hotline.platform.reports.labels import label
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_report

from .seed import make_tenant

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _labels(db: Database, period: Period, locale: str) -> list[str]:
    tenant_id = make_tenant(db)
    with db.tenant(tenant_id) as session:
        report = call_report(session, tenant_id, period, translate=lambda text: label(text, locale))
    return [row["period"] for row in report.rows]


def test_a_week_the_range_cuts_is_labelled_with_its_real_days(db: Database) -> None:
    weeks = Period(date(2026, 12, 1), date(2026, 12, 17), "week", SHANGHAI)  # Tuesday to Thursday
    sunday = Period(date(2026, 11, 29), date(2026, 11, 29), "week", SHANGHAI)
    assert _labels(db, sunday, "zh_CN") == ["第48周（11月29日）"]
    assert _labels(db, weeks, "zh_CN") == ["第49周（12月1日–12月6日）", "第50周（12月7日–12月13日）",
                                           "第51周（12月14日–12月17日）"]
    assert _labels(db, weeks, "en") == ["Week 49 (2026-12-01 – 2026-12-06)", "Week 50 (2026-12-07 – 2026-12-13)",
                                        "Week 51 (2026-12-14 – 2026-12-17)"]


def test_a_month_the_range_cuts_is_labelled_with_its_real_days(db: Database) -> None:
    months = Period(date(2026, 11, 15), date(2027, 1, 3), "month", SHANGHAI)
    assert _labels(db, months, "zh_CN") == ["2026-11（11月15日–11月30日）", "2026-12", "2027-01（1月1日–1月3日）"]
    assert _labels(db, months, "en") == ["2026-11 (2026-11-15 – 2026-11-30)", "2026-12",
                                         "2027-01 (2027-01-01 – 2027-01-03)"]
