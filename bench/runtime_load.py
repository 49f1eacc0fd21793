"""Load on one runtime process over TCP: N concurrent simulated calls (menus, collects, queue, hang-up).

The runtime runs as its own process (`hotline runtime`), the simulator in this one, both on this
machine, with PostgreSQL and Redis for real. Prints: concurrent calls sustained, new calls per second,
p50/p99 decision latency (ESL event received → next command sent, measured inside the runtime) and
memory per call (runtime RSS growth at peak / calls in progress at peak).

    python bench/runtime_load.py --rate 200 --seconds 10 --hold 10
Goal (issue 3): 2,000 concurrent calls, 200 new calls/s, p99 ≤ 20 ms, ≤ 50 KB per call.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from hotline.platform import schema_migrations  # noqa: E402
from hotline.platform.db import Database  # noqa: E402
from hotline.platform.models import Queue, Skill  # noqa: E402
from hotline.platform.services.documents import DocumentService  # noqa: E402
from hotline.platform.services.tenants import assign_did, create_tenant  # noqa: E402
from hotline.runtime.simswitch import SILENCE, CallerScript, SimSwitch, SimSwitchConfig, SocketTarget  # noqa: E402

PG = os.environ.get("HOTLINE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DID = "4009990000"


def ivr(hold: float) -> dict:
    """Welcome, a menu, a collect with a lookup-free echo, a queue that overflows, hang-up."""
    return {
        "start": "welcome", "fallback": "bye",
        "nodes": {
            "welcome": {"type": "play", "prompt": {"text": "您好" * max(1, int(hold * 4))}, "next": "menu"},
            "menu": {"type": "menu", "prompt": {"text": "查询请按1，人工请按2"}, "options": {"1": "ask", "2": "queue"},
                     "fallback": "bye", "timeout_seconds": 5},
            "ask": {"type": "collect", "prompt": {"text": "请输入六位号码"}, "variable": "code", "min_digits": 6,
                    "max_digits": 6, "pattern": "[0-9]{6}", "next": "tell", "fallback": "bye"},
            "tell": {"type": "play", "prompt": {"text": "您输入的是{{code}}"}, "next": "bye"},
            "queue": {"type": "queue", "queue": "general", "timeout_seconds": 5, "overflow": "bye",
                      "announce_position": False},
            "bye": {"type": "hangup", "prompt": {"text": "再见"}},
        },
    }


def prepare(hold: float) -> str:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"hotline_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG.rsplit("/", 1)[0] + "/" + name
    db = Database(url)
    schema_migrations.upgrade(db)
    with db.platform() as session:
        tenant = create_tenant(session, "bench", "Bench", "bench")
        assign_did(session, tenant, DID, "bench")
        tenant_id = tenant.id
    with db.tenant(tenant_id) as session:
        session.add_all([Queue(name="general", label="综合"), Skill(name="general", label="综合")])
        service = DocumentService(session, "bench")
        service.create("ivr", "main", ivr(hold))
        service.publish("ivr", "main")
    db.dispose()
    return url


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def drive(port: int, rate: float, seconds: float, time_scale: float) -> dict:
    switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", port), time_scale=time_scale))
    await switch.start()
    tasks: list[asyncio.Task] = []
    started = time.perf_counter()
    total = int(rate * seconds)
    for i in range(total):
        choice = random.random()
        presses = ["1", "123456#"] if choice < 0.6 else ["2"] if choice < 0.9 else [SILENCE]
        tasks.append(asyncio.create_task(switch.place_call(
            CallerScript(did=DID, caller=f"138{i:08d}", presses=presses), timeout=120)))
        delay = started + (i + 1) / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    offered = time.perf_counter() - started
    results = await asyncio.gather(*tasks, return_exceptions=True)
    await switch.stop()
    failures = [r for r in results if isinstance(r, BaseException)]
    causes: dict[str, int] = {}
    for r in results:
        if not isinstance(r, BaseException):
            causes[r.hangup_cause or "?"] = causes.get(r.hangup_cause or "?", 0) + 1
    return {"calls": total, "offered_seconds": offered, "failures": len(failures), "causes": causes,
            "first_failure": repr(failures[0]) if failures else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--hold", type=float, default=10, help="seconds of welcome prompt per call")
    args = parser.parse_args()
    url = prepare(args.hold)
    port = free_port()
    stats_file = Path(tempfile.mkdtemp()) / "stats.json"
    env = {**os.environ, "HOTLINE_DATABASE_URL": url, "HOTLINE_RUNTIME_SOCKET_PORT": str(port),
           "HOTLINE_REDIS_URL": "redis://127.0.0.1:6379/14", "HOTLINE_ESL_PORT": str(free_port())}
    profiled = os.environ.get("HOTLINE_BENCH_PROFILE")
    profile = ["-m", "cProfile", "-o", profiled] if profiled else []
    log_file = stats_file.with_name("runtime.log")
    with open(log_file, "w") as log:  # a file, not a pipe: a full pipe would stall the runtime's logging
        runtime = subprocess.Popen([sys.executable, *profile, "-m", "hotline.cli", "runtime", "--stats-file",
                                    str(stats_file)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if "runtime on" in log_file.read_text() or runtime.poll() is not None:
                break
            time.sleep(0.1)
        if "runtime on" not in log_file.read_text():
            raise SystemExit(f"runtime did not start:\n{log_file.read_text()}")
        asyncio.run(drive(port, 20, 1, time_scale=1.0 / 15))  # warm-up: lazy imports, caches, pools
        time.sleep(1.0)  # an idle memory sample after the warm-up calls ended
        idle_cpu = _cpu_seconds(runtime.pid)
        # The simulator's clock: prompts last len(text) * 60 ms * time_scale; hold ≈ args.hold seconds.
        driven = asyncio.run(drive(port, args.rate, args.seconds, time_scale=1.0 / 15))
        runtime_cpu = _cpu_seconds(runtime.pid) - idle_cpu
    finally:
        runtime.send_signal(signal.SIGTERM)
        runtime.wait(30)
    warnings = [line for line in log_file.read_text().splitlines()
                if ("WARNING" in line or "ERROR" in line) and "inbound ESL" not in line]
    stats = json.loads(stats_file.read_text())
    engine = create_engine(url)
    with engine.connect() as connection:
        records = connection.execute(text("select count(*) from call_record")).scalar_one()
    engine.dispose()
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # the benchmark's throwaway database
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()
    samples = stats["samples"]
    idle = next(s["rss"] for s in reversed(samples) if s["active"] == 0 and s["t"] < samples[-1]["t"] / 2)
    peak = max(samples, key=lambda s: s["active"])
    per_call = (peak["rss"] - idle) / max(1, peak["active"])
    print(f"calls placed: {driven['calls']} at {driven['calls'] / driven['offered_seconds']:.0f} new calls/s "
          f"(target rate {args.rate:.0f}/s), failures: {driven['failures']} {driven['first_failure'] or ''}")
    print(f"hangup causes: {driven['causes']}; runtime warnings/errors logged: {len(warnings)}"
          + (f" (first: {warnings[0][:200]})" if warnings else ""))
    print(f"call records written by the runtime: {records} (of {driven['calls'] + 20} calls incl. 20 warm-up)")
    print(f"concurrent calls sustained (peak in the runtime): {stats['peak_active']}")
    print(f"decision latency over {stats['decisions']} decisions: p50 {stats['p50_ms']:.2f} ms, "
          f"p99 {stats['p99_ms']:.2f} ms, max {stats['max_ms']:.1f} ms")
    bench_cpu = time.process_time()
    print(f"CPU seconds under load: runtime process {runtime_cpu:.1f} ({runtime_cpu / driven['calls'] * 1000:.1f} ms "
          f"per call), simulator (this process, with start-up) {bench_cpu:.1f}")
    print(f"runtime memory: idle {idle / 1e6:.1f} MB, at peak {peak['rss'] / 1e6:.1f} MB with {peak['active']} "
          f"calls → {per_call / 1024:.1f} KB per call")


if __name__ == "__main__":
    main()
