"""Every reason a designer page gives with its 403 ("Not allowed") is worded in Chinese too (issue 15, task D2
item 2): the error page translates the reason, so each one needs its entry in the UI-string table."""

from __future__ import annotations

import re
from pathlib import Path

from hotline.designer.i18n import translate

DESIGNER = Path(__file__).resolve().parents[2] / "hotline" / "designer"


def test_every_403_reason_has_a_chinese_wording() -> None:
    reasons = {reason for source in DESIGNER.rglob("*.py")
               for reason in re.findall(r'abort\(403, "([^"]+)"\)', source.read_text(encoding="utf-8"))}
    assert "you have no agent extension" in reasons
    assert [r for r in sorted(reasons) if translate(r, "zh_CN") == r] == []
