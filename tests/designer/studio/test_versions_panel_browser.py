"""The versions panel as a Chinese analyst found it (QA of versions, items 1-4), in headless Chromium, Chinese and
English, with no console error: a rollback asks first (which version goes live, with a note) and cancel changes
nothing; a 5,000-character label is cut in the diff and the table stays short; a long note is cut in the list and
the publish note shows its count; diff rows of the four kinds name fields and operators in words, never "{}",
"Op: eq" or "ticket.branch"."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

from hotline.platform.services import templates
from hotline.platform.services.documents import NOTE_MAX

from ..conftest import World
from .browser_helpers import open_designer, sign_in
from .test_ivr_canvas_browser import console_errors, use_language  # noqa: F401  (fixture)
from .test_version_diff_browser import V1

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

TEMPLATE = templates.load("express_delivery")
FORM = TEMPLATE.documents[("form", "consultation")]
DISPATCH = TEMPLATE.documents[("dispatch", "default")]
OUTBOUND = TEMPLATE.documents[("outbound", "return_visit")]


def make(api, kind: str, name: str, body: dict, note: str = "v1") -> None:
    """Creates the document and publishes it as version 1."""
    created = api.post("/api/documents", {"kind": kind, "name": name, "body": body})
    assert created.status_code == 201, created.get_json()
    published = api.post(f"/api/documents/{kind}/{name}/publish", {"note": note})
    assert published.status_code == 201, published.get_json()


def save(api, kind: str, name: str, body: dict) -> None:
    revision = api.get(f"/api/documents/{kind}/{name}").get_json()["draft_revision"]
    saved = api.write("put", f"/api/documents/{kind}/{name}/draft", {"body": body, "base_revision": revision})
    assert saved.status_code == 200, saved.get_json()


def publish(api, kind: str, name: str, note: str) -> None:
    published = api.post(f"/api/documents/{kind}/{name}/publish", {"note": note})
    assert published.status_code == 201, published.get_json()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rollback_asks_first_naming_the_version_and_cancel_changes_nothing(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    """Item 1: 回滚 on version 1 published version 3 at once; publishing asks, so must a rollback."""
    api = api_as(world.analyst_a)
    name = f"rb_{lang}"
    make(api, "form", name, FORM)
    save(api, "form", name, {**FORM, "title": "第二版"})
    publish(api, "form", name, "v2")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, "form", name)
    use_language(page, lang)

    page.get_by_test_id("rollback-1").click()
    dialog = page.get_by_test_id("rollback-dialog")
    expect(dialog).to_be_visible()
    words = {"zh": ("版本 1 将重新上线", "新版本 3"), "en": ("Version 1 becomes live again", "new version 3")}[lang]
    for said in words:
        expect(dialog).to_contain_text(said)
    page.get_by_test_id("rollback-cancel").click()
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(300)
    assert [v["number"] for v in api.get(f"/api/documents/form/{name}/versions").get_json()["versions"]] == [1, 2]
    assert api.get(f"/api/documents/form/{name}").get_json()["published_version"] == 2
    expect(page.get_by_test_id("version-3")).to_have_count(0)

    page.get_by_test_id("rollback-1").click()
    page.get_by_test_id("rollback-note").fill("第二版标题写错了")
    page.get_by_test_id("rollback-confirm").click()
    expect(page.get_by_test_id("version-3")).to_contain_text("第二版标题写错了")
    three = api.get(f"/api/documents/form/{name}/versions/3").get_json()
    assert (three["rollback_of"], three["note"], three["current"]) == (1, "第二版标题写错了", True)
    assert dialogs == [] and console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1366, 390])
def test_a_long_label_is_cut_in_the_diff_and_a_long_note_in_the_list(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str, width: int) -> None:  # noqa: F811
    """Items 2 and 3: a 5,000-character label made the diff ~16,000 px tall; a long note was listed whole."""
    page.set_viewport_size({"width": width, "height": 768})
    api = api_as(world.analyst_a)
    name = f"long_{lang}_{width}"
    make(api, "ivr", name, V1, note="说" * NOTE_MAX)
    long_label = "很长的名称" * 1000
    body = copy.deepcopy(V1)
    body["nodes"]["news"]["label"] = long_label
    body["nodes"]["news"]["prompt"]["text"] = "长" * 1500
    save(api, "ivr", name, body)  # a draft may carry it (publishing refuses a label over 200 characters)
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    open_designer(page, base, "ivr", name)
    use_language(page, lang)
    if width < 600:  # a phone shows one side panel at a time, as a drawer
        page.get_by_test_id("panel-checks").click()

    page.select_option("[data-testid=diff-from]", "1")
    page.select_option("[data-testid=diff-to]", "draft")
    diff = page.get_by_test_id("diff")
    expect(diff.locator("tr")).not_to_have_count(0)
    assert len(diff.inner_text()) < 1500, len(diff.inner_text())
    assert diff.locator(f'[title="{long_label}"]').count() >= 1
    assert diff.bounding_box()["height"] < 900, diff.bounding_box()
    for row in diff.locator("tbody tr").all():
        assert row.bounding_box()["height"] < 400
    note = page.get_by_test_id("version-note-1")
    assert len(note.inner_text()) <= 130
    assert note.locator("[title]").first.get_attribute("title") == "说" * NOTE_MAX

    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-note").fill("改了两处")
    expect(page.get_by_test_id("publish-note-count")).to_have_text(f"4 / {NOTE_MAX}")
    assert console_errors == []


def _form_v2() -> dict:
    return {**FORM, "title": "业务咨询（新）"}


def _dispatch_v2() -> dict:
    body = copy.deepcopy(DISPATCH)
    body["rules"][0]["when"] = {"field": "ticket.address", "op": "not_empty"}
    body["rules"][1]["when"]["op"] = "empty"
    body["rules"].append({"name": "added_rule", "label": "新加的规则", "event": "ticket.created",
                          "when": {"field": "ticket.address", "op": "eq", "value": "北京"}, "actions": []})
    return body


def _outbound_v2() -> dict:
    body = copy.deepcopy(OUTBOUND)
    branches = body["pages"]["greeting"]["branches"]
    branches[0]["when"]["op"] = "ne"
    branches.append({})
    return body


def _ivr_v2() -> dict:
    body = copy.deepcopy(V1)
    body["nodes"]["check"] = {"type": "condition", "label": "判断来电", "branches": [
        {"when": {"field": "call.caller", "op": "not_empty"}, "next": "bye"}, {}], "else": "bye"}
    return body


WORDS = {
    "zh": {
        "form": ["修改 标题"],
        "dispatch": ["处理地址 等于 北京", "不为空", "为空", "新加的规则", "工单创建"],
        "outbound": ["不等于", "（空）"],
        "ivr": ["来电号码 不为空", "（空）"],
    },
    "en": {
        "form": ["changed Title"],
        "dispatch": ["equals 北京", "is not empty", "is empty", "新加的规则", "A ticket is created"],
        "outbound": ["does not equal", "(empty)"],
        "ivr": ["Caller number is not empty", "(empty)"],
    },
}
RAW = ["{}", "ticket.created", "op:", "Field:", "field:", "not_empty", "ticket.address", "call.caller", "Value:"]
RAW_WORDS = re.compile(r"\b(?:Op|eq|ne)\b")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diff_rows_name_fields_and_operators_as_the_editors_do_in_all_four_kinds(
        studio_app, serve, page, world: World, api_as, console_errors, lang: str) -> None:  # noqa: F811
    """Item 4: "修改 Title", "分支 › 1: {}", "Op: eq", "Field: ticket.branch" in the Chinese diff."""
    api = api_as(world.analyst_a)
    address = next(f["label"] for f in api.get("/api/designer/context").get_json()["fields"]
                   if f["path"] == "ticket.address")
    cases = {"form": (FORM, _form_v2()), "dispatch": (DISPATCH, _dispatch_v2()),
             "outbound": (OUTBOUND, _outbound_v2()), "ivr": (V1, _ivr_v2())}
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    for kind, (v1, draft) in cases.items():
        name = f"words_{kind}_{lang}"
        make(api, kind, name, v1)
        save(api, kind, name, draft)  # compared with the draft: an unfinished draft need not publish
        open_designer(page, base, kind, name)
        use_language(page, lang)
        page.select_option("[data-testid=diff-from]", "1")
        page.select_option("[data-testid=diff-to]", "draft")
        diff = page.get_by_test_id("diff")
        expect(diff.locator("tbody tr")).not_to_have_count(0)
        shown = diff.inner_text()
        expected = [w.replace("处理地址", address) for w in WORDS[lang][kind]]
        if kind == "dispatch":
            expected.append(address)
        for said in expected:
            assert said in shown, f"{kind}: {said!r} not in the diff:\n{shown}"
        for raw in RAW:
            assert raw not in shown, f"{kind}: {raw!r} shown in the diff:\n{shown}"
        assert not RAW_WORDS.search(shown), f"{kind}: {RAW_WORDS.search(shown)!r} shown in the diff:\n{shown}"
        if lang == "zh":
            assert "Title" not in shown and "Comparison" not in shown, shown
    assert console_errors == []
