"""A condition node's property panel logs no warning (issue 16 tester, item 6): rjsf could not merge the
condition's allOf (value: array for in/not_in, string for matches) and warned on every condition node; the
builder replaces that part of the form, so rjsf gets no allOf to merge. In Chinese and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser_helpers import select_node
from .test_property_editors_browser import CONDITION_IVR

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def console_warnings(page):
    """Every console warning of the page about the form's schema (rjsf's allOf merge)."""
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type in ("warning", "error") else None)
    return warnings


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_condition_node_logs_no_schema_warning(
        page, open_ivr, console_errors, console_warnings, lang: str) -> None:
    name = f"cond_warn_{lang}"
    open_ivr(name, CONDITION_IVR, lang)
    select_node(page, "route")
    expect(page.get_by_test_id("properties").get_by_test_id("condition-builder")).to_be_visible()
    page.wait_for_timeout(300)
    assert not [w for w in console_warnings if "could not merge" in w or "allOf" in w], console_warnings
    assert console_errors == []
