"""The IVR page's first load (issue 16, goals: first boxes and a first click ≤ 1 s): the property form (rjsf,
Ajv, the date pickers, the condition editor — about half the page's JavaScript) is a chunk of its own, not
downloaded and parsed before the canvas is drawn; it is fetched beside the document, and a click on a box while
it is still on its way shows "loading" in the panel, then the form, with no console error (Chinese and English,
1366×768 and a 390 px phone, where the properties open as a drawer). The page preloads its editor's chunk."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from hotline.designer.studio import assets

from ..conftest import World
from .browser_helpers import node, open_designer
from .test_designer_layout_browser import LAPTOP, PHONE, open_as
from .test_ivr_canvas_reading_browser import READING_IVR
from .test_ivr_editing_browser import make_ivr

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

PANEL_CHUNK = re.compile(r"/static/designer/assets/PropertyPanel-[^/]*\.js$")
#: Ajv's own error text: in every build of Ajv, whatever the minifier renames.
AJV_MARK = "must have required property"


def _static_closure(manifest: dict, name: str, seen: set[str]) -> set[str]:
    """The chunks a module's page fetches before it runs: the module and its static imports, recursively."""
    if name not in seen and name in manifest:
        seen.add(name)
        for imported in manifest[name].get("imports", []):
            _static_closure(manifest, imported, seen)
    return seen


def test_the_ivr_page_does_not_download_the_property_form_before_its_canvas(built_frontend: object) -> None:
    """The entry and the IVR chunk held rjsf and Ajv (the panel of a node nobody has clicked yet): the property
    panel is now a chunk the IVR chunk imports dynamically, and Ajv is in neither's static closure."""
    manifest = json.loads(assets.MANIFEST.read_text("utf-8"))
    assert "src/ivr/PropertyPanel.tsx" in manifest.get("src/ivr/IvrDesigner.tsx", {}).get("dynamicImports", [])
    first = _static_closure(manifest, assets.ENTRY, set()) | _static_closure(manifest, "src/ivr/IvrDesigner.tsx", set())
    assert "src/ivr/PropertyPanel.tsx" not in first
    with_ajv = [manifest[n]["file"] for n in first
                if AJV_MARK in (assets.DESIGNER_DIR / manifest[n]["file"]).read_text("utf-8")]
    assert with_ajv == [], with_ajv


@pytest.mark.parametrize("kind", ["ivr", "form"])
def test_a_document_page_preloads_its_editors_chunk_beside_the_entry(
        built_frontend: object, world: World, api_as, kind: str) -> None:
    """The editor's chunk was asked for only once the entry had downloaded and run (a waterfall before the first
    box, in bench/designer_pages.py's request timeline): the page now names it, and the chunks it imports, as
    module preloads; never the IVR's property form (fetched by the designer's own code)."""
    manifest = json.loads(assets.MANIFEST.read_text("utf-8"))
    name = api_as(world.analyst_a).get("/api/documents").get_json()["documents"]
    name = next(d["name"] for d in name if d["kind"] == kind)
    html = api_as(world.analyst_a).get(f"/studio/{kind}/{name}").get_data(as_text=True)
    preloads = set(re.findall(r'<link rel="modulepreload" href="/static/designer/([^"]+)">', html))
    wanted = {manifest[n]["file"] for n in _static_closure(manifest, assets.KIND_CHUNKS[kind], set())}
    wanted -= {manifest[assets.ENTRY]["file"]}
    assert wanted and wanted <= preloads, wanted - preloads
    if kind == "ivr":
        assert manifest["src/ivr/PropertyPanel.tsx"]["file"] not in preloads


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_a_click_before_the_property_form_arrived_shows_it_once_it_has(
        studio_app, serve, chromium, world: World, api_as, lang: str, viewport: dict) -> None:
    name = f"first_load_{lang}_{viewport['width']}"
    make_ivr(api_as, world.analyst_a, name, READING_IVR)
    base = serve(studio_app)
    page, errors = open_as(chromium, base, world.analyst_a, viewport, lang)
    held: list = []
    try:
        # The panel's chunk is held back until the box is clicked (as on a slow network).
        page.route(PANEL_CHUNK, lambda route: held.append(route))
        open_designer(page, base, name=name)
        expect(node(page, "menu")).to_be_visible()
        for _ in range(100):  # asked for once the canvas is up (when the browser is idle), before any click
            if held:
                break
            page.wait_for_timeout(100)
        assert len(held) == 1
        properties = page.get_by_test_id("properties")
        node(page, "menu").locator(".ivr-node-label").click()
        if viewport is PHONE:
            page.get_by_test_id("panel-properties").click()
        expect(page.get_by_test_id("node-id-current")).to_have_text("menu")
        expect(page.get_by_test_id("properties-loading")).to_have_text("加载中…" if lang == "zh" else "Loading…")
        held[0].continue_()
        expect(properties.locator(".property-form")).to_be_visible()
        expect(page.get_by_test_id("properties-loading")).to_have_count(0)
        assert errors == []
    finally:
        for route in held[1:]:
            route.continue_()
        page.context.close()
