"""The new-campaign form's retries help names call outcomes by label, and a rule may be typed with the label
(QA of fix-labels item 3: the help listed the codes busy, no_answer, machine in both languages)."""

from __future__ import annotations

import pytest

from hotline.designer.campaigns.forms import parse_retries

pytestmark = pytest.mark.redis


def test_a_retry_rule_reads_an_outcome_label_in_either_language_or_its_code() -> None:
    assert parse_retries("无人接听 30 3\nBusy 10 2\nanswering machine 60 1\nfailed 5 1") == {
        "no_answer": {"delay_minutes": 30, "max": 3}, "busy": {"delay_minutes": 10, "max": 2},
        "machine": {"delay_minutes": 60, "max": 1}, "failed": {"delay_minutes": 5, "max": 1}}


@pytest.mark.parametrize(("lang", "labels"), [("zh_CN", ("占线", "无人接听", "答录机")),
                                              ("en", ("Busy", "No answer", "Answering machine"))])
def test_the_retries_help_names_outcomes_by_label(api_as, campaigner, lang: str, labels: tuple[str, ...]) -> None:
    html = api_as(campaigner).get(f"/campaigns/new?lang={lang}").get_data(as_text=True)
    for label in labels:
        assert label in html
    assert "no_answer" not in html and "busy," not in html and "machine or" not in html
