"""Every request has a time limit (`web.request_timeout`): past it, the next SQL statement or template render
stops the request with a 503 and Retry-After, instead of a gunicorn thread working on for minutes."""

from __future__ import annotations

import pytest
from flask import Flask, render_template
from sqlalchemy import text

from hotline.designer import create_app
from hotline.designer.request_deadline import CLOCK
from hotline.platform.db import Database
from hotline.platform.settings import load

from .conftest import TEST_SECRET_KEY


def _slow_views(app: Flask) -> list[float]:
    clock = [1000.0]
    app.extensions[CLOCK] = lambda: clock[0]

    def query() -> str:
        clock[0] += 31  # the view has worked past the 30 s limit ...
        with app.extensions["hotline.db"].platform() as session:  # ... and then asks the database
            session.execute(text("SELECT 1"))
        return "finished"

    def render() -> str:
        clock[0] += 31
        return render_template("error.html", status=200, message="finished")

    app.add_url_rule("/test-slow-query", "slow_query", query)
    app.add_url_rule("/api/test-slow-query", "api_slow_query", query)
    app.add_url_rule("/test-slow-render", "slow_render", render)
    return clock


def test_a_request_past_its_limit_is_answered_503_with_retry_after(app: Flask) -> None:
    _slow_views(app)
    client = app.test_client()
    for url in ("/test-slow-query", "/test-slow-render"):
        page = client.get(f"{url}?lang=zh_CN")
        assert page.status_code == 503, url
        assert page.headers["Retry-After"] == "5"
        body = page.get_data(as_text=True)  # one language per page (QA 13 #5): Chinese ...
        assert "超过了服务器 30 秒的上限" in body and "服务暂不可用" in body and "longer than" not in body
        english = client.get(f"{url}?lang=en").get_data(as_text=True)  # ... English on request
        assert "longer than the server&#39;s limit of 30 seconds" in english and "超过" not in english
    answer = client.get("/api/test-slow-query")
    assert answer.status_code == 503 and "limit of 30 seconds" in answer.get_json()["error"]
    assert answer.headers["Retry-After"] == "5"
    assert client.get("/login").status_code == 200  # a request within its limit is untouched


@pytest.mark.postgres
def test_postgres_statements_are_bounded_by_the_same_limit(postgres_database: Database) -> None:
    fresh = Database(postgres_database.url)  # new connections: the limit is set as each one opens
    try:
        create_app(load(overrides={"web_secret_key": TEST_SECRET_KEY, "web_request_timeout": 7}), fresh)
        with fresh.engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "7s"
    finally:
        fresh.dispose()
