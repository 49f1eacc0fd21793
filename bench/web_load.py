"""The web tier under load: `hotline serve` (gunicorn, gthread) against Flask's development server, same run.

Builds a tenant from the express-delivery template in a throwaway PostgreSQL database, with signed-in agents,
supervisors and analysts, then for each server in turn (same database, same Redis) runs them all at once for
`--seconds`:

* every agent holds the desk's event stream (`/desk/events`, server-sent events) open for the whole run and,
  in a second connection, creates a pickup ticket through the desk's form (`POST /desk/tickets/new/…`) and
  reads its presence (`GET /desk/api/state`) in a loop with `--think` seconds between actions;
* every supervisor holds the wallboard's event stream and reads the figures (`GET /wallboard/api/figures`);
* every analyst saves a draft of its own IVR document (`PUT /api/documents/ivr/…/draft`, a 60-node IVR).

Prints, per server: requests/s, p50 and p99 per endpoint, errors (status or exception, per endpoint), the
streams held and their events; then the ratio gunicorn / development server. Timings are printed, never
asserted. The load generator runs on the same machine as the server (threads, http.client), so on a small
machine it competes with the server for the CPU: read the figures as a comparison of the two servers under
the same load, not as the capacity of a production host.

    python bench/web_load.py [--agents 40] [--supervisors 4] [--analysts 4] [--seconds 30] [--think 1.0]
                             [--workers 2] [--threads 64]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from hotline.platform import schema_migrations  # noqa: E402
from hotline.platform.db import Database  # noqa: E402
from hotline.platform.models import AgentSkill, Role, Skill  # noqa: E402
from hotline.platform.services import templates, users  # noqa: E402

PG = os.environ.get("HOTLINE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("HOTLINE_BENCH_REDIS", "redis://127.0.0.1:6379/14")
PASSWORD = "bench-password-1"
TENANT = "benchweb"
PICKUP = {"phone": "13800138000", "address": "北京市朝阳区望京SOHO T1", "pickup_time": "今天18:00前",
          "parcel_type": "document", "weight_kg": "1.5", "payment": "sender", "source": "phone"}


# -- the world --------------------------------------------------------------------------------------------------


def build_world(db: Database, agents: int, supervisors: int, analysts: int) -> dict[str, list[str]]:
    """The tenant and its people (one password hash, copied: hashing 50 users would take longer than the run)."""
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("express_delivery"), TENANT, None, "bench",
                                 dids=["4008009999"])
        first = users.create_user(session, "bench-agent-0", PASSWORD, "bench")
        digest = first.password_hash
        names: dict[str, list[str]] = {"agent": [], "supervisor": [], "analyst": []}
        skills = list(session.scalars(select(Skill.name).where(Skill.tenant_id == tenant.id)))
        for role, count, grant in (("agent", agents, Role.AGENT), ("supervisor", supervisors, Role.SUPERVISOR),
                                   ("analyst", analysts, Role.ANALYST)):
            for i in range(count):
                name = f"bench-{role}-{i}"
                user = first if name == "bench-agent-0" else users.create_user(session, name, "placeholder-9x", "bench")
                user.password_hash = digest
                users.grant(session, user, tenant, grant, "bench")
                if grant is Role.AGENT:
                    session.add_all(AgentSkill(tenant_id=tenant.id, user_id=user.id, skill=s, level=1)
                                    for s in skills)
                names[role].append(name)
    return names


# -- a signed-in browser -------------------------------------------------------------------------------------------


class Client:
    """One browser: a keep-alive connection, the session cookie and the CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
        sent = {**(headers or {}), **({"Cookie": self.cookie} if self.cookie else {})}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data, response

    def json(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        payload = json.dumps(body).encode() if body is not None else None
        status, data, _ = self.request(method, path, payload, {"Content-Type": "application/json",
                                                               "X-CSRFToken": self.token})
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, None

    def sign_in(self, username: str) -> None:
        _, found = self.json("GET", "/api/session")
        self.token = found["csrf_token"]
        status, found = self.json("POST", "/api/session", {"username": username, "password": PASSWORD,
                                                           "tenant": TENANT})
        if status != 200:
            raise RuntimeError(f"sign-in of {username} answered {status}: {found}")
        self.token = found["csrf_token"]


# -- the measurements ------------------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    streams: int = 0
    stream_events: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, endpoint: str, call: Callable[[], int], ok: tuple[int, ...]) -> None:
        started = time.perf_counter()
        try:
            status = call()
        except Exception as exc:
            with self.lock:
                self.errors[f"{endpoint}: {type(exc).__name__}"] += 1
            return
        elapsed = time.perf_counter() - started
        with self.lock:
            if status in ok:
                self.latencies[endpoint].append(elapsed)
            else:
                self.errors[f"{endpoint}: HTTP {status}"] += 1


