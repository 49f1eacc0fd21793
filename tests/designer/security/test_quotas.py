"""Per-tenant quotas: one tenant using up its quota leaves the others theirs (test calls, API, sends, exports)."""

from __future__ import annotations

import dataclasses

from flask import Flask

from hotline.designer.redis_access import SETTINGS
from hotline.platform.db import Database

from ..conftest import World


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
    assert "exports per hour" in page.get_data(as_text=True)
    assert b.get("/records/customers/export").status_code == 200
