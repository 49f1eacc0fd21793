"""Fixtures for the dispatch tests: the real-Redis job fixtures of tests/platform/jobs, and a Database whose
notifier has the dispatch sink (its own engine, so the sink does not outlive the test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hotline.platform.db import Database
from hotline.platform.dispatch.events import attach
from hotline.platform.jobs import Queues
from tests.platform.jobs.conftest import BurstWorker, job_database, queues, receiver, redis_client, worker

__all__ = ["BurstWorker", "job_database", "queues", "receiver", "redis_client", "worker"]


@pytest.fixture
def dispatching_db(db: Database, queues: Queues) -> Iterator[Database]:
    """The test database, with ticket and call events enqueued on `queues` after commit."""
    database = Database(db.url)
    attach(database, queues)
    yield database
    database.dispose()
