"""schemathesis over /api/openapi.json against the WSGI app: no 5xx, and every response matches the schema.

Signed in as an analyst of a tenant cloned from the express template (so the generated document names
sometimes exist), on PostgreSQL, with a handful of examples per operation so the whole run stays
within about a minute. Sign-out is left out: it would end the session the rest of the run uses.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hotline.platform.db import Database
from tests.designer.conftest import PASSWORD, World

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def db(postgres_database: Database) -> Database:
    return postgres_database


@pytest.fixture
def api_schema(app: Flask) -> Any:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # Generated cases only (no exhaustive coverage phase): a bounded run, about a minute in all.
    schema.config.phases.update(phases=["examples", "fuzzing"])
    return schema


@pytest.fixture
def signed_in(app: Flask, world: World) -> dict[str, str]:
    """Cookie and CSRF token of an analyst working in tenant A."""
    client = app.test_client()
    token = client.get("/api/session").get_json()["csrf_token"]
    response = client.post("/api/session", json={"username": world.analyst_a, "password": PASSWORD,
                                                 "tenant": world.tenant_a}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    cookie = client.get_cookie("session")
    assert cookie is not None
    return {"session": cookie.value, "csrf": response.get_json()["csrf_token"]}


schema = schemathesis.pytest.from_fixture("api_schema")
STATUS: list = []


def teardown_module() -> None:
    import collections
    print(collections.Counter(STATUS))


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_answers_as_documented(case: Any, signed_in: dict[str, str]) -> None:
    if (case.method, case.path) == ("DELETE", "/api/session"):
        return  # signing out would end the session the other operations use
    headers = dict(case.headers or {})
    headers["X-CSRFToken"] = signed_in["csrf"]
    case.headers = headers
    case.cookies = {**(case.cookies or {}), "session": signed_in["session"]}
    response = case.call()
    STATUS.append((case.method, case.path, response.status_code))
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:500])
    case.validate_response(response, checks=[status_code_conformance, content_type_conformance,
                                             response_schema_conformance])
