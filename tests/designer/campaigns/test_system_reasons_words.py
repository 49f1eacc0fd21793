"""The outbound reasons the system stored as English prose before (a refused answers ticket, a task not dialled,
how a task's entry ended) are codes worded per reader, and old rows' sentences still read (issue 13, 13c #1, #3)."""

from __future__ import annotations

import pytest

from hotline.designer.campaigns import messages, strings
from hotline.platform.outbound import reasons

REFUSED = reasons.coded("reason.ticket_refused", form="complaint",
                        findings=["/details: a value is required", "/phone: too short"])
NOT_DIALLED = reasons.coded("reason.not_dialled", why={"code": "number.not_chinese", "raw": "12345"})


@pytest.fixture(autouse=True, scope="module")
def _campaign_strings() -> None:
    strings.register()  # what the designer's app does when it builds the campaigns blueprint


def test_a_refused_answers_ticket_reads_in_the_readers_language() -> None:
    assert messages.say(REFUSED, "zh_CN") == \
        "未能建立工单（complaint）：/details: a value is required；/phone: too short"
    assert messages.say(REFUSED, "en") == \
        "ticket not created (complaint): /details: a value is required; /phone: too short"
    assert messages.ticket_refusal(REFUSED, "zh_CN") == "/details: a value is required；/phone: too short"
    assert messages.ticket_refusal(NOT_DIALLED, "zh_CN") is None


def test_a_task_not_dialled_reads_in_the_readers_language() -> None:
    assert messages.say(NOT_DIALLED, "zh_CN") == "未拨打：“12345”不是中国大陆的手机、固话或 400/800 号码"
    assert messages.say(NOT_DIALLED, "en") == \
        "not dialled: '12345' is not a Chinese mobile, landline or 400/800 number"
    assert reasons.plain(NOT_DIALLED) == "not dialled: '12345' is not a Chinese mobile, landline or 400/800 number"
    ended = reasons.coded("reason.entry_ended", state="failed")
    assert (messages.say(ended, "zh_CN"), messages.say(ended, "en")) == ("未能接通", "Not reached")


def test_old_rows_sentences_still_read() -> None:
    assert messages.say("not dialled: the phone number is empty", "zh_CN") == "未拨打：电话号码为空"
    old = "ticket not created (complaint): /details: a value is required"
    assert messages.say(old, "zh_CN") == "未能建立工单（complaint）：/details: a value is required"
    assert messages.ticket_refusal(old, "en") == "/details: a value is required"
    assert messages.say("ticket not created: /create_ticket/fields: bad", "zh_CN") == \
        "未能建立工单：/create_ticket/fields: bad"


def test_what_an_agent_typed_stays_as_typed() -> None:
    # (an old row's exact system sentence, such as "busy", still reads as the system's: the two cannot be told apart)
    for typed in ("reason.wrong_number", "Busy line, try later", "已回电，业主满意", '{"code": 1}', ""):
        assert messages.result_words(typed, "zh_CN") == typed
    assert messages.result_words(NOT_DIALLED, "zh_CN").startswith("未拨打：")
