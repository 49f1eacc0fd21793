"""Issue 16, item 5: `hotline up` with a reachable Redis must run a job worker (published dispatch rules never
ran: the demo counted on `hotline worker` processes nobody had started). The real command, on the test Redis:
a worker the designer can see (platform/jobs/liveness.py) appears while it runs and is gone after it stops."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotline.platform.jobs import queues_for
from hotline.platform.jobs.liveness import alive_workers
from hotline.platform.redis_conn import connect
from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_up_on_a_reachable_redis_runs_a_job_worker_the_designer_sees(tmp_path: Path) -> None:
    connections = connect(REDIS_URL, True)
    assert not connections.embedded
    queues = queues_for(connections)  # the deployment's queues, as `hotline up` and the web app name them
    before = set(alive_workers(queues))  # other processes on this shared server may run workers of their own
    env = {**os.environ, "HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'up.sqlite3'}",
           "HOTLINE_WEB_PORT": str(_free_port()), "HOTLINE_ESL_PORT": str(_free_port()),
           "HOTLINE_RUNTIME_SOCKET_PORT": str(_free_port()), "HOTLINE_REDIS_URL": REDIS_URL}
    log_path = tmp_path / "up.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "hotline.cli", "up"], env=env, cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            ours: set[str] = set()
            deadline = time.monotonic() + 60
            while not ours:
                assert process.poll() is None, log_path.read_text()[-2000:]
                assert time.monotonic() < deadline, "no job worker appeared:\n" + log_path.read_text()[-2000:]
                time.sleep(0.2)
                ours = set(alive_workers(queues)) - before
            while "Hotline is up" not in log_path.read_text():  # signals are handled from then on
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()[-2000:]
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(30)
    assert not ours & set(alive_workers(queues)), "the stopped worker still counts as alive"


def test_the_demos_worker_schedules_the_periodic_jobs_as_hotline_worker_does(queues) -> None:
    """The worker thread ran jobs but scheduled none: SLA sweeps, report e-mails and attendance never ran."""
    from hotline.cli.stack import start_job_worker

    worker = start_job_worker(queues)
    try:
        scheduled = queues.default.scheduled_job_registry.get_job_ids()
        descriptions = {queues.default.fetch_job(job_id).description for job_id in scheduled}
    finally:
        worker.stop()
    assert {"dispatch sweep", "scheduled report e-mails", "copy agent-state changes for attendance"} <= descriptions
