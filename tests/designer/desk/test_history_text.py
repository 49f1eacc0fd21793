"""History lines of a manual dispatch say what happened to the handler's SMS: queued, not sent."""

from __future__ import annotations

from hotline.designer.desk.history_text import summary
from hotline.designer.desk.strings import STRINGS


def test_a_manual_dispatch_says_its_sms_was_queued_not_sent() -> None:
    # QA of issue 11, item 9: the history read "已发短信: 是" while the SMS was only queued.
    rows = summary({"entry": "王强", "sms": 42}, str, {}, lambda words: words)
    assert ("SMS to the handler", None, "queued for sending (see the delivery log)") in rows
    assert STRINGS["queued for sending (see the delivery log)"]["zh_CN"] == "已排队发送（结果见发送记录）"
    assert STRINGS["SMS to the handler"]["zh_CN"] == "给处理人的短信"
