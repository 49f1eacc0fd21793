"""A comparison added with 添加条件组 and no field chosen yet (fix-focus item 2): its finding read
"条件的格式不对：变量名只能用字母、数字和下划线…" at "全部满足 2 › 任一满足 1 › 字段" (en "all-of list 2 › any-of
list 1"). It now says 请选择字段 / Choose a field, and names the place as the builder shows it: 条件组 2 › 条件 1, in
an IVR's condition node and in a dispatch rule alike."""

from __future__ import annotations

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.lint import check
from hotline.platform.kinds.wording import in_words

EMPTY = {"field": "", "op": "eq", "value": ""}
WHEN = {"all": [{"field": "call.caller", "op": "eq", "value": "1"}, {"any": [EMPTY]}]}
IVR = {"start": "r", "fallback": "bye", "nodes": {
    "r": {"type": "condition", "label": "分流", "else": "bye", "branches": [{"when": WHEN, "next": "bye"}]},
    "bye": {"type": "hangup", "label": "再见"}}}
DISPATCH = {"rules": [{"name": "r1", "event": "ticket.created", "when": WHEN,
                       "actions": [{"type": "set_status", "status": "open"}]}]}


def _worded(kind: str, body: dict, locale: str):
    found = [f for f in check(kind, body, LintContext()) if f.pointer.endswith("/field")]
    assert len(found) == 1, found
    return in_words(found, kind, body, locale)[0]


def test_an_unchosen_field_in_an_ivr_condition_says_choose_a_field_at_group_and_condition() -> None:
    zh, en = _worded("ivr", IVR, "zh_CN"), _worded("ivr", IVR, "en")
    assert zh.message == "请选择字段：「分流」的分支 1 的条件组 2 的条件 1 还没有选择要比较的字段", zh.message
    assert en.message == "Choose a field: condition 1 of group 2 of branch 1 of “分流” compares no field yet"
    assert list(zh.place) == ["分流 (r)", "分支 1", "条件", "条件组 2", "条件 1"], zh.place
    assert list(en.place) == ["分流 (r)", "branch 1", "condition", "group 2", "condition 1"], en.place
    for f in (zh, en):
        assert "变量名" not in f.message and "variable name" not in f.message
        assert not any(w in " ".join(f.place) for w in ("全部满足", "任一满足", "all-of", "any-of"))


def test_an_unchosen_field_in_a_dispatch_condition_says_choose_a_field_at_group_and_condition() -> None:
    zh, en = _worded("dispatch", DISPATCH, "zh_CN"), _worded("dispatch", DISPATCH, "en")
    assert zh.message.startswith("请选择字段：规则「r1」的条件组 2 的条件 1"), zh.message
    assert en.message.startswith("Choose a field: condition 1 of group 2 of rule “r1”"), en.message
    assert list(zh.place)[-2:] == ["条件组 2", "条件 1"] and list(en.place)[-2:] == ["group 2", "condition 1"]


def test_a_lone_comparison_without_a_field_says_choose_a_field() -> None:
    body = {**IVR, "nodes": {**IVR["nodes"], "r": {**IVR["nodes"]["r"], "branches": [{"when": EMPTY, "next": "bye"}]}}}
    assert _worded("ivr", body, "zh_CN").message == "请选择字段：「分流」的分支 1 的条件还没有选择要比较的字段"
