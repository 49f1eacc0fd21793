"""Findings in an analyst's words, Chinese or English: which node, what is wrong, how to fix it (issue 16)."""

from __future__ import annotations

from hotline.platform.findings import Finding
from hotline.platform.kinds.validation import validate_schema
from hotline.platform.kinds.wording import in_words

BODY = {
    "start": "menu", "fallback": "bye",
    "nodes": {
        "menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "请按键"}, "options": {"1": "news", "6": ""},
                 "fallback": "bye"},
        "news": {"type": "play", "label": "公告", "prompt": {"text": "今日无公告"}},
        "bye": {"type": "hangup", "label": "结束语"},
        "9bad": {"type": "hangup"},
    },
}


def messages(findings: list[Finding]) -> dict[str, str]:
    return {f.pointer: f.message for f in findings}


def test_schema_findings_name_the_node_and_say_how_to_fix_it() -> None:
    words = messages(in_words(validate_schema("ivr", BODY), "ivr", BODY, "zh_CN"))
    assert words["/nodes/menu/options/6"] == "「主菜单」的按键 6 还没有连接下一步：把它连到一个节点"
    # Shown on the missing field itself, so the property panel puts it there.
    assert words["/nodes/news/next"] == "「公告」节点没有指定下一步：把它连到一个节点"
    # A node id may hold "-" (common.schema.json `name`), so the sentence says so (fix-nodes item 4).
    assert words["/nodes/9bad"] == "节点编号「9bad」不可用：节点编号只能用字母、数字、下划线和 -，且以字母或下划线开头"
    assert not [m for m in words.values() if "'" in m or "does not match" in m], words


def test_lint_findings_are_reworded_and_lists_count_from_one() -> None:
    findings = [
        Finding("/nodes/bye", "warning", "node 'bye' cannot be reached from the start node", "unreachable"),
        Finding("/nodes/menu/options/1", "error", "digit 1 of node 'menu' goes to node 'gone', which does not exist",
                "unknown-target"),
        Finding("/rules/0/actions/1/queue", "error", "missing required property 'queue'", "schema"),
    ]
    words = [f.message for f in in_words(findings, "ivr", BODY, "zh_CN")]
    assert words[0].startswith("「结束语」节点从起始节点和兜底节点都走不到")
    assert words[1] == "「主菜单」的按键 1 指向不存在的节点「gone」：改为连到一个已有节点"
    assert words[2].startswith("规则 1 的动作 2 的队列缺少「队列」")


def test_english_findings_name_the_node_and_say_how_to_fix_it_too() -> None:
    words = messages(in_words(validate_schema("ivr", BODY), "ivr", BODY, "en"))
    assert words["/nodes/menu/options/6"] == "Key 6 of “主菜单” is not connected to a next step: connect it to a node"
    assert words["/nodes/news/next"] == "Node “公告” has no next step: connect it to a node"
    assert words["/nodes/9bad"] == ("Node ID “9bad” cannot be used: a node ID may contain only letters, digits, "
                                    "underscores and -, and starts with a letter or an underscore")
    assert not [m for m in words.values() if "'" in m or "does not match" in m or "non-empty" in m], words


def test_english_lint_findings_use_the_fields_names_and_count_from_one() -> None:
    findings = [
        Finding("/nodes/bye", "warning", "node 'bye' cannot be reached from the start node", "unreachable"),
        Finding("/rules/0/actions/1/queue", "error", "missing required property 'queue'", "schema"),
        Finding("/nodes/news/min_digits", "error", "collect node 'news' wants at least 5 digits but at most 3, "
                "so no input can ever be accepted", "bad-range"),
        Finding("/nodes/news/prompt/text", "error", "'' should be non-empty", "schema"),
    ]
    words = [f.message for f in in_words(findings, "ivr", BODY, "en")]
    assert words[0].startswith("Node “结束语” cannot be reached from the start node or the fallback node")
    assert words[1].startswith("Queue of action 2 of rule 1 is missing “queue”")
    # The fields by the names the property panel gives them (Min digits, Max digits).
    assert words[2] == ("The min digits (5) of “公告” are more than its max digits (3), so no input can "
                        "ever be accepted: lower the min digits, or raise the max digits")
    assert words[3] == "Text of prompt of “公告” cannot be empty: fill it in"


def test_every_pointer_is_kept_and_an_unknown_language_keeps_the_sentences() -> None:
    findings = validate_schema("ivr", BODY)
    assert in_words(findings, "ivr", BODY, "fr") == findings
    for locale in ("zh_CN", "en"):
        pointers = {f.pointer for f in in_words(findings, "ivr", BODY, locale)}
        assert pointers >= {"/nodes/menu/options/6", "/nodes/9bad"}


def test_a_range_that_accepts_nothing_is_said_with_the_fields_titles() -> None:
    findings = [
        Finding("/nodes/news/min_digits", "error", "collect node 'news' wants at least 5 digits but at most 3, "
                "so no input can ever be accepted", "bad-range"),
        Finding("/nodes/bye/min_score", "error", "survey node 'bye' has min_score 5 not below max_score 3, so the "
                "scale has no range", "bad-range"),
    ]
    words = [f.message for f in in_words(findings, "ivr", BODY, "zh_CN")]
    assert words[0] == ("「公告」的最少位数（5）大于最多位数（3），任何输入都不会被接受："
                        "把最少位数改小，或把最多位数改大")
    assert words[1] == "「结束语」的最低分（5）不低于最高分（3），打分没有范围：把最低分改小，或把最高分改大"


def test_an_over_long_label_says_the_limit_and_its_length_and_quotes_no_more_than_the_limit() -> None:
    """QA 16: a 5,000-character label flooded the findings with its text and never said what the limit was."""
    body = {"start": "a", "fallback": "a", "nodes": {"a": {"type": "hangup", "label": "长" * 5000}}}
    zh = messages(in_words(validate_schema("ivr", body), "ivr", body, "zh_CN"))["/nodes/a/label"]
    assert "最多 200 个字" in zh and "5000 个字" in zh, zh
    assert len(zh) < 300, zh
    en = messages(in_words(validate_schema("ivr", body), "ivr", body, "en"))["/nodes/a/label"]
    assert "at most 200 characters" in en and "5,000" in en, en
    assert len(en) < 300, en


def test_labels_and_titles_of_every_kind_are_bounded_by_the_schema() -> None:
    from tests.platform.kinds.conftest import good_body

    for kind, name, path in (("form", "form/complaint", ("transitions", 0, "label")),
                             ("outbound", "outbound/return_visit", ("dispositions", 0, "label"))):
        body = good_body(name)
        here = body
        for part in path[:-1]:
            here = here[part]
        here[path[-1]] = "x" * 201
        assert [f.pointer for f in validate_schema(kind, body)] == ["/" + "/".join(map(str, path))], kind


def test_a_keypad_symbol_is_spaced_like_a_digit() -> None:
    """「按键 #还没有连接」 lacked the space of 「按键 2 还没有」 (issue 16 tester, item 5)."""
    body = {**BODY, "nodes": {**BODY["nodes"], "menu": {**BODY["nodes"]["menu"], "options": {"#": "", "*": ""}}}}
    words = messages(in_words(validate_schema("ivr", body), "ivr", body, "zh_CN"))
    assert words["/nodes/menu/options/#"] == "「主菜单」的按键 # 还没有连接下一步：把它连到一个节点", words
    assert words["/nodes/menu/options/*"] == "「主菜单」的按键 * 还没有连接下一步：把它连到一个节点", words
