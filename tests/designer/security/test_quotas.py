"""Per-tenant quotas: one tenant using up its quota leaves the others theirs (test calls, API, sends, exports)."""

from __future__ import annotations

import dataclasses
import io

import pytest
from flask import Flask

from hotline.designer.api.test_calls import manager
from hotline.designer.redis_access import SETTINGS
from hotline.platform.db import Database

from ..conftest import Api, World


def limits(app: Flask, **values: int) -> None:
    app.extensions[SETTINGS] = dataclasses.replace(app.extensions[SETTINGS], **values)


def test_tenant_a_exhausting_its_test_calls_leaves_tenant_b_its_own(app: Flask, api_as, world: World) -> None:
    limits(app, limits_test_calls_per_tenant_per_hour=3)
    a, b = api_as(world.analyst_a, world.tenant_a), api_as(world.analyst_b, world.tenant_b)
    body = {"name": "no_such_ivr"}  # refused after the quota check: nothing to hang up afterwards
    assert [a.post("/api/test-calls", body).status_code for _ in range(3)] == [404] * 3
    refused = a.post("/api/test-calls", body)
    assert refused.status_code == 429
    assert "test calls per hour" in refused.get_json()["error"]
    assert int(refused.headers["Retry-After"]) > 0
    assert b.post("/api/test-calls", body).status_code == 404  # B is not held back by A


def test_api_requests_are_counted_per_tenant(app: Flask, api_as, world: World) -> None:
    limits(app, limits_api_requests_per_tenant_per_minute=5)
    a, b = api_as(world.analyst_a, world.tenant_a), api_as(world.analyst_b, world.tenant_b)
    statuses = [a.get("/api/documents").status_code for _ in range(8)]
    assert 429 in statuses and statuses[0] == 200
    assert b.get("/api/documents").status_code == 200


def test_exports_are_counted_per_tenant(app: Flask, api_as, world: World, db: Database) -> None:
    limits(app, limits_exports_per_tenant_per_hour=2)
    a, b = api_as(world.admin_a, world.tenant_a), api_as(world.operator, world.tenant_b)
    assert [a.get("/records/customers/export").status_code for _ in range(2)] == [200, 200]
    page = api_as(world.operator, world.tenant_a).get("/records/customers/export")  # same tenant, same quota
    assert page.status_code == 429
    assert "每小时导出配额（2）已用完" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) > 0  # the page speaks the user's language
    assert b.get("/records/customers/export").status_code == 200


OPEN = "2026-11-23T10:00:00+08:00"  # a Monday morning in Beijing: the express IVR is open


@pytest.mark.redis
@pytest.mark.slow
def test_running_test_calls_are_capped_per_tenant_not_per_server(calls_app: Flask, world: World) -> None:
    calls = manager(calls_app)
    calls.per_tenant, calls.total = 2, 100

    def client(username: str, tenant: str) -> Api:
        api = Api(calls_app.test_client())
        assert api.login(username, tenant).status_code == 200
        return api

    started: list[tuple[Api, str]] = []
    try:
        for username in (world.analyst_a, world.supervisor_a):
            api = client(username, world.tenant_a)
            response = api.post("/api/test-calls", {"name": "main", "at": OPEN})
            assert response.status_code == 201, response.get_json()
            started.append((api, response.get_json()["id"]))
        refused = client(world.admin_a, world.tenant_a).post("/api/test-calls", {"name": "main", "at": OPEN})
        assert refused.status_code == 429 and "your organisation" in refused.get_json()["error"]
        # QA 10.5: the 429 says when to come back, at most when the first call hangs up for idling.
        assert 0 < int(refused.headers["Retry-After"]) <= calls.idle_seconds
        b = client(world.analyst_b, world.tenant_b)
        response = b.post("/api/test-calls", {"name": "main", "at": OPEN})
        assert response.status_code == 201, response.get_json()  # tenant B still gets its calls
        started.append((b, response.get_json()["id"]))
    finally:
        for api, call_id in started:
            api.write("delete", f"/api/test-calls/{call_id}")


