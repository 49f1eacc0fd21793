"""The designer page's layout in headless Chromium at a laptop's 1366×768 and a phone's 390 px, in Chinese and
English (issue 16, task 16c): nothing wider than the window on any designer page, the canvas takes a phone's
screen while the side panels open as drawers, the side panels fold away on a laptop and stay folded for that
user, every navigation link is in view, and there is one language switch."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from ..conftest import Api, World
from ..console_guard import watch
from .browser_helpers import open_designer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LANGS = {"zh": "zh-CN", "en": "en-US"}
#: The panels beside the IVR canvas, by the test ids of their toggles, and what each panel is.
IVR_PANELS = {"palette": ".palette", "properties": ".ivr-side", "checks": ".sidebar"}

#: Elements of the designer drawn past the window's right edge or cut off by their own box (text that does not
#: fit, in a box that hides its overflow). Left out: the canvas's own boxes (a flow larger than the window is
#: panned, not squeezed), the navigation (tested apart) and the cells of a table that scrolls sideways on its own.
CLIPPED = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (table) => table && ['auto', 'scroll'].includes(getComputedStyle(table).overflowX);
  const out = [];
  for (const el of document.querySelectorAll('#designer-root *, .hl-topbar *')) {
    if (el.closest('.react-flow__viewport, .react-flow__minimap')) continue;
    if (scrolls(el.parentElement?.closest('table'))) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (box.right > width + 1) out.push(`${el.tagName}.${el.className} right ${Math.round(box.right)} > ${width}`);
    const style = getComputedStyle(el);
    const hides = ['hidden', 'clip'].includes(style.overflowX) && style.textOverflow !== 'ellipsis';
    if (hides && el.scrollWidth > el.clientWidth + 1 && el.children.length === 0 && el.textContent.trim())
      out.push(`${el.tagName}.${el.className} cuts "${el.textContent.trim().slice(0, 30)}"`);
  }
  return out.slice(0, 10);
}"""


def open_as(chromium, base: str, username: str, viewport: dict, lang: str):
    """A page of its own (viewport, browser language) signed in as the user, in the chosen UI language."""
    context = chromium.new_context(viewport=viewport, locale=LANGS[lang])
    context.set_default_timeout(15000)
    page = context.new_page()
    errors = watch(page)
    sign_in(page, base, username)
    page.goto(f"{base}/studio/?lang={'en' if lang == 'en' else 'zh_CN'}")
    return page, errors


