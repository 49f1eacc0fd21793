"""No database connection (a closed port, or a pool whose connections are all in use): the client gets the
project's 503 page or JSON error with Retry-After, never werkzeug's bare 500 — also when the request's
server-side session could not even be read (docs/serving.md, the load runs)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import text

from hotline.designer import create_app
from hotline.platform.db import Database
from hotline.platform.settings import load

from .conftest import TEST_SECRET_KEY

#: A server-side session cookie (sessions.py): reading it needs the database.
SIGNED_IN_COOKIE = "s." + "x" * 43
MESSAGE_ZH = "服务器繁忙或暂时无法连接数据库"


def _app(db: Database) -> Flask:
    app = create_app(load(overrides={"web_locale": "zh_CN", "web_secret_key": TEST_SECRET_KEY}), db)

    def needs_database() -> str:
        with db.platform() as session:
            return str(session.execute(text("SELECT 1")).scalar())

    app.add_url_rule("/test-needs-database", "needs_database", needs_database)
    app.add_url_rule("/api/test-needs-database", "api_needs_database", needs_database)
    return app


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens there


def _assert_unavailable(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    client = app.test_client()
    client.set_cookie("session", SIGNED_IN_COOKIE)
    for url in ("/", "/test-needs-database"):  # the session's own read, then a view's query
        with caplog.at_level(logging.WARNING):
            page = client.get(url)
        assert page.status_code == 503, url
        assert page.headers["Retry-After"] == "5"
        body = page.get_data(as_text=True)
        assert MESSAGE_ZH in body and "服务暂不可用" in body, body[:500]  # ours, in the user's language
        assert "<!doctype html>" in body.lower() and "Internal Server Error" not in body
    assert "database unavailable" in caplog.text  # the cause is logged
    english = client.get("/test-needs-database?lang=en").get_data(as_text=True)
    assert "cannot reach its database" in english
    answer = client.get("/api/test-needs-database")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "cannot reach its database" in answer.get_json()["error"]


@pytest.mark.postgres
def test_an_unreachable_database_is_answered_with_our_503_page(caplog: pytest.LogCaptureFixture) -> None:
    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/hotline", pool_timeout=1)
    try:
        _assert_unavailable(_app(db), caplog)
    finally:
        db.dispose()


@pytest.fixture
def one_connection(postgres_database: Database) -> Iterator[Database]:
    db = Database(postgres_database.url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    db.use_secret_key(TEST_SECRET_KEY)
    yield db
    db.dispose()


@pytest.mark.postgres
def test_an_exhausted_connection_pool_is_answered_with_our_503_page(one_connection: Database,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    app = _app(one_connection)
    with one_connection.engine.connect():  # the pool's only connection, held by someone else
        _assert_unavailable(app, caplog)
    assert app.test_client().get("/test-needs-database").get_data(as_text=True) == "1"  # and back after
