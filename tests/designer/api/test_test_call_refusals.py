"""A test call refused because the draft has errors reads in the reader's language (QA of issue 16, item 1):
the same plain-words findings as the findings panel, at most a few listed, the rest counted and pointed to the
panel; never the schema's developer English (patterns, JSON pointers)."""

from __future__ import annotations

import pytest

from ..conftest import World

pytestmark = [pytest.mark.redis, pytest.mark.slow]

#: Eleven nodes with an empty `next` and no fallback: many findings, the same schema pattern many times.
BROKEN = {"title": "夜间", "start": "n0", "nodes": {
    f"n{i}": {"type": "collect", "label": f"收号{i}", "prompt": {"text": "请输入"}, "variable": "v",
              "next": ""} for i in range(11)}}

TEXT = {
    "zh_CN": {"says": "草稿有错误，模拟来电无法运行", "more": "见右侧「检查结果」"},
    "en": {"says": "The draft has errors the test call cannot run with", "more": "see Findings on the right"},
}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_draft_with_errors_is_refused_in_plain_words_pointing_to_the_findings(
        caller_api, world: World, lang: str) -> None:
    api = caller_api(world.admin_a, world.tenant_a)
    assert api.post("/api/documents", {"kind": "ivr", "name": f"night2_{lang}", "body": BROKEN}).status_code == 201
    api.get(f"/api/session?lang={lang}")
    refused = api.post(f"/api/test-calls?lang={lang}", {"name": f"night2_{lang}"})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert TEXT[lang]["says"] in error and TEXT[lang]["more"] in error
    assert "^[A-Za-z_]" not in error and "missing required property" not in error and "ivr document" not in error
    # A few listed, the rest counted.
    assert error.count("；" if lang == "zh_CN" else "; ") <= 3
    findings = refused.get_json()["findings"]
    assert findings and not any("^[A-Za-z_]" in f["message"] for f in findings)


NOT_KEYS = {"zh_CN": "电话键盘只有 0-9、* 和 #：「SF123」中的「SF」无法按出",
            "en": "A phone keypad has only 0-9, * and #: “SF” in “SF123” cannot be pressed"}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_an_entry_with_letters_is_refused_in_words_naming_them(caller_api, world: World, lang: str) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    api.get(f"/api/session?lang={lang}")
    state = api.post("/api/test-calls", {"name": "main", "at": "2026-11-23T10:00:00+08:00"}).get_json()
    refused = api.post(f"/api/test-calls/{state['id']}/digits?lang={lang}", {"digits": "SF123"})
    assert refused.status_code == 400
    assert NOT_KEYS[lang] in refused.get_json()["error"]
    api.write("delete", f"/api/test-calls/{state['id']}")
