"""A collect node's variable of 80 characters (fix-focus item 4) was refused with the generic 变量名只能用字母、数字和
下划线… though it follows that rule: the finding now says the limit and the length, and the schema's help says it."""

from __future__ import annotations

import json
from pathlib import Path

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.lint import check
from hotline.platform.kinds.wording import in_words

NAME = "a" * 80
BODY = {"start": "ask", "fallback": "bye", "nodes": {
    "ask": {"type": "collect", "label": "收号", "prompt": {"text": "请输入"}, "variable": NAME, "next": "bye",
            "fallback": "bye"},
    "bye": {"type": "hangup", "label": "再见"}}}


def test_a_too_long_variable_name_says_the_limit_and_its_length() -> None:
    found = [f for f in check("ivr", BODY, LintContext()) if f.pointer == "/nodes/ask/variable"]
    assert len(found) == 1, found
    zh = in_words(found, "ivr", BODY, "zh_CN")[0].message
    en = in_words(found, "ivr", BODY, "en")[0].message
    assert "变量名最多 64 个字符，现有 80 个" in zh and "只能用字母" not in zh, zh
    assert "at most 64 characters, this one has 80" in en and "may contain only" not in en, en


def test_the_variable_help_says_the_length_limit() -> None:
    schema = json.loads((Path(__file__).parents[3] / "hotline/platform/kinds/ivr/schema.json").read_text())
    assert "at most 64 characters" in schema["$defs"]["variable"]["description"]


def test_the_chinese_help_says_the_length_limit_too() -> None:
    text = (Path(__file__).parents[3] / "frontend/src/ivr/fieldText.ts").read_text()
    schema = json.loads((Path(__file__).parents[3] / "hotline/platform/kinds/ivr/schema.json").read_text())
    assert schema["$defs"]["variable"]["description"] in text and "最多 64 个字符" in text