def fits(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    clipped = page.evaluate(CLIPPED)
    assert clipped == [], f"{page.url}: {clipped}"


def one_of_each_kind(api: Api) -> dict[str, str]:
    documents = api.get("/api/documents").get_json()["documents"]
    return {kind: next(d["name"] for d in documents if d["kind"] == kind)
            for kind in ("ivr", "form", "dispatch", "outbound")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_every_designer_page_fits_the_window(
        studio_app, serve, chromium, world: World, api_as: Callable[..., Api], viewport: dict, lang: str) -> None:
    base = serve(studio_app)
    page, errors = open_as(chromium, base, world.analyst_a, viewport, lang)
    try:
        for kind, name in one_of_each_kind(api_as(world.analyst_a)).items():
            open_designer(page, base, kind, name)
            expect(page.get_by_test_id("validate")).to_have_text("Validate" if lang == "en" else "校验")
            page.wait_for_timeout(300)
            fits(page)
            # The editor itself gets the window's width on a phone, and most of it on a laptop.
            editor = page.locator(".canvas" if kind == "ivr" else ".editor-area").bounding_box()
            share = 0.9 if viewport is PHONE else 0.4
            assert editor is not None and editor["width"] >= viewport["width"] * share, kind
            if viewport is PHONE:
                # Each side panel opens as a drawer over the editor, fits the window, and closes again.
                for panel in (IVR_PANELS if kind == "ivr" else {"checks": ".sidebar"}):
                    page.get_by_test_id(f"panel-{panel}").click()
                    drawer = page.locator(IVR_PANELS[panel])
                    expect(drawer).to_be_visible()
                    box = drawer.bounding_box()
                    assert box is not None and box["width"] >= viewport["width"] * 0.8
                    fits(page)
                    page.get_by_test_id(f"panel-{panel}").click()
                    expect(drawer).to_be_hidden()
        assert errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_phone_edits_the_ivr_through_its_drawers(
        studio_app, serve, chromium, world: World, lang: str) -> None:
    base = serve(studio_app)
    page, errors = open_as(chromium, base, world.analyst_a, PHONE, lang)
    try:
        open_designer(page, base)
        canvas = page.get_by_test_id("canvas")
        assert canvas.bounding_box()["width"] >= 350
        # a two-character Chinese button reads as written, not spaced out ("属 性", antd's autoInsertSpace)
        expect(page.get_by_test_id("panel-properties")).to_have_text("属性" if lang == "zh" else "Properties")
        expect(page.locator(".palette")).to_be_hidden()
        expect(page.locator(".ivr-side")).to_be_hidden()
        # Adding a node from the node-type drawer closes it and shows the new node's properties.
        page.get_by_test_id("panel-palette").click()
        page.get_by_test_id("palette-hangup").click()
        expect(page.locator(".palette")).to_be_hidden()
        properties = page.get_by_test_id("properties")
        expect(properties).to_be_visible()
        expect(properties.locator(".property-form")).to_be_visible()
        fits(page)
        assert errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_side_panels_fold_away_on_a_laptop_and_stay_folded_for_that_user(
        studio_app, serve, chromium, world: World, lang: str) -> None:
    base = serve(studio_app)
    page, errors = open_as(chromium, base, world.analyst_a, LAPTOP, lang)
    try:
        open_designer(page, base)
        canvas = page.get_by_test_id("canvas")
        before = canvas.bounding_box()["width"]
        for panel, selector in IVR_PANELS.items():
            expect(page.locator(selector)).to_be_visible()
            page.get_by_test_id(f"panel-{panel}").click()
            expect(page.locator(selector)).to_be_hidden()
            expect(page.get_by_test_id(f"panel-{panel}")).to_have_attribute("aria-pressed", "false")
        assert canvas.bounding_box()["width"] >= before + 600
        fits(page)
        page.reload()
        page.wait_for_selector("[data-testid=save-state][data-state=saved]")
        for selector in IVR_PANELS.values():
            expect(page.locator(selector)).to_be_hidden()
        page.get_by_test_id("panel-properties").click()
        expect(page.locator(".ivr-side")).to_be_visible()
        # Remembered per user: another user in the same browser has every panel open.
        page.context.clear_cookies()
        sign_in(page, base, world.admin_a)
        open_designer(page, base)
        for selector in IVR_PANELS.values():
            expect(page.locator(selector)).to_be_visible()
        assert errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_every_navigation_link_is_in_view_and_there_is_one_language_switch(
        studio_app, serve, chromium, world: World, viewport: dict, lang: str) -> None:
    base = serve(studio_app)
    page, errors = open_as(chromium, base, world.admin_a, viewport, lang)  # the longest navigation
    try:
        open_designer(page, base)
        links = page.locator(".hotline-nav a")
        assert links.count() >= 10
        for index in range(links.count()):
            link = links.nth(index)
            if viewport is PHONE:
                link.scroll_into_view_if_needed()  # a phone's navigation wraps into rows that scroll inside it
            box = link.bounding_box()
            assert box is not None, link.inner_text()
            assert box["x"] >= -1 and box["x"] + box["width"] <= viewport["width"] + 1, link.inner_text()
            if viewport is LAPTOP:  # all in view at once, none hidden by the row's scrolling
                assert page.evaluate("el => { const r = el.getBoundingClientRect(); const n = el.closest('nav')"
                                     ".getBoundingClientRect(); return r.left >= n.left && r.right <= n.right; }",
                                     link.element_handle())
        # The designer still fills the window under the shell: its bottom edge is the window's.
        studio = page.locator(".studio").bounding_box()
        assert studio is not None and studio["y"] + studio["height"] <= viewport["height"] + 1
        if viewport is LAPTOP:
            assert studio["height"] >= 500
        switches = page.get_by_role("link", name="English", exact=True).or_(
            page.get_by_role("button", name="English", exact=True))
        expect(switches).to_have_count(1)
        page.get_by_test_id("lang-en" if lang == "zh" else "lang-zh").click()
        expect(page.get_by_test_id("validate")).to_have_text("校验" if lang == "en" else "Validate")
        # The navigation changed language with the designer.
        expect(page.locator(".hotline-nav")).to_contain_text("设计器" if lang == "en" else "Designer")
        assert errors == []
    finally:
        page.context.close()
