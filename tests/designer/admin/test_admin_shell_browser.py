"""Defect 1 of the admin review, in Debian's chromium (Chinese and English, 1366×768 and 390×844, no console
error): the administration shows the product's top bar, area navigation and user menu, its buttons and tables
take the antd tokens (not Bootstrap's), and Flask-Admin still lists, opens the create form and filters."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from ..console_guard import watch
from ..test_shell_browser import WORDS, _sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_admin_wears_the_products_shell_and_tokens(app, serve, page, world: World, lang: str, width: int,
                                                       height: int) -> None:
    errors = watch(page)
    page.set_viewport_size({"width": width, "height": height})
    base = serve(app)
    _sign_in(page, base, world.admin_a, lang, start="/admin/queue/")
    words = WORDS[lang]
    expect(page.locator("#hl-topbar")).to_be_visible()
    expect(page.locator("#hl-zone")).to_contain_text(words["zone"])
    expect(page.locator("nav.hotline-nav a[aria-current=page]")).to_have_attribute("href", "/admin/")
    assert page.locator("nav.navbar-dark").count() == 0
    menu = page.locator("#hl-user")
    menu.locator("summary").click()
    expect(menu.get_by_role("menuitem", name=words["sign_out"])).to_be_visible()
    page.keyboard.press("Escape")
    # The tokens over Bootstrap: the page's font size, a table header's background, a primary button's colour.
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "14px"
    assert page.locator("table.table thead th").first.evaluate(
        "th => getComputedStyle(th).backgroundColor") == "rgb(250, 250, 250)"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Flask-Admin still works: the create form opens, its submit button is the antd primary.
    page.goto(f"{base}/admin/queue/new/")
    submit = page.locator("form input[type=submit].btn-primary, form button[type=submit].btn-primary").first
    assert submit.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(22, 119, 255)"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == [], errors
