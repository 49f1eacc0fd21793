"""Every report, funnel and staffing message reads in Chinese and in English with the same placeholders, and a
range problem names its field as the page that shows the field does (QA 14: the error said 起始日期 beside a field
the page calls 开始日期)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from hotline.designer.i18n import translate
from hotline.designer.supervision import funnel_api, report_strings, reports, staffing
from hotline.platform.reports import periods, saved
from hotline.platform.staffing import erlang

TEMPLATES = [periods.NOT_A_GROUPING, periods.NOT_A_DATE, periods.BEFORE, periods.TOO_LONG, reports.NOT_ONE_OF,
             reports.NOT_AN_ID, reports.TOO_MANY_CHARACTERS, saved.NAME_NEEDED, saved.NOT_A_KIND,
             saved.NOT_A_DIMENSION, saved.NOT_A_GROUPING, saved.NOT_A_SCHEDULE, saved.NOT_ADDRESSES,
             saved.TOO_MANY_RECIPIENTS, saved.RECIPIENT_NEEDED, saved.NAME_TAKEN, saved.TOO_MANY_SAVED,
             funnel_api.NO_SUCH_IVR, funnel_api.NO_SUCH_VERSION, erlang.UNREACHABLE, staffing.NO_HISTORY,
             staffing.NO_HOLIDAY_HISTORY]
FIELDS = ("from", "to", "group", "by", "kind", "name", "schedule", "recipients", "agent", "queue", "did", "form")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def test_every_report_message_has_chinese_and_english_with_the_same_placeholders(app: Flask) -> None:
    for template in [*TEMPLATES, *report_strings.STRINGS]:
        chinese, english = translate(template, "zh_CN"), translate(template, "en")
        assert CHINESE.search(chinese), template
        assert not CHINESE.search(english), template
        assert _placeholders(chinese) == _placeholders(english) == _placeholders(template), template


def test_each_field_a_problem_names_is_labelled_in_both_languages(app: Flask) -> None:
    for field in FIELDS:
        chinese, english = reports.field_label(field, "zh_CN"), reports.field_label(field, "en")
        assert CHINESE.search(chinese), field
        assert not CHINESE.search(english) and not english.startswith(("dimension.", "field.")), field


def test_a_range_problem_names_the_field_with_the_pages_own_label(app: Flask) -> None:
    page = (Path(reports.__file__).parent / "templates/supervision/reports.html").read_text(encoding="utf-8")
    assert "{{ _('field.from') }}" in page and "{{ _('field.to') }}" in page  # the same keys as the errors
    [before] = reports.problem_messages([("to", periods.BEFORE, {"to": "2026-03-01", "from": "2026-03-09"})],
                                        "zh_CN")
    assert before["message"] == "结束日期：2026-03-01 早于开始日期 2026-03-09"
    assert translate("field.from", "zh_CN") == "开始日期" and translate("field.to", "zh_CN") == "结束日期"
    # the canvas's funnel panel shows the same range fields with the same words (its errors come from here)
    panel = (Path(__file__).parents[3] / "frontend/src/funnel/FunnelPanel.tsx").read_text(encoding="utf-8")
    assert '"From": "开始日期", "To": "结束日期"' in panel
    english = reports.problem_messages([("from", periods.NOT_A_DATE, {"value": "'x'"})], "en")
    assert english[0]["message"] == "From: 'x' is not a date (YYYY-MM-DD)"
