"""Every form, dispatch and outbound document of the express template opens in its editor without a
script error and without changing anything (an editor that rewrote a document on opening would save a
new draft revision behind the analyst's back); a reader sees the editor but cannot change it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.designer.conftest import Api, World

pytestmark = pytest.mark.browser

EDITOR_MARK = {"form": "add-field", "dispatch": "add-rule", "outbound": "add-page"}


def test_every_template_document_opens_unchanged_in_its_editor(
        app, serve, page, sign_in, built_frontend, world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_b)  # tenant B: the other tests of this module edit tenant A's documents
    documents = [d for d in client.get("/api/documents").get_json()["documents"] if d["kind"] in EDITOR_MARK]
    assert {d["kind"] for d in documents} == set(EDITOR_MARK)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = serve(app)
    sign_in(base, world.analyst_b)
    for doc in documents:
        where = f"{doc['kind']}/{doc['name']}"
        errors.clear()
        page.goto(f"{base}/studio/{where}")
        page.get_by_test_id(EDITOR_MARK[doc["kind"]]).wait_for()
        page.wait_for_timeout(1200)  # longer than the shell's autosave pause
        assert errors == [], f"script errors in the {where} editor"
        state = page.get_by_test_id("save-state").get_attribute("data-state")
        after = client.get(f"/api/documents/{where}").get_json()
        assert after["draft_revision"] == doc["draft_revision"], f"opening {where} saved a draft (state {state})"
        assert state == "saved", f"{where}: the page says {state!r} without any edit"


def test_a_reader_sees_the_form_designer_without_its_editing_buttons(
        app, serve, page, sign_in, built_frontend, world: World) -> None:
    base = serve(app)
    sign_in(base, world.supervisor_a)
    page.goto(f"{base}/studio/form/consultation")
    page.get_by_test_id("field-phone").wait_for()
    assert page.get_by_test_id("add-field").is_hidden()
    page.get_by_test_id("field-phone").click()
    assert page.get_by_test_id("field-label").is_disabled()
