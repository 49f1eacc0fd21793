"""Retyping a node and naming a variable, as a Chinese analyst met them (fix-nodes QA items 1 and 4): a node still
named as its old type (放音, untouched) takes the new type's name (收号), so its box, its findings and naming from
the prompt follow the new type, while a name the analyst typed is kept; a variable's help and its check say one
rule (letters, digits, _: no "-"). Chinese and English, laptop and phone width, no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import choose, node, open_designer, sign_in, wait_saved
from .test_ivr_canvas_browser import console_errors, use_language  # noqa: F401  (fixture)
from .test_ivr_editing_browser import make_ivr

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


def _ivr(default: str) -> dict:
    return {
        "title": "改类型", "start": "greet", "fallback": "bye",
        "nodes": {
            "greet": {"type": "play", "label": default, "prompt": {"text": "您好"}, "next": "intro",
                      "position": {"x": 0, "y": 0}},
            "intro": {"type": "play", "label": "开场白", "prompt": {"text": "欢迎致电"}, "next": "bye",
                      "position": {"x": 0, "y": 200}},
            "bye": {"type": "hangup", "label": "再见", "position": {"x": 0, "y": 400}},
        },
    }


def _show(page, panel: str, phone: bool) -> None:
    """On a phone the side panels are drawers opened by their toggles; on a laptop they are always there."""
    toggle = page.get_by_test_id(f"panel-{panel}")
    if phone and toggle.get_attribute("aria-pressed") != "true":
        toggle.click()


def _select(page, node_id: str, phone: bool) -> None:
    page.get_by_test_id("find-node").fill(node_id)
    page.get_by_test_id("find-node").press("Enter")
    _show(page, "properties", phone)
    expect(page.get_by_test_id("node-id-current")).to_have_text(node_id)


@pytest.mark.parametrize(("lang", "width"), [("zh", 1366), ("en", 1366), ("zh", 390)])
def test_a_default_name_follows_the_new_type_and_a_typed_name_stays(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str, width: int) -> None:  # noqa: F811
    zh = lang == "zh"
    play, collect = ("放音", "收号") if zh else ("Play", "Collect digits")
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    name = f"retype_{lang}_{width}"
    make_ivr(api_as, world.analyst_a, name, _ivr(play))
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, name=name)
    use_language(page, lang)

    phone = width < 400
    _select(page, "greet", phone)
    choose(page, "node-type", collect)
    wait_saved(page)
    expect(node(page, "greet")).to_contain_text(collect)
    expect(page.get_by_test_id("node-id-current")).to_have_text("greet")
    # The name is the new type's default, so typing the prompt names the node again.
    page.get_by_test_id("prompt-text-prompt").fill("请输入运单号")
    expect(node(page, "greet")).to_contain_text("请输入运单号")

    # Item 4: the variable's help says letters, digits and _; "way-bill" is refused inline in the same words.
    help_text = "变量名只能用字母、数字和下划线" if zh else "A variable name: letters, digits and _"
    expect(page.get_by_test_id("properties")).to_contain_text(help_text)
    expect(page.get_by_test_id("properties")).not_to_contain_text("下划线和 -" if zh else "_ and -")
    page.locator("#root_variable").fill("way-bill")
    wait_saved(page)
    _show(page, "checks", phone)
    findings = page.get_by_test_id("findings")
    problem = "变量名只能用字母、数字和下划线，且不能以数字开头" if zh else "letters, digits and underscores"
    expect(findings).to_contain_text(problem)
    expect(findings).not_to_contain_text(f"「{play}」" if zh else f"“{play}”")

    # A name the analyst typed is kept.
    _select(page, "intro", phone)
    choose(page, "node-type", collect)
    wait_saved(page)
    expect(node(page, "intro")).to_contain_text("开场白")
    draft = api_as(world.analyst_a).get(f"/api/documents/ivr/{name}").get_json()["draft"]
    assert draft["nodes"]["greet"]["label"] == "请输入运单号" and draft["nodes"]["greet"]["type"] == "collect"
    assert draft["nodes"]["intro"]["label"] == "开场白" and draft["nodes"]["intro"]["type"] == "collect"
    assert console_errors == []
