"""Issue 16, item 5: whether a job worker is alive on the queues (the designer warns when none is).

Both kinds count: an `rq worker` process (RQ's own registration, `hotline worker`) and the in-process
worker thread (`hotline up`), which keeps a heartbeat of its own; a stopped one stops counting."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from rq import Worker

from hotline.platform.jobs import Queues
from hotline.platform.jobs.liveness import alive_workers

pytestmark = pytest.mark.redis


def _until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


def test_no_worker_on_fresh_queues(queues: Queues) -> None:
    assert alive_workers(queues) == []


def test_the_in_process_worker_thread_counts_while_it_runs(queues: Queues) -> None:
    thread = queues.worker_thread(poll_interval=0.1)
    thread.start()
    try:
        _until(lambda: alive_workers(queues) == [thread.worker.name])
    finally:
        thread.stop()
    assert alive_workers(queues) == []  # stopped on purpose: gone at once, not after the heartbeat expires


def test_a_registered_rq_worker_process_counts_until_it_dies(queues: Queues) -> None:
    worker = Worker(queues.all(), connection=queues.connection)
    worker.register_birth()
    try:
        assert alive_workers(queues) == [worker.name]
    finally:
        worker.register_death()
    assert alive_workers(queues) == []


def test_a_worker_on_other_queues_does_not_count(queues: Queues, redis_client) -> None:
    elsewhere = Queues(redis_client, prefix=queues.prefix + "other-")
    thread = elsewhere.worker_thread(poll_interval=0.1)
    thread.start()
    try:
        _until(lambda: bool(alive_workers(elsewhere)))
        assert alive_workers(queues) == []
    finally:
        thread.stop()
