"""The README's first command: `hotline up` serves the web application, the runtime and the simulator on
the embedded defaults (SQLite, no Redis), and a call originated on the simulator's ESL port reaches the
demo tenant's IVR."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_frame(stream) -> tuple[dict[str, str], str]:  # stream: a socket file
    headers: dict[str, str] = {}
    while True:
        line = stream.readline().decode().strip()
        if not line:
            break
        name, _, value = line.partition(": ")
        headers[name] = value
    length = int(headers.get("Content-Length", 0))
    return headers, stream.read(length).decode() if length else ""


def test_up_serves_web_runtime_and_simulator_on_embedded_defaults(tmp_path: Path) -> None:
    database = tmp_path / "up.sqlite3"
    web, esl = _free_port(), _free_port()
    env = {**os.environ, "HOTLINE_DATABASE_URL": f"sqlite:///{database}", "HOTLINE_WEB_PORT": str(web),
           "HOTLINE_ESL_PORT": str(esl), "HOTLINE_RUNTIME_SOCKET_PORT": str(_free_port()),
           "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0"}  # nothing listens there: the in-process stand-in
    log = (tmp_path / "up.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "hotline.cli", "up"], env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if "Hotline is up" in (tmp_path / "up.log").read_text() or process.poll() is not None:
                break
            time.sleep(0.1)
        output = (tmp_path / "up.log").read_text()
        assert "Hotline is up" in output, output
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/api/health", timeout=5) as response:
            assert response.status == 200
        with socket.create_connection(("127.0.0.1", esl), timeout=5) as conn:
            stream = conn.makefile("rb")
            assert _read_frame(stream)[0]["Content-Type"] == "auth/request"
            conn.sendall(b"auth ClueCon\n\n")
            assert _read_frame(stream)[0]["Reply-Text"] == "+OK accepted"
            conn.sendall(b"api originate {origination_caller_id_number=13801234501}"
                         b"loopback/4008001234/default &park()\n\n")
            reply = _read_frame(stream)[1]
            assert reply.startswith("+OK"), reply
            time.sleep(3)  # the caller listens to the welcome prompt, then hangs up
            conn.sendall(f"api uuid_kill {reply.split()[1]}\n\n".encode())
            assert _read_frame(stream)[1].startswith("+OK")
        calls: list[tuple[str, str, str]] = []
        for _ in range(100):
            with sqlite3.connect(database) as db:
                calls = db.execute("select caller, did, outcome from call_record").fetchall()
            if calls:
                break
            time.sleep(0.2)
        assert calls == [("13801234501", "4008001234", "caller_hangup")], (tmp_path / "up.log").read_text()[-2000:]
    finally:
        process.terminate()
        process.wait(20)
        log.close()
