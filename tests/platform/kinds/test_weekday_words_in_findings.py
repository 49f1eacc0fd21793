"""A repeated weekday in a call window was reported as "['mon', 'mon'] has non-unique elements" in either language
(fix-builder item 3): the finding now names the day 周一 / Monday, as the editors do, never the stored code."""

from __future__ import annotations

import pytest

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.lint import check
from hotline.platform.kinds.starters import starter_body
from hotline.platform.kinds.wording import in_words


@pytest.mark.parametrize(("locale", "day"), [("zh_CN", "「周一」"), ("en", "“Monday”")])
def test_a_repeated_weekday_is_named_by_its_day(locale: str, day: str) -> None:
    body = starter_body("outbound", "visit")
    body["dialing"]["windows"] = [{"days": ["mon", "tue", "mon"], "start": "09:00", "end": "18:00"}]
    found = [f for f in in_words(check("outbound", body, LintContext()), "outbound", body, locale)
             if f.pointer == "/dialing/windows/0/days"]
    assert len(found) == 1, found
    assert day in found[0].message and "mon" not in found[0].message, found[0].message
    assert "tue" not in found[0].message and "non-unique" not in found[0].message
