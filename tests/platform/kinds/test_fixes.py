"""One-click fixes on findings (issue 16, item 4): each finding whose repair is known carries it, so the
designer can offer a button (connect to…, remove the option, pick or create the queue)."""

from __future__ import annotations

from hotline.platform.findings import Finding
from hotline.platform.kinds.fixes import Fix, with_fixes
from hotline.platform.kinds.validation import validate_schema
from hotline.platform.kinds.wording import in_words

BODY = {
    "start": "track_menu", "fallback": "bye",
    "nodes": {
        "track_menu": {"type": "menu", "label": "查件子菜单", "prompt": {"text": "请按键"},
                       "options": {"1": "bye", "9": ""}, "fallback": "bye"},
        "news": {"type": "play", "label": "公告", "prompt": {"text": "今日无公告"}},
        "bye": {"type": "hangup", "label": "结束语"},
    },
}


def fixes_at(findings: list[Finding]) -> dict[str, tuple[Fix, ...]]:
    return {f.pointer: f.fixes for f in findings}


def test_an_unconnected_digit_can_be_connected_or_removed_and_a_missing_next_connected() -> None:
    found = fixes_at(with_fixes(validate_schema("ivr", BODY), "ivr", BODY))
    assert found["/nodes/track_menu/options/9"] == (Fix("connect", "/nodes/track_menu/options/9"),
                                                   Fix("remove", "/nodes/track_menu/options/9"))
    # "missing required property 'next'" is reported on the node; the fix names the field to fill.
    assert found["/nodes/news"] == (Fix("connect", "/nodes/news/next"),)


def test_a_dangling_target_and_a_missing_queue_have_their_fixes() -> None:
    findings = [
        Finding("/nodes/track_menu/options/2", "error", "digit 2 of node 'track_menu' goes to node 'gone', which "
                "does not exist", "unknown-target"),
        Finding("/nodes/agent/queue", "error", "queue 'vip_line' does not exist in this tenant (known: general)",
                "unknown-queue"),
        Finding("/nodes/bye", "warning", "node 'bye' cannot be reached", "unreachable"),
    ]
    found = fixes_at(with_fixes(findings, "ivr", {**BODY, "nodes": {**BODY["nodes"], "agent": {
        "type": "queue", "label": "人工", "queue": "vip_line"}}}))
    assert found["/nodes/track_menu/options/2"][1] == Fix("remove", "/nodes/track_menu/options/2")
    assert found["/nodes/agent/queue"] == (Fix("pick", "/nodes/agent/queue", "queue"),
                                           Fix("create", "/nodes/agent/queue", "queue", "vip_line"))
    assert found["/nodes/bye"] == ()


def test_fixes_survive_the_chinese_wording_and_reach_the_json() -> None:
    worded = in_words(with_fixes(validate_schema("ivr", BODY), "ivr", BODY), "ivr", BODY, "zh_CN")
    digit = next(f for f in worded if f.pointer == "/nodes/track_menu/options/9")
    assert digit.message == "「查件子菜单」的按键 9 还没有连接下一步：把它连到一个节点"
    assert digit.as_dict()["fixes"] == [{"action": "connect", "pointer": "/nodes/track_menu/options/9"},
                                        {"action": "remove", "pointer": "/nodes/track_menu/options/9"}]
    # A finding without a fix keeps the JSON it always had.
    assert "fixes" not in Finding("/x", "error", "m").as_dict()


def test_a_dispatch_rule_routing_to_a_missing_queue_can_pick_or_create_it() -> None:
    body = {"rules": [{"name": "vip", "actions": [{"type": "route", "queue": "gold"}]}]}
    findings = [Finding("/rules/0/actions/0/queue", "error", "queue 'gold' does not exist", "unknown-queue"),
                Finding("/rules/0/name", "error", "something else", "schema")]
    fixed = with_fixes(findings, "dispatch", body)
    assert fixed[0].fixes == (Fix("pick", "/rules/0/actions/0/queue", "queue"),
                              Fix("create", "/rules/0/actions/0/queue", "queue", "gold"))
    assert fixed[1] == findings[1]
    assert with_fixes(findings, "form", body) == findings
