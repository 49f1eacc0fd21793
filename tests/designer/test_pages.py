"""The HTML side: the login form (with its CSRF token), choosing a tenant, sign-out, the overview pages,
Chinese by default with an English switch, and 404 for another tenant's page."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from .conftest import PASSWORD, World


def token_of(page: TestResponse) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert found, "the page has no CSRF token"
    return found.group(1)


def form_login(client: FlaskClient, username: str, password: str = PASSWORD, query: str = "") -> TestResponse:
    token = token_of(client.get("/login"))
    return client.post(f"/login{query}", data={"username": username, "password": password, "csrf_token": token})


def test_pages_need_sign_in_and_come_back_after_it(app: Flask, world: World) -> None:
    client = app.test_client()
    response = client.get(f"/tenants/{world.tenant_a}")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    signed_in = form_login(client, world.analyst_a, query=f"?next=/tenants/{world.tenant_a}")
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == f"/tenants/{world.tenant_a}"
    page = client.get(f"/tenants/{world.tenant_a}").get_data(as_text=True)
    assert "语音导航" in page and "main" in page


def test_the_login_form_needs_its_csrf_token(app: Flask, world: World) -> None:
    client = app.test_client()
    client.get("/login")
    response = client.post("/login", data={"username": world.analyst_a, "password": PASSWORD})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert client.get("/api/session").get_json()["authenticated"] is False


def test_a_wrong_password_shows_a_message_in_chinese(app: Flask, world: World) -> None:
    response = form_login(app.test_client(), world.analyst_a, "wrong password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_next_never_leaves_the_site(app: Flask, world: World) -> None:
    response = form_login(app.test_client(), world.analyst_a, query="?next=//evil.example/x")
    assert response.headers["Location"] == "/"


def test_a_user_of_several_tenants_chooses_one_with_a_form(app: Flask, world: World) -> None:
    client = app.test_client()
    response = form_login(client, world.both)
    assert "/tenant" in response.headers["Location"]
    page = client.get("/tenant")
    assert world.tenant_a in page.get_data(as_text=True) and world.tenant_b in page.get_data(as_text=True)
    chosen = client.post("/tenant", data={"tenant": world.tenant_b, "csrf_token": token_of(page)})
    assert chosen.status_code == 302
    assert client.get("/api/session").get_json()["user"]["tenant"]["slug"] == world.tenant_b


def test_the_overview_lists_only_the_users_tenants(app: Flask, world: World) -> None:
    client = app.test_client()
    form_login(client, world.analyst_a)
    page = client.get("/").get_data(as_text=True)
    assert world.tenant_a in page and world.tenant_b not in page


def test_another_tenants_page_is_not_found(app: Flask, world: World) -> None:
    client = app.test_client()
    form_login(client, world.analyst_a)
    assert client.get(f"/tenants/{world.tenant_b}").status_code == 404
    assert client.get("/tenants/no-such-tenant").status_code == 404


def test_the_operator_sees_every_tenant(app: Flask, world: World) -> None:
    client = app.test_client()
    form_login(client, world.operator)
    page = client.get("/").get_data(as_text=True)
    assert world.tenant_a in page and world.tenant_b in page
    assert client.get(f"/tenants/{world.tenant_b}").status_code == 200


def test_english_on_request_and_kept_for_the_session(app: Flask, world: World) -> None:
    client = app.test_client()
    assert "登录" in client.get("/login").get_data(as_text=True)
    assert "Sign in" in client.get("/login?lang=en").get_data(as_text=True)
    form_login(client, world.analyst_a)
    page = client.get(f"/tenants/{world.tenant_a}").get_data(as_text=True)
    assert "Published version" in page and "已发布版本" not in page


def test_sign_out_is_a_protected_post(app: Flask, world: World) -> None:
    client = app.test_client()
    form_login(client, world.analyst_a)
    page = client.get("/")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token: a cross-site page cannot sign you out
    assert client.post("/logout", data={"csrf_token": token_of(page)}).status_code == 302
    assert client.get("/").status_code == 302
