"""Diff rows and findings as an analyst reads them (fix-diff2, items 1, 2 and 4), in headless Chromium, Chinese
and English, with no console error: a diff row never shows a schema key or a stored code ("maxLength", "渠道: sms",
"Rules 6 › Actions 3", "Branches 1 › When › All", "页面 › Greeting"); a long label is cut in the 修改后 cell as in
the place column (whole on hover); a 5,000-character node label is cut in the findings' 连接到… list; a pasted
730-character publish note says how many characters were cut."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .browser_helpers import open_designer, sign_in
from .test_ivr_canvas_browser import console_errors, use_language  # noqa: F401  (fixture)
from .test_version_diff_browser import V1
from .test_versions_panel_browser import DISPATCH, FORM, OUTBOUND, make, save

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

LONG = "很长的分支判断名称" * 12  # 108 characters: cut at 40 in both columns

IVR1 = copy.deepcopy(V1)
IVR1["nodes"]["check"] = {"type": "condition", "label": "判断来电", "else": "bye", "branches": [
    {"when": {"all": [{"field": "call.caller", "op": "not_empty"}]}, "next": "bye"}]}


def _form() -> dict:
    body = copy.deepcopy(FORM)
    props = body["schema"]["properties"]
    props["name"]["maxLength"] = 60
    props["question"]["minLength"] = 5
    return body


def _dispatch() -> dict:
    body = copy.deepcopy(DISPATCH)
    body["rules"][5]["actions"] += [{"type": "notify", "channel": "sms", "to": "13800000000", "text": "请处理"}] * 3
    return body


def _outbound() -> dict:
    body = copy.deepcopy(OUTBOUND)
    body["pages"]["greeting"]["questions"][0]["options"][1]["label"] = "家属或同事代接"
    return body


def _ivr() -> dict:
    body = copy.deepcopy(IVR1)
    body["nodes"]["check"]["branches"][0]["when"]["all"][0]["op"] = "empty"
    body["nodes"]["check"]["label"] = LONG
    return body


CASES = {"form": (FORM, _form), "dispatch": (DISPATCH, _dispatch), "outbound": (OUTBOUND, _outbound),
         "ivr": (IVR1, _ivr)}
WORDS = {
    "zh": {"form": ["最多字数", "最少字数"], "dispatch": ["渠道: 短信", "类型: 发送通知", "规则 6", "动作 "],
           "outbound": ["开场确认", "问题 1 (接听人)", "选项 2"], "ivr": ["分支 1 › 条件 › 全部满足"]},
    "en": {"form": ["Maximum length", "Minimum length"], "dispatch": ["Channel: SMS", "Type: Notify", "Rule 6",
                                                                      "Action "],
           "outbound": ["开场确认", "Question 1 (接听人)", "Option 2"], "ivr": ["Branch 1 › Condition › All of"]},
}
#: Schema keys and stored codes no diff row may show.
RAW = re.compile(r"\b(?:minLength|maxLength|minimum|maximum|minItems|maxItems|sms|notify|channel|Rules \d|"
                 r"Actions \d|Branches \d|When|All(?! of)|Greeting|greeting|reached|Questions \d|Options \d)\b")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_diff_row_shows_a_schema_key_or_a_code_in_any_kind(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    api = api_as(world.analyst_a)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    for kind, (v1, v2) in CASES.items():
        name = f"keys_{kind}_{lang}"
        make(api, kind, name, v1)
        save(api, kind, name, v2())
        open_designer(page, base, kind, name)
        use_language(page, lang)
        page.select_option("[data-testid=diff-from]", "1")
        page.select_option("[data-testid=diff-to]", "draft")
        diff = page.get_by_test_id("diff")
        expect(diff.locator("tbody tr")).not_to_have_count(0)
        shown = diff.inner_text()
        for said in WORDS[lang][kind]:
            assert said in shown, f"{kind}: {said!r} not in the diff:\n{shown}"
        for row in diff.locator("tbody tr").all():
            text = row.inner_text()
            assert not RAW.search(text), f"{kind}: {RAW.search(text)!r} in a diff row:\n{text}"
        if kind == "ivr":
            assert LONG not in shown, shown  # cut in the place column and in 修改后 alike
            assert diff.locator("td.new").locator(f'[title="{LONG}"]').count() == 1
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_node_label_is_cut_in_the_connect_to_list(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    long_label = "超长节点名称" * 834  # 5,004 characters
    body = copy.deepcopy(V1)
    body["nodes"]["menu"]["options"]["9"] = ""
    body["nodes"]["news"]["label"] = long_label
    api = api_as(world.analyst_a)
    name = f"connect_{lang}"
    make(api, "ivr", name, V1)
    save(api, "ivr", name, body)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, "ivr", name)
    use_language(page, lang)
    page.get_by_test_id("validate").click()
    target = page.locator('[data-testid=finding][data-pointer="/nodes/menu/options/9"]').get_by_test_id("fix-target")
    expect(target).to_have_count(1)
    option = target.locator("option[value=news]")
    assert len(option.inner_text()) <= 40 + len(" (news)"), len(option.inner_text())
    assert option.get_attribute("title") == long_label
    assert console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1366, 390])
def test_a_pasted_note_over_the_limit_says_how_much_was_cut(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str, width: int) -> None:  # noqa: F811
    page.set_viewport_size({"width": width, "height": 768})
    api = api_as(world.analyst_a)
    name = f"paste_{lang}_{width}"
    make(api, "ivr", name, V1)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, "ivr", name)
    use_language(page, lang)
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-note").fill("注" * 730)
    expect(page.get_by_test_id("publish-note-count")).to_have_text("500 / 500")
    cut = page.get_by_test_id("publish-note-cut")
    expect(cut).to_be_visible()
    expect(cut).to_contain_text("500")
    expect(cut).to_contain_text("230")
    page.get_by_test_id("publish-note").fill("改了两处")
    expect(cut).to_have_count(0)
    assert console_errors == []
