"""Issue 10: flashed messages that are dicts (the gallery's) render as escaped text on every layout that shows
flashes (request_input.flash_text), instead of failing the page (`_(dict)`) or printing a dict, and a value
a tenant typed inside one stays text."""

from __future__ import annotations

from flask import Flask, flash, redirect

from .conftest import Api, World

PAYLOAD = "<img src=x onerror=alert(1)>"


def test_every_flash_layout_shows_a_dict_message_as_escaped_text(app: Flask, api: Api, world: World) -> None:
    app.add_url_rule("/test-flash-dict", "flash_dict", _redirecting_to("/"))
    api.login(world.supervisor_a, world.tenant_a)
    for layout in ("/records/customers", "/supervision/overdue", "/templates/"):
        app.view_functions["flash_dict"] = _redirecting_to(layout)
        api.get("/test-flash-dict")
        response = api.get(layout)
        assert response.status_code == 200, (layout, response.status_code)
        html = response.get_data(as_text=True)
        assert PAYLOAD not in html, layout
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, layout


def test_the_administration_shows_a_dict_message_as_its_escaped_text(app: Flask, api: Api, world: World) -> None:
    """Flask-Admin's own layout printed flashed messages raw: a dict came out as `{'text': …}`."""
    app.add_url_rule("/test-flash-admin", "flash_admin", _redirecting_to("/admin/queue/"))
    api.login(world.operator, world.tenant_a)
    api.get("/test-flash-admin")
    html = api.get("/admin/queue/").get_data(as_text=True)
    assert "已重新导入为草稿（修订 3）" in html  # the text, in the user's language
    assert "{&#39;text&#39;" not in html and "{'text'" not in html
    assert PAYLOAD not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def _redirecting_to(target: str):  # type: ignore[no-untyped-def]
    def view():  # type: ignore[no-untyped-def]
        flash({"text": "{document} re-imported into the draft (revision {revision}); publish it to use it.",
               "document": PAYLOAD, "revision": 3})
        return redirect(target)
    return view
