"""Cost of server-side sessions per request: signed-in GET /api/session against an anonymous one.

Run: .venv/bin/python bench/web_sessions.py [database URL] — prints the median and p99 per request for both,
and the session lookup alone (one primary-key read; a write at most once a minute), so the share a
server-side session adds can be read off. Uses a throwaway SQLite file by default.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hotline.designer import create_app
from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.services import users
from hotline.platform.settings import load

ROUNDS = 500


def timed(client, rounds: int) -> list[float]:  # client: a Flask test client
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        assert client.get("/api/session").status_code == 200
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    db = Database(url)
    schema_migrations.upgrade(db)
    name = f"bench{uuid.uuid4().hex[:8]}"
    with db.platform() as session:
        users.create_user(session, name, "bench password 1", "bench")
    app = create_app(load(overrides={"web_secret_key": "bench-" + "k" * 40}), db)
    app.config["HOTLINE_LIMITS_NAMESPACE"] = f"bench{uuid.uuid4().hex[:8]}:"
    anonymous, signed = app.test_client(), app.test_client()
    token = signed.get("/api/session").get_json()["csrf_token"]
    assert signed.post("/api/session", json={"username": name, "password": "bench password 1"},
                       headers={"X-CSRFToken": token}).status_code == 200
    timed(anonymous, 50), timed(signed, 50)  # warm up
    for label, client in (("anonymous (signed cookie)", anonymous), ("signed in (server-side session)", signed)):
        samples = sorted(timed(client, ROUNDS))
        print(f"{db.dialect:10} {label:32} median {statistics.median(samples):.2f} ms  "
              f"p99 {samples[int(len(samples) * 0.99) - 1]:.2f} ms")
    cookie = signed.get_cookie("session").value
    with app.test_request_context("/api/session", headers={"Cookie": f"session={cookie}"}) as ctx:
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            app.session_interface.open_session(app, ctx.request)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(f"{db.dialect:10} {'of which the session lookup':32} median {statistics.median(samples):.2f} ms  "
          f"p99 {samples[int(len(samples) * 0.99) - 1]:.2f} ms")
    db.dispose()


if __name__ == "__main__":
    main()
