"""当前小时 等于 25 was accepted silently (fix-nodes QA item 3): a comparison of a bounded call field with a value
outside its bounds never holds, so it is an error naming the field by its label, the value and the bounds."""

from __future__ import annotations

import pytest

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.lint import check
from hotline.platform.kinds.wording import in_words


def _body(*whens: dict) -> dict:
    return {"start": "r", "fallback": "bye", "nodes": {
        "r": {"type": "condition", "label": "分流", "else": "bye",
              "branches": [{"when": when, "next": "bye"} for when in whens]},
        "bye": {"type": "hangup", "label": "再见"}}}


@pytest.mark.parametrize("when", [
    {"field": "call.hour", "op": "eq", "value": 25},
    {"all": [{"field": "call.hour", "op": "gte", "value": 9}, {"field": "call.hour", "op": "lt", "value": 25}]},
    {"field": "call.hour", "op": "in", "value": [9, 25]},
])
def test_an_hour_outside_0_to_23_is_an_error_in_words(when: dict) -> None:
    body = _body(when)
    found = [f for f in check("ivr", body, LintContext()) if f.code == "value-out-of-bounds"]
    assert len(found) == 1 and found[0].severity == "error", found
    zh = in_words(found, "ivr", body, "zh_CN")[0].message
    en = in_words(found, "ivr", body, "en")[0].message
    assert "「当前小时」与 25 比较，超出 0–23 的范围" in zh, zh
    assert "“Hour” with 25, outside 0–23" in en, en


def test_hours_inside_the_day_are_fine() -> None:
    body = _body({"field": "call.hour", "op": "gte", "value": 0}, {"field": "call.hour", "op": "lte", "value": 23})
    assert [f for f in check("ivr", body, LintContext()) if f.code == "value-out-of-bounds"] == []


def test_the_designer_context_sends_the_lints_bounds() -> None:
    """The condition builder says the bound inline from the context: the same table the lint checks against."""
    from hotline.designer.api.context import record_fields
    from hotline.platform.kinds.context import CALL_BOUNDS

    sent = {f["path"]: (f["minimum"], f["maximum"]) for f in record_fields() if "minimum" in f}
    assert sent == CALL_BOUNDS
