"""A condition node's branch without a condition (fix-nodes QA item 2): the builder said 无条件（总是执行） while
the check said it was missing 「条件」. The schema requires a branch's "when" and the runtime evaluates every
branch's condition (platform/conditions.evaluate), so a branch without one is an error, worded 分支 N 还没有条件
whether "when" is absent or empty; and a branch's missing next step gets 连接到… like 否则's."""

from __future__ import annotations

import pytest

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.fixes import with_fixes
from hotline.platform.kinds.lint import check
from hotline.platform.kinds.wording import in_words


def _body(branch: dict) -> dict:
    return {"start": "r", "fallback": "bye", "nodes": {
        "r": {"type": "condition", "label": "分流", "else": "bye", "branches": [
            {"when": {"field": "call.caller", "op": "eq", "value": "1"}, "next": "bye"}, branch]},
        "bye": {"type": "hangup", "label": "再见"}}}


@pytest.mark.parametrize("branch", [{"next": "bye"}, {"when": {}, "next": "bye"}], ids=["absent", "empty"])
def test_a_branch_without_a_condition_is_an_error_saying_it_has_none(branch: dict) -> None:
    body = _body(branch)
    found = check("ivr", body, LintContext())
    assert [f.severity for f in found] == ["error"], found
    zh = [f.message for f in in_words(found, "ivr", body, "zh_CN")]
    en = [f.message for f in in_words(found, "ivr", body, "en")]
    assert zh == ["「分流」的分支 2 还没有条件：选择要判断的字段、比较方式和值（没有条件的分支不能发布）"], zh
    assert en[0].startswith("Branch 2 of “分流” has no condition yet"), en
    assert not any("总是" in m or "needs one of" in m for m in zh + en)


def test_a_new_branch_without_a_next_step_is_offered_connect_like_else() -> None:
    body = _body({"when": {"field": "call.caller", "op": "eq", "value": "2"}})
    body["nodes"]["r"]["else"] = ""
    found = with_fixes(check("ivr", body, LintContext()), "ivr", body)
    fixes = {f.pointer: [(x.action, x.pointer) for x in f.fixes] for f in found}
    assert fixes["/nodes/r/else"] == [("connect", "/nodes/r/else")], fixes
    assert fixes["/nodes/r/branches/1"] == [("connect", "/nodes/r/branches/1/next")], fixes
