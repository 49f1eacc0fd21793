"""An hours node's calendar in headless Chromium (issue 16, task 16c item 3): the tenant's or its own with antd's
radio buttons, opening hours picked with antd's time picker (the end of the day, 24:00, with its button) and
holidays with its date picker, in Chinese and English; the document keeps the schema's strings ("20:30")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import draft_of, node, wait_saved
from .test_ivr_canvas_browser import HOURS_IVR

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

MONDAY_END = "root_calendar_weekly_mon_0_end"
FIRST_HOLIDAY = "root_calendar_holidays_0"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opening_hours_and_holidays_are_picked_not_typed(
        page, open_ivr, world: World, api_as, console_errors, lang: str) -> None:
    name = f"pickers_{lang}"
    api = api_as(world.analyst_a)
    open_ivr(name, HOURS_IVR, lang)
    node(page, "when").locator(".ivr-node-label").click()
    expect(page.locator(".calendar-field .ant-radio-wrapper")).to_have_count(2)  # the choice is antd's too
    page.get_by_test_id("calendar-own").check()

    end = page.locator(f"#{MONDAY_END}")
    expect(end).to_have_value("21:00")
    expect(page.locator(f".ant-picker:has(#{MONDAY_END})")).to_be_visible()
    end.click()
    end.fill("20:30")
    end.press("Enter")
    wait_saved(page)
    assert draft_of(api, name)["nodes"]["when"]["calendar"]["weekly"]["mon"] == [{"start": "08:00", "end": "20:30"}]

    end.click()
    page.get_by_test_id(f"end-of-day-{MONDAY_END}").click()
    wait_saved(page)
    assert draft_of(api, name)["nodes"]["when"]["calendar"]["weekly"]["mon"][0]["end"] == "24:00"

    holiday = page.locator(f"#{FIRST_HOLIDAY}")
    expect(page.locator(f".ant-picker:has(#{FIRST_HOLIDAY})")).to_be_visible()
    holiday.click()
    holiday.fill("2026-10-08")
    holiday.press("Enter")
    wait_saved(page)
    assert draft_of(api, name)["nodes"]["when"]["calendar"]["holidays"][0] == "2026-10-08"
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_own_calendar_reads_its_days_in_week_order_and_in_words(
        page, open_ivr, console_errors, lang: str) -> None:
    """QA 16: the own calendar listed "fri, fri, fri 1 … mon" (the stored key order, codes as titles), holidays as
    「节假日（休息）-1*」 and the make-up days explained with the property name workday_hours."""
    name = f"own_days_{lang}"
    open_ivr(name, HOURS_IVR, lang)
    node(page, "when").locator(".ivr-node-label").click()
    page.get_by_test_id("calendar-own").check()
    page.locator(f"#{MONDAY_END}").wait_for()
    text = page.locator(".calendar-field").inner_text()
    days = (["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"] if lang == "zh"
            else ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
    places = [text.find(day) for day in days]
    assert -1 not in places and places == sorted(places), (places, text[:400])
    for code in ("fri", "mon", "workday_hours", "-1", "weekly"):
        assert code not in text, (code, text[:600])
    assert console_errors == []
