"""Campaign page fixtures: an app whose ACD view reads a real Redis on a fresh key prefix, a campaign operator of
tenant A, and helpers to post the pages' forms with the session's CSRF token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from hotline.designer.wallboard.source import READER_KEY
from hotline.platform.db import Database
from hotline.platform.models import Role
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import World, make_user
from tests.platform.wallboard_helpers import AcdWorld


@pytest.fixture
def acd_world() -> Iterator[AcdWorld]:
    world = AcdWorld()
    yield world
    world.close()


@pytest.fixture
def app(app: Flask, acd_world: AcdWorld, db: Database) -> Flask:
    app.extensions[READER_KEY] = acd_world.reader()
    app.config["HOTLINE_CAMPAIGN_STREAM_SECONDS"] = 0.3
    app.config["HOTLINE_CAMPAIGN_STREAM_INTERVAL"] = 0.05
    return app


@pytest.fixture(scope="module")
def campaigner(db: Database, world: World) -> str:
    return make_user(db, {world.tenant_a: [Role.CAMPAIGN_OPERATOR]})


def tenant_id(db: Database, slug: str) -> int:
    with db.platform() as session:
        return get_tenant(session, slug).id


def form_post(client, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """A browser form post: the fields plus the session's CSRF token."""
    return client.client.post(url, data={**(data or {}), "csrf_token": client.token or client.refresh_token()},
                              **kwargs)