@pytest.mark.redis
@pytest.mark.slow
def test_the_per_user_test_call_limit_says_when_to_retry(calls_app: Flask, world: World) -> None:
    """QA 10.5: "you already have 2 test calls running" came without Retry-After; every 429 carries it."""
    calls = manager(calls_app)
    calls.per_user, calls.per_tenant, calls.total = 1, 5, 100
    api = Api(calls_app.test_client())
    assert api.login(world.analyst_a, world.tenant_a).status_code == 200
    first = api.post("/api/test-calls", {"name": "main", "at": OPEN})
    assert first.status_code == 201, first.get_json()
    try:
        refused = api.post("/api/test-calls", {"name": "main", "at": OPEN})
        assert refused.status_code == 429 and "you already have 1" in refused.get_json()["error"]
        assert 0 < int(refused.headers["Retry-After"]) <= calls.idle_seconds
    finally:
        api.write("delete", f"/api/test-calls/{first.get_json()['id']}")
        calls.per_user = 2


def test_desk_sends_are_counted_per_tenant(app: Flask, api_as, world: World) -> None:
    limits(app, limits_desk_sends_per_tenant_per_minute=2)
    a, b = api_as(world.agent_a, world.tenant_a), api_as(world.operator, world.tenant_b)
    body = {"entry_id": 2**31 - 1, "message": "请上门"}  # the quota is counted before the entry is looked up
    assert [a.post("/records/api/coverage/notify", body).status_code for _ in range(2)] == [404, 404]
    refused = a.post("/records/api/coverage/notify", body)
    assert refused.status_code == 429 and "配额" in refused.get_json()["error"]
    assert int(refused.headers["Retry-After"]) > 0  # the records API says how long to wait, as the others do
    assert b.post("/records/api/coverage/notify", body).status_code == 404


def test_imports_are_counted_per_tenant(app: Flask, api_as, world: World) -> None:
    limits(app, limits_imports_per_tenant_per_hour=1)
    a = api_as(world.admin_a, world.tenant_a)

    def upload(api: Api) -> int:
        data = {"file": (io.BytesIO(b"name,phone\n"), "c.txt"), "csrf_token": api.refresh_token()}
        return api.client.post("/records/customers/import", data=data,
                               content_type="multipart/form-data").status_code

    assert upload(a) != 429
    assert upload(a) == 429
    assert upload(api_as(world.operator, world.tenant_b)) != 429


def _large_validation(api: Api, size: int = 300_000) -> tuple[str, str, dict]:
    """A document of the tenant and a candidate body of about `size` bytes for its validate endpoint."""
    doc = api.get("/api/documents").get_json()["documents"][0]
    candidate = {"title": "big", "padding": ["x" * 50_000] * (size // 50_000)}
    return doc["kind"], doc["name"], {"body": candidate}


def test_a_second_large_document_check_of_one_tenant_waits_while_another_tenant_goes_through(
        app: Flask, api_as, world: World, db: Database) -> None:
    from hotline.designer import quotas
    from hotline.platform.services.tenants import get_tenant

    a, b = api_as(world.analyst_a, world.tenant_a), api_as(world.analyst_b, world.tenant_b)
    kind, name, body = _large_validation(a)
    with db.platform() as session:
        tenant_a = get_tenant(session, world.tenant_a).id
    # Tenant A's first large check is running (held exactly as the view holds it) ...
    with app.test_request_context("/api/documents"), quotas.document_work(tenant_a, 3_000_000):
        refused = a.post(f"/api/documents/{kind}/{name}/validate", body)
        assert refused.status_code == 429, refused.get_json()
        assert "large document" in refused.get_json()["error"]
        assert 0 < int(refused.headers["Retry-After"]) <= 5
        # ... which does not hold back tenant B's, nor A's small documents.
        kind_b, name_b, body_b = _large_validation(b)
        assert b.post(f"/api/documents/{kind_b}/{name_b}/validate", body_b).status_code == 200
        assert a.post(f"/api/documents/{kind}/{name}/validate", {"body": {"title": "t"}}).status_code == 200
    # The place is given back when the check ends.
    assert a.post(f"/api/documents/{kind}/{name}/validate", body).status_code == 200


def test_document_bytes_checked_per_minute_are_budgeted_per_tenant(app: Flask, api_as, world: World) -> None:
    limits(app, limits_document_bytes_per_tenant_per_minute=500_000)
    a, b = api_as(world.analyst_a, world.tenant_a), api_as(world.analyst_b, world.tenant_b)
    kind, name, body = _large_validation(a)
    assert a.post(f"/api/documents/{kind}/{name}/validate", body).status_code == 200
    refused = a.post(f"/api/documents/{kind}/{name}/validate", body)
    assert refused.status_code == 429 and "document bytes checked per minute" in refused.get_json()["error"]
    assert int(refused.headers["Retry-After"]) > 0
    kind_b, name_b, body_b = _large_validation(b)
    assert b.post(f"/api/documents/{kind_b}/{name_b}/validate", body_b).status_code == 200
