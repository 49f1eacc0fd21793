"""Wallboard fixtures: an app whose wallboard reads a real Redis on a fresh ACD key prefix, and the ids of the
`world` fixture's tenants."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from hotline.designer.wallboard.source import READER_KEY
from hotline.platform.db import Database
from hotline.platform.services.tenants import get_tenant
from tests.platform.wallboard_helpers import AcdWorld


@pytest.fixture
def acd_world() -> Iterator[AcdWorld]:
    world = AcdWorld()
    yield world
    world.close()


@pytest.fixture
def app(app: Flask, acd_world: AcdWorld, db: Database) -> Flask:
    # `db` named here too: pytest finds the parametrised database only through fixtures a test names
    app.extensions[READER_KEY] = acd_world.reader()
    app.config["HOTLINE_WALLBOARD_STREAM_SECONDS"] = 0.6
    app.config["HOTLINE_WALLBOARD_STREAM_INTERVAL"] = 0.05
    return app


def tenant_id(db: Database, slug: str) -> int:
    with db.platform() as session:
        return get_tenant(session, slug).id
