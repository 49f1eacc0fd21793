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


def test_an_escalation_is_worded_not_listed_by_key() -> None:
    # QA of issue 16 (fixc18, item 3): the history read "Level: 2 / 目标: department" and "动作: 2".
    rows = summary({"target": "department", "name": "质量管理部", "level": 2, "note": "", "rule": "r"},
                   str, {"r": "严重投诉升级"}, lambda words: words)
    assert ("Escalated to", None, "department “质量管理部” (level 2)") in rows
    assert not any(label in ("Target", "Level", "Name") for label, _old, _new in rows)
    zh = {k: v["zh_CN"] for k, v in STRINGS.items()}
    rows = summary({"target": "department", "name": "质量管理部", "level": 2}, str, {},
                   lambda words: zh.get(words, words))
    assert ("升级到", None, "部门「质量管理部」（第 2 级）") in [(zh.get(a, a), b, c) for a, b, c in rows]


def test_a_rules_outcome_and_actions_are_words() -> None:
    rows = summary({"rule": "r", "outcome": "fired", "actions": [{"type": "escalate"}, {"type": "notify"}]},
                   str, {}, lambda words: words)
    assert ("Outcome", None, "All actions done") in rows
    assert ("Actions", None, "Escalate, Notify") in rows
