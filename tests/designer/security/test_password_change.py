"""Changing one's own password: the current one is asked, the rules are told, and other sessions end."""

from __future__ import annotations

from hotline.platform.db import Database
from hotline.platform.services import users

from ..conftest import PASSWORD, Api, make_user


def change(api: Api, current: str, new: str, confirm: str | None = None):
    return api.client.post("/account/password", data={
        "current": current, "new": new, "confirm": new if confirm is None else confirm,
        "csrf_token": api.refresh_token()})


def signed_in(api: Api) -> bool:
    return api.get("/api/session").get_json()["authenticated"]


def test_the_page_asks_for_the_current_password_and_tells_the_rules(api_as, db: Database) -> None:
    me = api_as(make_user(db))
    page = me.get("/account/password").get_data(as_text=True)
    assert 'name="current"' in page and "10" in page
    refused = change(me, "not my password", "a much better one")
    assert refused.status_code == 422
    assert "当前密码不正确" in refused.get_data(as_text=True)


def test_weak_and_mismatched_new_passwords_get_clear_errors(api_as, db: Database) -> None:
    username = make_user(db)
    me = api_as(username)
    assert "两次输入的新密码不一致" in change(me, PASSWORD, "a much better one", "another one").get_data(as_text=True)
    short = change(me, PASSWORD, "short")
    assert short.status_code == 422 and "至少需要 10 个字符" in short.get_data(as_text=True)
    assert "不能包含用户名" in change(me, PASSWORD, f"{username}-plus").get_data(as_text=True)
    with db.platform() as session:
        assert users.authenticate(session, username, PASSWORD) is not None


def test_a_changed_password_signs_out_every_other_session_and_keeps_this_one(api_as, db: Database) -> None:
    username = make_user(db)
    me, elsewhere = api_as(username), api_as(username)
    response = change(me, PASSWORD, "a much better one")
    assert response.status_code == 302
    assert signed_in(me) and not signed_in(elsewhere)
    with db.platform() as session:
        assert users.authenticate(session, username, "a much better one") is not None
        assert users.authenticate(session, username, PASSWORD) is None
