"""Document kinds by label on /tenants/<slug> in both languages (QA of fix-labels item 2: English showed
"dispatch / form / ivr / outbound"), and a favicon for every page (item 6: /favicon.ico was a 404 on admin pages)."""

from __future__ import annotations

import pytest
from flask import Flask

from hotline.platform.words import KIND_LABELS, kind_label

from .conftest import World
from .test_pages import form_login, token_of


def test_every_kind_has_words_in_both_languages() -> None:
    assert set(KIND_LABELS) == {"ivr", "form", "dispatch", "outbound"}
    assert kind_label("dispatch", "en") == "Dispatch rules" and kind_label("dispatch", "zh_CN") == "分派规则"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_tenant_page_shows_kinds_by_label(app: Flask, world: World, lang: str) -> None:
    client = app.test_client()
    assert form_login(client, world.analyst_a).status_code == 302
    page = client.get(f"/tenants/{world.tenant_a}?lang={lang}").get_data(as_text=True)
    for code in ("ivr", "form", "dispatch"):
        assert f"<td>{kind_label(code, lang)}</td>" in page
        assert f"<td>{code}</td>" not in page


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_favicon_is_served_and_linked_from_admin_pages(app: Flask, world: World, lang: str) -> None:
    client = app.test_client()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert form_login(client, world.admin_a).status_code == 302
    chooser = client.get("/tenant")
    if chooser.status_code == 200 and "csrf_token" in chooser.get_data(as_text=True):
        client.post("/tenant", data={"tenant": world.tenant_a, "csrf_token": token_of(chooser)})
    admin = client.get(f"/admin/membership/?lang={lang}").get_data(as_text=True)
    assert 'rel="icon"' in admin
    assert 'rel="icon"' in client.get(f"/tenants/{world.tenant_a}?lang={lang}").get_data(as_text=True)
