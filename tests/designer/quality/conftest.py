"""Quality test fixtures: a fresh Redis key prefix for the ACD presence the live-listen and on-demand recording
endpoints check a call against (each test's agents and calls apart from every other's)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.conftest import REDIS_URL


@pytest.fixture
def prefix() -> Iterator[str]:
    """The ACD key prefix of one test; its keys are deleted afterwards."""
    name = f"t{uuid.uuid4().hex[:8]}:acd"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{name}*"))
    if keys:
        client.delete(*keys)
