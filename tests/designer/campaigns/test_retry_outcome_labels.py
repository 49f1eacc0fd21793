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


# fix-counters item 2: the help names outcomes by label, yet the errors about a rule still named them by code
# ("重拨规则第 2 行（no_answer）…", "e.g. 'busy 30 3'", "(busy, no_answer, failed, machine)").
ZH_HEAD = "重拨规则第 {n} 行：请按“结果 间隔分钟数 最多重拨次数”填写，例如“占线 30 3”"


def _no_codes(text: str) -> bool:
    import re
    # the codes as no label spells them (the labels are 占线/Busy, Answering machine, Call failed)
    return not re.search(r"\bbusy\b|no_answer|(?<!Answering )\bmachine\b|(?<!Call )\bfailed\b", text)


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh_CN", [f"{ZH_HEAD.format(n=1)}（缺少间隔分钟数或最多重拨次数）",
               f"{ZH_HEAD.format(n=2)}（间隔分钟数与最多重拨次数须为整数）",
               f"{ZH_HEAD.format(n=3)}（间隔分钟数须为 1 至 10080，最多重拨次数须为 0 至 20）",
               f"{ZH_HEAD.format(n=4)}（“没人 接”既不是呼叫结果（占线、无人接听、呼叫失败、答录机），"
               "也不是处理结果代码（处理结果代码为一个词））"]),
    ("en", ["Retries, line 1: write the outcome, the delay in minutes and the most retries, e.g. 'Busy 30 3' "
            "(the delay or the most retries is missing)",
            "Retries, line 2: write the outcome, the delay in minutes and the most retries, e.g. 'Busy 30 3' "
            "(the delay and the most retries must be whole numbers)",
            "Retries, line 3: write the outcome, the delay in minutes and the most retries, e.g. 'Busy 30 3' "
            "(the delay must be 1 to 10080 minutes and the most retries 0 to 20)",
            "Retries, line 4: write the outcome, the delay in minutes and the most retries, e.g. 'Busy 30 3' "
            "('没人 接' is neither a call outcome (Busy, No answer, Call failed, Answering machine) nor a "
            "disposition code, which is one word)"]),
])
def test_a_rule_that_does_not_read_says_its_line_and_why_by_label(app, lang: str, expected: list[str]) -> None:
    from wtforms.validators import ValidationError

    with app.test_request_context(f"/?lang={lang}"), pytest.raises(ValidationError) as refused:
        parse_retries("占线 30\nNo answer thirty 3\n\n无人接听 30 100\n没人 接 30 3\nBusy 10 2")
    said = str(refused.value).split("；" if lang == "zh_CN" else "; ")
    assert said == expected
    assert _no_codes(str(refused.value))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_services_retry_findings_name_the_line_and_the_outcome_by_label(app, lang: str) -> None:
    """A rule typed by its label ("无人接听 0 3") is found on its line (it was line 0: only a code matched), and
    named by label in the reader's language; without the field's text the rule is still named by label."""
    from hotline.designer.campaigns import finding_words
    from hotline.platform.findings import Finding

    text = "Busy 30 3\n无人接听 0 3\nanswering machine 20 x"
    range_ = Finding("/retry_policy/no_answer", "error", "delay out of range", "range")
    with app.test_request_context(f"/?lang={lang}"):
        finding_words.register()
        on_line = finding_words.words(range_, text, lang)
        no_text = finding_words.words(range_, None, lang)
    if lang == "zh_CN":
        assert on_line == ("重拨规则第 2 行（无人接听）：间隔分钟数须为 1 至 10080，最多重拨次数须为 0 至 20"
                           "（此行填写的是 0 分钟、3 次）")
        assert no_text == "重拨规则（无人接听）：间隔分钟数须为 1 至 10080，最多重拨次数须为 0 至 20"
    else:
        assert on_line == ("Retries, line 2 (No answer): the delay must be 1 to 10080 minutes and the most "
                           "retries 0 to 20 (this line says 0 minutes, 3 retries)")
        assert no_text == "Retries (No answer): the delay must be 1 to 10080 minutes and the most retries 0 to 20"
    assert _no_codes(on_line) and _no_codes(no_text)