def hold_stream(port: int, cookie: str, path: str, seconds: float, results: Results, endpoint: str,
                stop: threading.Event) -> None:
    """Holds one event stream open for the run, counting events; its time to first byte is its latency."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds + 30)
    started = time.perf_counter()
    try:
        conn.request("GET", f"{path}?max_seconds={seconds:.0f}", headers={"Cookie": cookie,
                                                                          "Accept": "text/event-stream"})
        response = conn.getresponse()
        if response.status != 200:
            with results.lock:
                results.errors[f"{endpoint}: HTTP {response.status}"] += 1
            return
        first = True
        events = 0
        while not stop.is_set():
            line = response.fp.readline()
            if not line:
                break
            if first:
                with results.lock:
                    results.latencies[endpoint].append(time.perf_counter() - started)
                    results.streams += 1
                first = False
            if line.startswith(b"event:"):
                events += 1
        with results.lock:
            results.stream_events += events
    except Exception as exc:
        with results.lock:
            results.errors[f"{endpoint}: {type(exc).__name__}"] += 1
    finally:
        conn.close()


def run_load(port: int, names: dict[str, list[str]], seconds: float, think: float, ivr: dict[str, Any]) -> Results:
    results = Results()
    clients: dict[str, Client] = {}
    for role in ("agent", "supervisor", "analyst"):
        for name in names[role]:
            client = Client(port)
            client.sign_in(name)
            clients[name] = client
    drafts: dict[str, int] = {}
    for name in names["analyst"]:
        doc = f"bench_{name.rsplit('-', 1)[1]}_{uuid.uuid4().hex[:6]}"
        status, created = clients[name].json("POST", "/api/documents", {"kind": "ivr", "name": doc, "body": ivr})
        if status != 201:
            raise RuntimeError(f"creating {doc} answered {status}: {created}")
        drafts[name] = created["draft_revision"]
        clients[name].doc = doc  # type: ignore[attr-defined]
    stop = threading.Event()
    deadline = time.perf_counter() + seconds
    threads: list[threading.Thread] = []

    def agent_loop(client: Client) -> None:
        form = urllib.parse.urlencode({**PICKUP, "csrf_token": client.token}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        while time.perf_counter() < deadline:
            results.timed("POST /desk/tickets/new/pickup_order",
                          lambda: client.request("POST", "/desk/tickets/new/pickup_order", form, headers)[0], (303,))
            time.sleep(think / 2)
            results.timed("GET /desk/api/state", lambda: client.request("GET", "/desk/api/state")[0], (200,))
            time.sleep(think / 2)

    def supervisor_loop(client: Client) -> None:
        while time.perf_counter() < deadline:
            results.timed("GET /wallboard/api/figures",
                          lambda: client.request("GET", "/wallboard/api/figures")[0], (200,))
            time.sleep(think)

    def analyst_loop(client: Client, name: str) -> None:
        doc = client.doc  # type: ignore[attr-defined]

        def save() -> int:
            status, saved = client.json("PUT", f"/api/documents/ivr/{doc}/draft",
                                        {"body": ivr, "base_revision": drafts[name]})
            if status == 200:
                drafts[name] = saved["draft_revision"]
            return status

        while time.perf_counter() < deadline:
            results.timed("PUT /api/documents/ivr/…/draft", save, (200,))
            time.sleep(think)

    for name in names["agent"]:
        threads.append(threading.Thread(target=hold_stream, args=(port, clients[name].cookie, "/desk/events",
                                                                  seconds, results, "GET /desk/events (stream)", stop)))
        threads.append(threading.Thread(target=agent_loop, args=(clients[name],)))
    for name in names["supervisor"]:
        threads.append(threading.Thread(target=hold_stream, args=(port, clients[name].cookie, "/wallboard/events",
                                                                  seconds, results, "GET /wallboard/events (stream)",
                                                                  stop)))
        threads.append(threading.Thread(target=supervisor_loop, args=(clients[name],)))
    for name in names["analyst"]:
        threads.append(threading.Thread(target=analyst_loop, args=(clients[name], name)))
    started = time.perf_counter()
    for thread in threads:
        thread.daemon = True
        thread.start()
    time.sleep(max(0.0, deadline - time.perf_counter()))
    stop.set()
    for thread in threads:
        thread.join(30)
    results.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return results


# -- the servers -------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, dev: bool, workers: int, threads: int, log_path: Path) -> tuple[Any, int]:
    port = free_port()
    env = {**os.environ, "HOTLINE_DATABASE_URL": database_url, "HOTLINE_REDIS_URL": REDIS,
           "HOTLINE_REDIS_REQUIRED": "true", "HOTLINE_WEB_PORT": str(port), "HOTLINE_WEB_WORKERS": str(workers),
           "HOTLINE_WEB_THREADS": str(threads), "HOTLINE_WEB_SECRET_KEY": "bench-secret-key-0123456789abcdef"}
    command = [sys.executable, "-m", "hotline.cli", "serve", *(["--dev"] if dev else [])]
    log = log_path.open("w")
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the server did not come up: {log_path.read_text()[-2000:]}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def report(title: str, results: Results) -> dict[str, float]:
    elapsed = results.elapsed  # type: ignore[attr-defined]
    requests = sum(len(v) for k, v in results.latencies.items() if "(stream)" not in k)
    all_lat = [x for k, v in results.latencies.items() if "(stream)" not in k for x in v]
    print(f"\n== {title}: {requests / elapsed:.1f} requests/s over {elapsed:.0f} s; "
          f"{results.streams} streams held, {results.stream_events} events; "
          f"errors {sum(results.errors.values())}")
    print(f"   {'endpoint':<44} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for endpoint, values in sorted(results.latencies.items()):
        print(f"   {endpoint:<44} {len(values):>6} {percentile(values, 50) * 1000:>8.1f} "
              f"{percentile(values, 99) * 1000:>8.1f}")
    print(f"   {'all page and API requests (streams excluded)':<44} {len(all_lat):>6} "
          f"{percentile(all_lat, 50) * 1000:>8.1f} {percentile(all_lat, 99) * 1000:>8.1f}")
    for what, count in sorted(results.errors.items()):
        print(f"   error {what}: {count}")
    return {"rps": requests / elapsed, "p50": percentile(all_lat, 50), "p99": percentile(all_lat, 99),
            "errors": float(sum(results.errors.values())), "mean": statistics.fmean(all_lat) if all_lat else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=40, help="signed-in agents (desk stream + ticket saves)")
    parser.add_argument("--supervisors", type=int, default=4)
    parser.add_argument("--analysts", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between one user's actions")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=64)
    args = parser.parse_args()
    needed = args.agents * 2 + args.supervisors * 2 + args.analysts
    if args.workers * args.threads < needed:
        print(f"note: {args.workers} workers × {args.threads} threads < {needed} connections at once; "
              "streams will wait for a free thread")
    ivr = json.loads((ROOT / "tenant_templates" / "express_delivery" / "ivr" / "main.json").read_text("utf-8"))
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"hotline_web_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    summary: dict[str, dict[str, float]] = {}
    try:
        db = Database(url)
        schema_migrations.upgrade(db)
        names = build_world(db, args.agents, args.supervisors, args.analysts)
        db.dispose()
        print(f"{args.agents} agents (event stream + tickets), {args.supervisors} supervisors (wallboard stream + "
              f"figures), {args.analysts} analysts (drafts), {args.seconds:.0f} s each, think {args.think} s; "
              f"PostgreSQL, Redis {REDIS}; gunicorn {args.workers} workers × {args.threads} threads")
        for title, dev in (("gunicorn (hotline serve)", False), ("development server (hotline serve --dev)", True)):
            log = Path(os.environ.get("TMPDIR", "/tmp")) / f"web_load_{'dev' if dev else 'gunicorn'}.log"
            process, port = start_server(url, dev, args.workers, args.threads, log)
            try:
                summary[title] = report(title, run_load(port, names, args.seconds, args.think, ivr))
            finally:
                process.terminate()
                try:
                    process.wait(45)  # gunicorn lets requests in hand finish (graceful_timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        g, d = summary["gunicorn (hotline serve)"], summary["development server (hotline serve --dev)"]
        print(f"\noverall (page + API): gunicorn p50 {g['p50'] * 1000:.0f} ms / p99 {g['p99'] * 1000:.0f} ms, "
              f"development server p50 {d['p50'] * 1000:.0f} ms / p99 {d['p99'] * 1000:.0f} ms")
        print(f"ratio gunicorn / development server: throughput ×{g['rps'] / d['rps']:.2f}, "
              f"p50 ×{g['p50'] / d['p50']:.2f}, p99 ×{g['p99'] / d['p99']:.2f}; "
              f"errors {g['errors']:.0f} vs {d['errors']:.0f}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
