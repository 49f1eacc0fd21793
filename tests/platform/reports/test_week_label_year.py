"""QA 14: week labels carried no year, so a week across a new year read 第52周（12月27日–1月2日）. A week that spans two
years, or is not in the current year, names the years of its days; a week of this year stays short."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import time_machine

from hotline.platform.reports.labels import label
from hotline.platform.reports.periods import Period

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 6, 1, 4, 0, tzinfo=UTC)


def _label(first: date, last: date, locale: str) -> str:
    period = Period(first, last, "week", SHANGHAI)
    return period.label(period.buckets()[0], lambda text: label(text, locale))


def test_a_week_across_a_new_year_names_both_years() -> None:
    with time_machine.travel(NOW, tick=False):
        assert _label(date(2027, 12, 27), date(2028, 1, 2), "zh_CN") == "第52周（2027年12月27日–2028年1月2日）"
        assert _label(date(2027, 12, 27), date(2028, 1, 2), "en") == "Week 52 (2027-12-27 – 2028-01-02)"


def test_a_week_of_another_year_names_its_year_and_this_years_week_stays_short() -> None:
    with time_machine.travel(NOW, tick=False):
        assert _label(date(2026, 3, 2), date(2026, 3, 8), "zh_CN") == "第10周（2026年3月2日–2026年3月8日）"
        assert _label(date(2027, 3, 1), date(2027, 3, 7), "zh_CN") == "第9周（3月1日–3月7日）"
