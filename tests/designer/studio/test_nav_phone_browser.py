"""The shell's top bar and navigation on a 390 px phone, in Chinese and English (QA of issue 16, item 5): in
English the tenant button started left of the window (x = -7) and "Knowledge base" ended at x = 469, past the
right edge. Every element of the bar and of the navigation is inside the window's width: the navigation's
groups wrap onto rows (which scroll up and down inside a bounded height when there are many), never past
the edge. No console error."""

from __future__ import annotations

import pytest

from ..conftest import World
from ..console_guard import watch
from .browser_helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}

#: Boxes of the bar and the navigation that leave the window sideways (a link past the edge reads as cut off).
OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('.hl-topbar, .hl-topbar *, .hotline-nav, .hotline-nav *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.left < -0.5 || box.right > width + 0.5)
      out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 20)}" `
               + `${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth} wide`);
  return out.slice(0, 10);
}"""


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(("who", "path"), [("analyst_a", "/studio/"), ("analyst_a", "/records/kb"),
                                           ("admin_a", "/desk/")])
def test_the_bar_and_navigation_stay_inside_a_phones_window(
        studio_app, serve, chromium, world: World, lang: str, who: str, path: str) -> None:
    base = serve(studio_app)
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    try:
        page = context.new_page()
        errors = watch(page)
        sign_in(page, base, getattr(world, who))
        page.goto(f"{base}{path}?lang={lang}")
        page.wait_for_selector(".hotline-nav a")
        page.wait_for_timeout(300)
        assert page.evaluate(OUTSIDE) == []
        # The last link is reached (scrolling the navigation if it has many rows) and is then wholly in the window.
        last = page.locator(".hotline-nav a").last
        last.scroll_into_view_if_needed()
        box = last.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert errors == []
    finally:
        context.close()
