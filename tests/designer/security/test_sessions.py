"""Server-side sessions: a forged cookie gives nothing, and every revocation path ends every session of the user.

All through the Flask test client, as a browser would: sign in over the API, then ask who we are.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import func, select

from hotline.designer import create_app
from hotline.designer.sessions import CLOCK
from hotline.platform.db import Database
from hotline.platform.models import Role, User, WebSession
from hotline.platform.secret_key import SHIPPED_KEYS
from hotline.platform.services import users
from hotline.platform.services.tenants import get_tenant
from hotline.platform.settings import SettingsError, load

from ..conftest import PASSWORD, TEST_SECRET_KEY, Api, World, make_user

OLD_SHIPPED_KEY = "change-me-in-production-8f3c2a"


def signed_in(api: Api) -> bool:
    return api.get("/api/session").get_json()["authenticated"]


def user_id(db: Database, username: str) -> int:
    with db.platform() as session:
        return users.get_user(session, username).id


def forged_cookie(key: str, payload: dict) -> str:
    """A Flask session cookie signed with `key`, as an attacker who knows the key would make it."""
    app = Flask("forger")
    app.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(payload)  # type: ignore[union-attr]


def test_the_shipped_key_is_gone_from_the_config_and_refused() -> None:
    assert OLD_SHIPPED_KEY in SHIPPED_KEYS
    assert load(environ={}).web_secret_key == ""
    for key in (OLD_SHIPPED_KEY, "", "sixteen-chars-ok-but-short"):
        with pytest.raises(SettingsError, match="HOTLINE_WEB_SECRET_KEY"):
            create_app(load(overrides={"web_secret_key": key}))


@pytest.mark.parametrize("key", [OLD_SHIPPED_KEY, TEST_SECRET_KEY])
def test_a_cookie_forged_for_the_operator_signs_nobody_in(db: Database, world: World, key: str) -> None:
    # Even with the app's real key (and with the old published one, as before this change), a signed cookie
    # naming a user id is not a session: only a server-side session is.
    app = create_app(load(overrides={"web_secret_key": key}), db, testing=True)
    client = app.test_client()
    operator = user_id(db, world.operator)
    client.set_cookie("session", forged_cookie(key, {"user_id": operator, "tenant_id": 1}))
    state = client.get("/api/session").get_json()
    assert state["authenticated"] is False
    assert client.get("/admin/").status_code in (302, 401, 403, 404)
    assert client.get("/admin/user/").status_code != 200


def test_the_session_cookie_holds_only_a_random_token(api: Api, world: World, db: Database) -> None:
    assert api.login(world.analyst_a, world.tenant_a).status_code == 200
    cookie = api.client.get_cookie("session")
    assert cookie is not None and cookie.value.startswith("s.") and cookie.http_only
    token = cookie.value[2:]
    assert len(token) == 43 and "." not in token  # 32 random bytes, no signed payload
    with db.platform() as session:
        row = session.get(WebSession, hashlib.sha256(token.encode()).hexdigest())
        assert row is not None and row.user_id == user_id(db, world.analyst_a)
        assert session.get(WebSession, token) is None  # the table never holds the token itself


def test_logout_ends_every_session_of_the_user(api_as, world: World) -> None:
    first, second = api_as(world.analyst_a, world.tenant_a), api_as(world.analyst_a, world.tenant_a)
    other = api_as(world.admin_a, world.tenant_a)
    assert first.write("delete", "/api/session").status_code == 204
    assert not signed_in(first) and not signed_in(second)
    assert signed_in(other)


def test_logout_through_the_page_ends_the_other_sessions_too(api_as, world: World) -> None:
    first, second = api_as(world.agent_a, world.tenant_a), api_as(world.agent_a, world.tenant_a)
    response = first.client.post("/logout", data={"csrf_token": first.refresh_token()})
    assert response.status_code == 302
    assert not signed_in(first) and not signed_in(second)


def test_a_password_change_ends_every_session(api_as, db: Database) -> None:
    username = make_user(db)
    first, second = api_as(username), api_as(username)
    with db.platform() as session:
        users.set_password(session, users.get_user(session, username), "a brand new secret", "test")
    assert not signed_in(first) and not signed_in(second)


def test_removing_a_role_ends_every_session(api_as, db: Database, world: World) -> None:
    username = make_user(db, {world.tenant_a: [Role.ANALYST, Role.QA]})
    first, second = api_as(username, world.tenant_a), api_as(username, world.tenant_a)
    with db.platform() as session:
        assert users.revoke(session, users.get_user(session, username), get_tenant(session, world.tenant_a),
                            Role.QA, "test")
    assert not signed_in(first) and not signed_in(second)
    assert api_as(username, world.tenant_a).get("/api/session").get_json()["user"]["tenant"]["roles"] == ["analyst"]


def test_removing_a_role_in_the_admin_ends_the_users_sessions(api_as, db: Database, world: World) -> None:
    username = make_user(db, {world.tenant_a: [Role.AGENT]})
    victim = api_as(username, world.tenant_a)
    admin = api_as(world.admin_a, world.tenant_a)
    with db.platform() as session:
        membership_id = users.get_user(session, username).memberships[0].id
    response = admin.client.post("/admin/membership/delete/", data={"id": membership_id,
                                                                    "csrf_token": admin.refresh_token()})
    assert response.status_code == 302
    assert not signed_in(victim)


def test_deactivating_a_user_ends_every_session(api_as, db: Database) -> None:
    username = make_user(db)
    first = api_as(username)
    with db.platform() as session:
        users.deactivate(session, users.get_user(session, username), "test")
        count = session.scalar(select(func.count()).select_from(WebSession).join(User).where(
            User.username == username))
    assert count == 0
    assert not signed_in(first)


def test_sessions_end_after_the_idle_time_and_after_the_absolute_lifetime(db: Database, world: World) -> None:
    app = create_app(load(overrides={"web_secret_key": TEST_SECRET_KEY, "web_session_idle_minutes": 30,
                                     "web_session_absolute_hours": 2}), db)
    moment = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC)]
    app.extensions[CLOCK] = lambda: moment[0]
    api = Api(app.test_client())
    assert api.login(world.analyst_a, world.tenant_a).status_code == 200
    moment[0] += timedelta(minutes=29)
    assert signed_in(api)
    moment[0] += timedelta(minutes=31)  # 31 minutes after the last request
    assert not signed_in(api)

    assert api.login(world.analyst_a, world.tenant_a).status_code == 200
    for _ in range(7):  # active all along: a request every 15 minutes
        moment[0] += timedelta(minutes=15)
        assert signed_in(api)
    moment[0] += timedelta(minutes=20)  # 2 h 05 after sign-in, 20 minutes after the last request
    assert not signed_in(api)


def test_signing_in_clears_the_users_expired_sessions(db: Database) -> None:
    app = create_app(load(overrides={"web_secret_key": TEST_SECRET_KEY, "web_session_idle_minutes": 30}), db)
    moment = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC)]
    app.extensions[CLOCK] = lambda: moment[0]
    username = make_user(db)
    for _ in range(3):  # browsers closed without signing out: nobody comes back to end these
        assert Api(app.test_client()).login(username).status_code == 200

    def rows() -> int:
        with db.platform() as session:
            return session.scalar(select(func.count()).select_from(WebSession).where(
                WebSession.user_id == user_id(db, username))) or 0

    assert rows() == 3
    moment[0] += timedelta(minutes=31)
    assert Api(app.test_client()).login(username).status_code == 200
    assert rows() == 1


def test_https_setting_makes_cookies_secure_and_sends_hsts(db: Database, world: World) -> None:
    app = create_app(load(overrides={"web_secret_key": TEST_SECRET_KEY, "web_https": True,
                                     "web_cookie_samesite": "Strict"}), db)
    api = Api(app.test_client(use_cookies=True))
    response = api.client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    signed = api.write("post", "/api/session", {"username": world.analyst_a, "password": PASSWORD})
    cookie = signed.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_plain_http_default_sends_no_hsts(api: Api) -> None:
    assert "Strict-Transport-Security" not in api.get("/login").headers
