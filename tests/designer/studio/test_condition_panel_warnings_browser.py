"""A condition node's property panel logs no warning (issue 16 tester, item 6): rjsf could not merge the
condition's allOf (value: array for in/not_in, string for matches) and warned on every condition node; the
builder replaces that part of the form, so rjsf gets no allOf to merge. In Chinese and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import open_designer, select_node, sign_in
from .test_ivr_canvas_browser import console_errors, use_language  # noqa: F401  (fixture)
from .test_ivr_editing_browser import make_ivr
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
        studio_app, serve, page, world: World, api_as, console_errors, console_warnings, lang: str) -> None:  # noqa: F811
    name = f"cond_warn_{lang}"
    make_ivr(api_as, world.analyst_a, name, CONDITION_IVR)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=name)
    use_language(page, lang)
    select_node(page, "route")
    expect(page.get_by_test_id("properties").get_by_test_id("condition-builder")).to_be_visible()
    page.wait_for_timeout(300)
    assert not [w for w in console_warnings if "could not merge" in w or "allOf" in w], console_warnings
    assert console_errors == []
