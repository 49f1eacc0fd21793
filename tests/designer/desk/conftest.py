"""Fixtures for the desk: the designer's world plus agents with skills, a real Redis ACD under a unique
prefix (the desk's and the test's), and a signed-in form client that sends the CSRF token like the pages."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
import redis
import redis.asyncio as aioredis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from hotline.designer.desk.acd_bridge import EXTENSION_KEY, DeskAcd
from hotline.platform.db import Database
from hotline.platform.models import AgentSkill, Role, User
from hotline.platform.services.tenants import get_tenant
from hotline.runtime.acd import Acd
from tests.conftest import REDIS_URL
from tests.designer.conftest import PASSWORD, World, make_user

T = TypeVar("T")


@pytest.fixture
def acd_prefix(redis_client: redis.Redis) -> Iterator[str]:
    prefix = f"t{uuid.uuid4().hex[:8]}:acd"
    yield prefix
    keys = list(redis_client.scan_iter(f"{prefix}*"))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture
def desk_app(app: Flask, redis_client: redis.Redis, acd_prefix: str) -> Flask:
    # Its own client: a served app's event streams may still poll for a moment after the test ends.
    app.extensions[EXTENSION_KEY] = DeskAcd(redis.Redis.from_url(REDIS_URL), lambda: aioredis.Redis.from_url(REDIS_URL),
                                            acd_prefix)
    return app


def in_thread(work: Callable[[], T], timeout: float = 60) -> T:
    """Runs `work` in a fresh thread: asyncio.run there never meets a loop Playwright keeps in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout)


def run_acd(prefix: str, work: Callable[[Acd], Awaitable[T]]) -> T:
    """Runs ACD work (as the runtime would) on its own asyncio client."""
    async def main() -> T:
        client = aioredis.Redis.from_url(REDIS_URL)
        try:
            return await work(Acd(client, prefix=prefix))
        finally:
            await client.aclose()
    return in_thread(lambda: asyncio.run(main()))


@dataclass(frozen=True)
class DeskWorld:
    world: World
    agent: str  # agent in A with skills, supervisor in nothing else
    agent_id: int
    shared: str  # agent in A and in B (a shared agent)
    shared_id: int


def tenant_id(db: Database, slug: str) -> int:
    with db.platform() as session:
        return get_tenant(session, slug).id


def user_id(db: Database, username: str) -> int:
    with db.platform() as session:
        from sqlalchemy import select
        return session.scalar(select(User.id).where(User.username == username))


def add_skills(db: Database, username: str, slug: str, **skills: int) -> None:
    uid = user_id(db, username)
    tid = tenant_id(db, slug)
    with db.tenant(tid) as session:
        for skill, level in skills.items():
            session.add(AgentSkill(tenant_id=tid, user_id=uid, skill=skill, level=level))


@pytest.fixture(scope="module")
def desk_world(db: Database, world: World) -> DeskWorld:
    agent = make_user(db, {world.tenant_a: [Role.AGENT]})
    add_skills(db, agent, world.tenant_a, express_general=2, complaint=1)
    shared = make_user(db, {world.tenant_a: [Role.AGENT], world.tenant_b: [Role.AGENT]})
    add_skills(db, shared, world.tenant_a, express_general=1)
    add_skills(db, shared, world.tenant_b, express_general=3)
    return DeskWorld(world, agent, user_id(db, agent), shared, user_id(db, shared))


class Browser:
    """A signed-in test client posting HTML forms with the session's CSRF token (as the pages' forms do)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def login(self, username: str, tenant: str) -> Browser:
        self.token = self.client.get("/api/session").get_json()["csrf_token"]
        response = self.client.post("/api/session", json={"username": username, "password": PASSWORD,
                                                          "tenant": tenant}, headers={"X-CSRFToken": self.token})
        assert response.status_code == 200, response.get_json()
        self.token = response.get_json()["csrf_token"]
        return self

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, csrf: bool = True, **kwargs: Any) -> TestResponse:
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.token
        return self.client.post(url, data=form, **kwargs)

    def post_json(self, url: str, body: Any, csrf: bool = True) -> TestResponse:
        headers = {"X-CSRFToken": self.token} if csrf else {}
        return self.client.post(url, json=body, headers=headers)


@pytest.fixture
def browser_as(desk_app: Flask) -> Callable[[str, str], Browser]:
    return lambda username, tenant: Browser(desk_app.test_client()).login(username, tenant)


def input_value(html: str, name: str) -> str | None:
    """The value attribute of the input named `name` in a page (None when absent)."""
    match = re.search(r'<input[^>]*\bname="' + re.escape(name) + r'"[^>]*>', html)
    if match is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return value.group(1) if value else ""
