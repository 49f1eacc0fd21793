"""Fixtures for the web designer: an app per test over the module's real database, tenants cloned from a
template, users built through the users service, and a client that signs in and sends the CSRF token the
way the designer's own pages do (GET /api/session, then X-CSRFToken on every write)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from hotline.designer import create_app
from hotline.designer.api.test_calls import manager as test_call_manager
from hotline.designer.studio import assets
from hotline.platform.db import Database
from hotline.platform.jobs import Queues
from hotline.platform.models import Role
from hotline.platform.services import templates, users
from hotline.platform.services.tenants import get_tenant
from hotline.platform.settings import load
from tests.conftest import REDIS_URL
from tests.designer.switch_fixture import on_switch, threaded_sim  # noqa: F401  (fixtures)

PASSWORD = "correct horse battery"
#: 32 bytes or more: the app refuses shorter keys (platform/secret_key.py).
TEST_SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnop"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class World:
    """Two tenants cloned from the express template and one user per role of interest (usernames)."""

    tenant_a: str
    tenant_b: str
    analyst_a: str
    admin_a: str
    agent_a: str
    supervisor_a: str
    analyst_b: str
    both: str  # analyst in A, agent in B
    operator: str
    nobody: str  # signs in, holds no role anywhere


def make_user(db: Database, roles: dict[str, list[Role]] | None = None, operator: bool = False) -> str:
    username = f"u{uuid.uuid4().hex[:10]}"
    with db.platform() as session:
        user = users.create_user(session, username, PASSWORD, "test", platform_operator=operator)
        for slug, granted in (roles or {}).items():
            for role in granted:
                users.grant(session, user, get_tenant(session, slug), role, "test")
    return username


@pytest.fixture(scope="module")
def world(db: Database) -> World:
    slugs = []
    template = templates.load("express_delivery")
    for prefix in ("a", "b"):
        slug = f"{prefix}{uuid.uuid4().hex[:8]}"
        with db.platform() as session:
            templates.clone(session, template, slug, None, "test")
        slugs.append(slug)
    a, b = slugs
    return World(
        tenant_a=a, tenant_b=b,
        analyst_a=make_user(db, {a: [Role.ANALYST]}),
        admin_a=make_user(db, {a: [Role.TENANT_ADMIN]}),
        agent_a=make_user(db, {a: [Role.AGENT]}),
        supervisor_a=make_user(db, {a: [Role.SUPERVISOR, Role.QA]}),
        analyst_b=make_user(db, {b: [Role.ANALYST]}),
        both=make_user(db, {a: [Role.ANALYST], b: [Role.AGENT]}),
        operator=make_user(db, operator=True),
        nobody=make_user(db),
    )


@pytest.fixture
def app(db: Database) -> Flask:
    made = create_app(load(overrides={"web_locale": "zh_CN", "web_secret_key": TEST_SECRET_KEY}), db)
    # Sign-in back-off and quotas count in Redis: each app its own counters, so tests never share them.
    made.config["HOTLINE_LIMITS_NAMESPACE"] = f"t{uuid.uuid4().hex[:12]}:"
    return made


class Api:
    """A browser-like client of the JSON API: keeps the session cookie and sends the CSRF token on writes."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token: str | None = None

    def refresh_token(self) -> str:
        self.token = self.client.get("/api/session").get_json()["csrf_token"]
        return self.token

    def login(self, username: str, tenant: str | None = None, password: str = PASSWORD) -> TestResponse:
        body: dict[str, Any] = {"username": username, "password": password}
        if tenant is not None:
            body["tenant"] = tenant
        self.refresh_token()  # as a login page would: the token of the session as it is now
        response = self.write("post", "/api/session", body)
        if response.status_code == 200:
            self.token = response.get_json()["csrf_token"]
        return response

    def get(self, url: str) -> TestResponse:
        return self.client.get(url)

    def write(self, method: str, url: str, body: Any = None, csrf: bool = True) -> TestResponse:
        headers = {"X-CSRFToken": self.token or self.refresh_token()} if csrf else {}
        return self.client.open(url, method=method.upper(), json=body, headers=headers)

    def post(self, url: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.write("post", url, body, **kwargs)

    def put(self, url: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.write("put", url, body, **kwargs)


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app.test_client())


@pytest.fixture
def api_as(app: Flask) -> Callable[..., Api]:
    """A fresh signed-in API client per call, so one test can act as several users."""

    def sign_in(username: str, tenant: str | None = None) -> Api:
        client = Api(app.test_client())
        response = client.login(username, tenant)
        assert response.status_code == 200, response.get_json()
        return client

    return sign_in


@pytest.fixture
def open_as(app: Flask, serve: Callable[[Flask], str], page: Any) -> Callable[[str, str], str]:
    """The browser page signed in as `username` through the sign-in form, as a person would, then on `path`;
    returns the base URL of `app` (served once per test). Signing in again as another user starts afresh."""
    served: list[str] = []

    def run(username: str, path: str) -> str:
        if not served:
            served.append(serve(app))
        base = served[0]
        page.context.clear_cookies()
        page.goto(f"{base}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}{path}")
        return base

    return run


@pytest.fixture
def queues(app: Flask, queues: Queues) -> Queues:
    """tests/jobs_support.py's real RQ queues (jobs open the test database), put in the app for its endpoints."""
    app.extensions["hotline.queues"] = queues
    return queues


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    """static/designer/ with its manifest; built with the project's own bootstrap step when missing."""
    if not assets.MANIFEST.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed, so the designer's front end cannot be built (test.sh installs it)")
        subprocess.run(["bash", "-c", "source scripts/bootstrap.sh; ensure_frontend"], cwd=ROOT, check=True,
                       timeout=900)
    assert assets.MANIFEST.exists(), "ensure_frontend ran but wrote no static/designer/.vite/manifest.json"
    return assets.DESIGNER_DIR


@pytest.fixture
def calls_app(app: Flask) -> Iterator[Flask]:
    """The designer app with the test-call manager on the test Redis (skips only when Redis is absent)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    app.config["HOTLINE_REDIS_URL"] = REDIS_URL
    with app.app_context():
        calls = test_call_manager(app)
    yield app
    calls.close()


@pytest.fixture
def caller_api(calls_app: Flask) -> Callable[[str, str | None], Api]:
    """Signs a user in to the test-call app: `caller_api(username, tenant)` is their API client."""
    def sign_in(username: str, tenant: str | None = None) -> Api:
        client = Api(calls_app.test_client())
        assert client.login(username, tenant).status_code == 200
        return client

    return sign_in
