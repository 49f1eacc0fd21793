"""`/healthz` for the load balancer: 200 with the database and Redis answering, 503 naming what is down."""

from __future__ import annotations

import pytest
from flask import Flask

from hotline.designer import create_app
from hotline.designer.redis_access import EXTENSION
from hotline.platform.db import Database
from hotline.platform.redis_conn import connect
from hotline.platform.settings import load
from tests.conftest import REDIS_URL

SETTINGS = {"web_secret_key": "test-secret-key-0123456789-abcdefghijklmnop"}


@pytest.mark.redis
def test_healthz_answers_ok_when_the_database_and_redis_answer(db: Database) -> None:
    app: Flask = create_app(load(overrides=SETTINGS), db, connect(REDIS_URL))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["dialect"] == db.dialect
    assert body["redis"] == {"ok": True, "embedded": False, "ms": body["redis"]["ms"]}


def test_healthz_is_503_when_redis_is_required_and_gone(db: Database) -> None:
    app = create_app(load(overrides={**SETTINGS, "redis_url": "redis://127.0.0.1:1/0", "redis_required": True}), db)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["database"]["ok"] is True
    assert body["redis"] == {"ok": False, "error": "RuntimeError"}
    assert "127.0.0.1:1" not in response.get_data(as_text=True)  # no configuration leaks


def test_healthz_is_503_when_the_database_is_gone() -> None:
    broken = Database("postgresql+psycopg://hotline@127.0.0.1:1/nowhere")  # nothing listens on port 1
    app = create_app(load(overrides=SETTINGS), broken)
    app.extensions[EXTENSION] = connect("redis://127.0.0.1:1/0")  # the in-process stand-in answers
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["ok"] is False
    assert response.get_json()["redis"]["ok"] is True
    assert "nowhere" not in response.get_data(as_text=True)
