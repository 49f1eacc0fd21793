"""The designer's test call in headless Chromium (issue 16, item 5), in Chinese and English: the simulated time is
typed and shown in the tenant's zone with the zone named, a time that cannot be read is refused in the reader's
language (nothing starts, the text stays), the 不按键 (time-out) button, labels in the path, the outcome in words
and an over-long entry refused with a message rather than cut. No console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

TEXT = {
    "zh": {"bad": "模拟来电时间应为日期和时间，例如 2026-11-23 10:00", "no_input": "不按键", "waiting": "等待按键",
           "too_long": "最多收 15 位，您输入了 16 位", "ended": "来电者挂机"},
    "en": {"bad": "must be a date and time such as 2026-11-23 10:00", "no_input": "No input",
           "waiting": "Waiting for a key", "too_long": "takes at most 15 digits; you entered 16",
           "ended": "Caller hung up"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_test_call_time_is_in_the_tenants_zone_and_everything_reads_in_words(
        page, open_ivr, console_errors, lang: str) -> None:
    text = TEXT[lang]
    open_ivr(lang=lang)  # the express template's main IVR; the tenant's zone is Asia/Shanghai
    page.get_by_test_id("test-call").click()
    expect(page.get_by_test_id("call-at-label")).to_contain_text("Asia/Shanghai")
    expect(page.get_by_test_id("call-at-label")).to_contain_text("UTC+08:00")

    # A time that cannot be read: refused in words, the call does not start, what was typed stays.
    page.get_by_test_id("call-at").fill("明天十点")
    page.get_by_test_id("call-start").click()
    expect(page.get_by_test_id("call-error")).to_contain_text(text["bad"])
    expect(page.get_by_test_id("call-error")).to_contain_text("Asia/Shanghai")
    expect(page.get_by_test_id("call-at")).to_have_value("明天十点")
    expect(page.get_by_test_id("call-hangup")).to_be_disabled()

    # Ten in the morning in the tenant's zone: business hours are open; the path names its time and zone.
    page.get_by_test_id("call-at").fill("2026-11-23 10:00")
    page.get_by_test_id("call-start").click()
    status = page.get_by_test_id("call-status")
    expect(status).to_contain_text(text["waiting"])
    expect(page.get_by_test_id("call-clock")).to_contain_text("2026-11-23 10:00 Asia/Shanghai (UTC+08:00)")
    path = page.get_by_test_id("call-path")
    expect(path).to_contain_text("人工服务时间判断")  # the hours node by its label
    expect(path.locator('li[data-node="welcome"]')).to_have_count(1)

    # The caller presses nothing: the menu asks again.
    prompts = page.get_by_test_id("call-prompts").locator("li")
    heard = prompts.count()
    expect(page.get_by_test_id("call-no-input")).to_contain_text(text["no_input"])
    page.get_by_test_id("call-no-input").click()
    expect(prompts).not_to_have_count(heard, timeout=20000)

    # One digit too many for the waybill: refused in words, not cut.
    page.get_by_test_id("key-1").click()
    expect(page.get_by_test_id("call-prompts")).to_contain_text("请输入12到15位运单号码", timeout=20000)
    page.get_by_test_id("call-digits").fill("7730012345601234")
    page.get_by_test_id("call-send").click()
    expect(page.get_by_test_id("call-error")).to_contain_text(text["too_long"])

    page.get_by_test_id("call-hangup").click()
    expect(status).to_contain_text(text["ended"])
    assert console_errors == []
