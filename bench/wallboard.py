"""Wallboard figures for one busy tenant: 200 agents in every state, 1,000 call records today, calls waiting.

Builds the tenant in a throwaway PostgreSQL database (and a SQLite file) and its ACD state in Redis db 15 under
a fresh key prefix (through the ACD's own API), then times `tenant_figures` — what every wallboard request and
every second of every open board's event stream costs — and its two halves: the live ACD snapshot (one
asyncio.run, a new Redis client, pipelined reads) and today's SQL aggregates. Prints p50/p95/max; never fails.

    python bench/wallboard.py [--agents 200] [--calls 1000] [--waiting 50] [--rounds 200]
Goal (issue 6): well under 50 ms per figures computation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from hotline.platform import schema_migrations  # noqa: E402
from hotline.platform.db import Database  # noqa: E402
from hotline.platform.models import CallRecord, Queue  # noqa: E402
from hotline.platform.services.tenants import create_tenant  # noqa: E402
from hotline.platform.wallboard import AcdReader, tenant_figures  # noqa: E402
from hotline.platform.wallboard.today import day_bounds, tenant_zone, totals_by_queue  # noqa: E402
from hotline.runtime.acd import Acd, AcdKeys, WaitingCall  # noqa: E402

PG = os.environ.get("HOTLINE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("HOTLINE_BENCH_REDIS", "redis://127.0.0.1:6379/15")
QUEUES = ("general", "vip", "pickup", "complaint", "consultation")


def build_db(db: Database, calls: int) -> int:
    rng = random.Random(7)
    now = datetime.now(UTC)
    with db.platform() as session:
        tenant = create_tenant(session, f"bench{uuid.uuid4().hex[:8]}", "Bench", "bench",
                               settings={"timezone": "Asia/Shanghai"})
        for name in QUEUES:
            session.add(Queue(tenant_id=tenant.id, name=name, label=name, skills=[name]))
        start = day_bounds(now, tenant_zone(tenant.settings))[1]
        span = max(1.0, (now - start).total_seconds() - 600)
        for _ in range(calls):
            started = start + timedelta(seconds=rng.uniform(0, span))
            wait = rng.randint(0, 90)
            answered = rng.random() < 0.85
            session.add(CallRecord(
                tenant_id=tenant.id, uuid=uuid.uuid4().hex, did="4008000000", caller="13800000000",
                started_at=started, queue=rng.choice(QUEUES), wait_seconds=wait,
                answered_at=started + timedelta(seconds=wait) if answered else None,
                ended_at=started + timedelta(seconds=wait + (rng.randint(30, 400) if answered else 0)),
                outcome="completed" if answered else "abandoned"))
        return tenant.id


async def build_acd(prefix: str, tenant: str, agents: int, waiting: int) -> None:
    client = Redis.from_url(REDIS)
    acd = Acd(client, prefix=prefix)
    rng = random.Random(11)
    try:
        for i in range(agents):
            agent = f"ag{i:04d}"
            await acd.presence.login(agent, {tenant: {rng.choice(QUEUES): 1}}, state="break")
            kind = i % 6
            if kind in (1, 2, 3):  # ringing, on call, wrap-up: take a call first
                await acd.presence.set_state(agent, "available")
                call = WaitingCall(tenant, "general", f"busy-{agent}")
                await acd.queues.enqueue(call)
                claimed = await acd.queues.try_claim(call)
                if claimed.agent_id and kind >= 2:
                    await acd.distributor.agent_answered(call, claimed.agent_id)
                    if kind == 3:
                        await acd.distributor.call_ended(claimed.agent_id, 3600)
            elif kind == 0:
                pass  # stays on break
            elif kind == 4:
                await acd.presence.set_state(agent, "offline")
        for i in range(waiting):  # no agent is available, so these wait
            await acd.queues.enqueue(WaitingCall(tenant, QUEUES[i % len(QUEUES)], f"wait-{i}", rng.randint(0, 9)))
        for i in range(agents):
            if i % 6 == 5:
                await acd.presence.set_state(f"ag{i:04d}", "available")  # after the calls queued: not claimed
    finally:
        await client.aclose()


async def drop_prefix(prefix: str) -> None:
    client = Redis.from_url(REDIS)
    keys = [k async for k in client.scan_iter(match=AcdKeys(prefix).pattern, count=1000)]
    for i in range(0, len(keys), 500):
        await client.delete(*keys[i:i + 500])
    await client.aclose()


def timed(fn, rounds: int) -> tuple[list[float], float]:
    """Wall-clock samples (ms) and this process's mean CPU per call (ms): on a busy machine the CPU figure
    is what the wallboard itself costs, the wall clock adds the wait for the CPU, PostgreSQL and Redis."""
    fn()  # warm-up
    samples = []
    cpu0 = time.process_time()
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples, (time.process_time() - cpu0) * 1000 / rounds


def show(label: str, measured: tuple[list[float], float]) -> None:
    samples, cpu = sorted(measured[0]), measured[1]
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"  {label:<30} p50 {statistics.median(samples):6.2f} ms  p95 {p95:6.2f} ms  max {samples[-1]:6.2f} ms"
          f"  CPU {cpu:5.2f} ms")


def run(db: Database, name: str, args: argparse.Namespace, prefix: str) -> None:
    tenant_id = build_db(db, args.calls)
    asyncio.run(build_acd(prefix, str(tenant_id), args.agents, args.waiting))
    reader = AcdReader(redis.Redis.from_url(REDIS), prefix)
    figures = tenant_figures(db, tenant_id, reader)
    t = figures["totals"]
    print(f"{name}: {len(figures['agents'])} agents {t['agents']}, waiting {t['waiting']}, "
          f"offered {t['offered']}, answered {t['answered']}, SL {t['service_level']}%")
    show("tenant_figures (whole)", timed(lambda: tenant_figures(db, tenant_id, reader), args.rounds))
    show("live ACD snapshot", timed(lambda: reader.snapshot(str(tenant_id)), args.rounds))

    def sql() -> None:
        with db.tenant(tenant_id) as session:
            _, start, end = day_bounds(datetime.now(UTC), tenant_zone({"timezone": "Asia/Shanghai"}))
            totals_by_queue(session, start, end)

    show("today's SQL aggregates", timed(sql, args.rounds))


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--waiting", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    prefix = f"bench:wallboard:{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"hotline_wb_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        db = Database(make_url(PG).set(database=name).render_as_string(hide_password=False))
        schema_migrations.upgrade(db)
        run(db, "PostgreSQL", args, prefix)
        db.dispose()
        with tempfile.TemporaryDirectory() as tmp:
            lite = Database(f"sqlite:///{tmp}/bench.sqlite3")
            schema_migrations.upgrade(lite)
            run(lite, "SQLite", args, prefix + "l")
            lite.dispose()
    finally:
        asyncio.run(drop_prefix(prefix))
        asyncio.run(drop_prefix(prefix + "l"))
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
