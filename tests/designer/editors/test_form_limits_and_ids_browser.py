"""The form designer, as a Chinese analyst met it (fix-nodes QA items 6 and 7): impossible limits (最少字数 30 with
最多字数 5) are an error at the field naming it by its label and the limits by their titles, and a field id
renamed to one another field holds says which field holds it and keeps what was typed until it is fixed; in
Chinese and in English, with no console error."""

from __future__ import annotations

import pytest

from tests.designer.conftest import World
from tests.designer.console_guard import watch

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_impossible_limits_are_found_and_a_taken_field_id_is_refused_in_words(
        app, serve, page, sign_in, built_frontend, world: World, lang: str) -> None:
    zh = lang == "zh_CN"
    errors = watch(page)
    base = serve(app)
    sign_in(base, world.analyst_a)
    page.goto(f"{base}/studio/form/complaint?lang={lang}")
    page.get_by_test_id("field-details").wait_for()
    page.get_by_test_id("field-details").click()
    editor = page.get_by_test_id("field-editor")
    assert editor.get_by_test_id("field-label").input_value() == "投诉详情"

    # Item 6: 最少字数 30 with 最多字数 5 accepts no text at all: an error on this field, in words.
    editor.get_by_label("最少字数" if zh else "Minimum length").fill("30")
    editor.get_by_label("最多字数" if zh else "Maximum length").fill("5")
    editor.get_by_label("最多字数" if zh else "Maximum length").press("Tab")
    finding = editor.locator("[data-testid=field-finding][data-code=bad-range]")
    finding.wait_for()
    text = finding.inner_text()
    assert ("「投诉详情」的最少字数（30）大于最多字数（5）" if zh
            else "minimum length (30) of field “投诉详情” is above its maximum length (5)") in text, text

    # Item 7: renaming the field's id to `phone` (联系电话 holds it) is refused in words, the typed id kept.
    name = editor.get_by_test_id("field-name")
    name.fill("phone")
    name.press("Enter")
    problem = editor.get_by_test_id("field-name-problem")
    problem.wait_for()
    assert problem.inner_text() == ("该标识已被「联系电话」使用" if zh else "This name is already used by “联系电话”")
    name.blur()
    page.wait_for_timeout(300)
    assert name.input_value() == "phone"
    assert problem.is_visible()
    # Fixed by typing a free id: it is committed and the problem goes.
    name.fill("complaint_details")
    name.press("Enter")
    page.get_by_test_id("field-complaint_details").wait_for()
    assert problem.count() == 0
    assert errors == []
