"""Fixtures for the records pages: the tenants' ids, a signed-in page client that sends the CSRF token in
forms, and `run_worker` for the real RQ queues (the `queues` fixture of tests/designer/conftest.py: Redis
database 15, a unique prefix per test, put in the app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from hotline.platform.db import Database
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import PASSWORD, World
from tests.jobs_support import run_worker

__all__ = ["Pages", "pages_as", "run_worker", "tenant_ids"]


@pytest.fixture(scope="module")
def tenant_ids(db: Database, world: World) -> dict[str, int]:
    with db.platform() as session:
        return {"a": get_tenant(session, world.tenant_a).id, "b": get_tenant(session, world.tenant_b).id}


class Pages:
    """A signed-in browser-like client of the HTML pages: posts forms with the page's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def token(self) -> str:
        return self.client.get("/api/session").get_json()["csrf_token"]

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, csrf: bool = True, **kwargs: Any) -> TestResponse:
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.token()
        return self.client.post(url, data=data, **kwargs)

    def json(self, method: str, url: str, body: Any = None, csrf: bool = True) -> TestResponse:
        headers = {"X-CSRFToken": self.token()} if csrf else {}
        return self.client.open(url, method=method, json=body, headers=headers)


@pytest.fixture
def pages_as(app: Flask) -> Callable[..., Pages]:
    def sign_in(username: str, tenant: str | None = None) -> Pages:
        client = app.test_client()
        token = client.get("/api/session").get_json()["csrf_token"]
        body: dict[str, Any] = {"username": username, "password": PASSWORD}
        if tenant:
            body["tenant"] = tenant
        response = client.post("/api/session", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 200, response.get_json()
        return Pages(client)

    return sign_in

