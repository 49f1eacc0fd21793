"""`hotline serve` runs gunicorn with threaded workers from the settings and answers /healthz."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hotline.cli.production_server import gunicorn_options
from hotline.platform.settings import SettingsError, load

SERVE_KEY = "k3Y-9vQ_tz7LpW2xRc8NbF4mHs6JdG1e-serve"  # serve refuses a short or repetitive key
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_workers_threads_and_timeouts_come_from_the_settings_and_the_environment() -> None:
    options = gunicorn_options(load(environ={"HOTLINE_WEB_WORKERS": "3", "HOTLINE_WEB_THREADS": "40"}))
    assert options["worker_class"] == "gthread"
    assert (options["workers"], options["threads"], options["timeout"]) == (3, 40, 60)
    assert options["preload_app"] is False  # every worker its own database engine and Redis connections
    with pytest.raises(SettingsError, match=r"web\.threads"):
        load(environ={"HOTLINE_WEB_THREADS": "0"})


@pytest.mark.slow
def test_serve_runs_gunicorn_and_answers_healthz(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0", "HOTLINE_WEB_PORT": str(port),
           "HOTLINE_WEB_WORKERS": "2", "HOTLINE_WEB_THREADS": "4", "HOTLINE_WEB_SECRET_KEY": SERVE_KEY}
    subprocess.run([sys.executable, "-m", "hotline.cli", "init-db"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "hotline.cli", "serve"], env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        # gunicorn boots its arbiter and then each worker imports the app: seconds alone, far longer on a loaded
        # machine. Poll up to a generous deadline (or until serve exits), then until both workers have logged
        # their boot: the first worker can answer /healthz before the second one has started.
        body, server = None, ""
        deadline = time.monotonic() + 120
        while body is None and time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                    body, server = json.loads(response.read()), response.headers.get("Server", "")
            except OSError:
                time.sleep(0.1)
        while (tmp_path / "serve.log").read_text().count("Booting worker") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        output = (tmp_path / "serve.log").read_text()
        assert body is not None, output
        assert body["status"] == "ok" and body["database"]["dialect"] == "sqlite"
        assert "gunicorn" in server.lower()
        assert "gthread" in output and output.count("Booting worker") == 2
    finally:
        process.terminate()
        process.wait(20)
        log.close()


def test_serve_on_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = {**os.environ, "HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}",
               "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0", "HOTLINE_WEB_PORT": str(port),
               "HOTLINE_WEB_SECRET_KEY": SERVE_KEY}  # serve refuses to start without a real key
        done = subprocess.run([sys.executable, "-m", "hotline.cli", "serve"], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and f"port {port} on 127.0.0.1 is already in use" in errors[0], done.stderr
    assert "[web] port" in errors[0] and "HOTLINE_WEB_PORT" in errors[0]
