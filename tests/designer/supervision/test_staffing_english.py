"""The staffing calculator in English (QA 14): its field labels and errors read as words, never as the keys
(staffing.calls…) the catalogue stores them under."""

from __future__ import annotations

import re


def test_the_english_page_labels_its_fields_and_names_them_in_errors(api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    page = supervisor.get("/supervision/staffing?calls=100&interval=20&plan=day&day=x&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert not re.search(r"staffing\.[a-z]+", html), re.findall(r"staffing\.[a-z]+", html)
    assert "Interval length (minutes): 20 is not one of 15/30/60" in html
    for label in ("Calls per interval", "Average handle time (s)", "Service-level target (%)",
                  "Answer within (s)", "Shrinkage (%)", "Day"):
        assert label in html
    chinese = supervisor.get("/supervision/api/staffing?interval=20&lang=zh_CN").get_json()
    assert "时段长度（分钟）：20 不是可选值（15/30/60）之一" in " ".join(chinese["errors"])
