"""A condition added to an IVR condition node's branch reads no field until one is chosen (QA of dev-conditions,
item 1): it used to pre-select the first variable, so a condition nobody finished compared a field nobody chose.
The builder shows the placeholder and says what is missing, in Chinese and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser_helpers import select_node
from .test_property_editors_browser import CONDITION_IVR

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


# The phone width is covered by the dispatch editor's test of the same builder
# (tests/designer/editors/test_dispatch_conditions_browser.py): the IVR canvas opens its panel differently there.
@pytest.mark.parametrize(("lang", "width"), [("zh", 1366), ("en", 1366)])
def test_a_new_condition_of_a_branch_starts_with_no_field(
        open_ivr, page, console_errors, lang: str, width: int) -> None:
    name = f"cond_new_{lang}_{width}"
    open_ivr(name, CONDITION_IVR, lang, size={"width": width, "height": 768 if width > 400 else 844})
    select_node(page, "route")
    builder = page.get_by_test_id("properties").get_by_test_id("condition-builder")
    builder.get_by_test_id("add-condition").first.click()
    fields = builder.get_by_test_id("condition-field")
    expect(fields).to_have_count(2)
    expect(fields.nth(0)).to_contain_text("查运单")
    expect(fields.nth(1)).to_contain_text("请选择字段" if lang == "zh" else "Choose a field")
    expect(builder.get_by_test_id("condition-field-missing")).to_have_count(1)
    assert console_errors == []
