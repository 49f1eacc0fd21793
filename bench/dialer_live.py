"""The live dialer against the ESL simulator: originations per second from one dialer process.

One `Dialer` (runtime/dialer/process.py) in this process, the simulator (`python -m hotline.runtime.simswitch
--callees ...`) as its own process, PostgreSQL (a throwaway database) and Redis for real. An agentless campaign
with a large `max_lines` over N contacts whose callees are busy or unallocated (results within simulated
seconds, no runtime needed), so what limits the rate is the dialer: the claim transactions (lease, compliance,
attempt rows), `bgapi originate` over one inbound ESL connection, and writing the results. Prints originations per
second (attempts placed ÷ time from the first to the last originate), the claim transaction times, and checks that
every entry was dialled exactly once.

    python bench/dialer_live.py [--contacts 3000] [--max-lines 400]
Goal (issue 13): 100 originations per second from one process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis.asyncio as aioredis  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from hotline.platform import schema_migrations  # noqa: E402
from hotline.platform.db import Database  # noqa: E402
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, DialAttempt  # noqa: E402
from hotline.platform.services import templates  # noqa: E402
from hotline.runtime.dialer import Dialer  # noqa: E402
from hotline.runtime.esl.inbound_link import InboundLink  # noqa: E402

PG = os.environ.get("HOTLINE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("HOTLINE_BENCH_REDIS", "redis://127.0.0.1:6379/15")
ALWAYS = {"timezone": "UTC", "windows": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                          "start": "00:00", "end": "23:59"}]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(db: Database, contacts: int, max_lines: int) -> tuple[int, int]:
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("express_delivery"), f"bench{uuid.uuid4().hex[:6]}", None,
                                 "bench").id
    with db.tenant(tenant) as session:
        contact_list = ContactList(name="bench", created_by="bench")
        session.add(contact_list)
        session.flush()
        campaign = Campaign(name="bench", script="satisfaction_survey", script_version=1, mode="agentless",
                            status="running", contact_list_id=contact_list.id, windows=ALWAYS, retry_policy={},
                            max_lines=max_lines, min_gap_minutes=0)
        session.add(campaign)
        session.flush()
        phones = [f"+86139{i:08d}" for i in range(contacts)]
        session.execute(insert(Contact), [{"tenant_id": tenant, "list_id": contact_list.id, "phone_e164": p,
                                           "fields": {}} for p in phones])
        ids = {phone: id_ for phone, id_ in session.execute(select(Contact.phone_e164, Contact.id)
                                                          .where(Contact.list_id == contact_list.id))}
        session.execute(insert(CampaignEntry), [{"tenant_id": tenant, "campaign_id": campaign.id,
                                                 "contact_id": ids[p], "phone_e164": p} for p in phones])
        return tenant, campaign.id


async def run(db: Database, tenant: int, campaign: int, contacts: int, esl_port: int) -> None:
    redis = aioredis.Redis.from_url(REDIS)
    prefix = f"bench{uuid.uuid4().hex[:6]}:acd"
    link = InboundLink("127.0.0.1", esl_port, "ClueCon")
    dialer = Dialer(db, redis, link, socket_address=("127.0.0.1", 9), acd_prefix=prefix, amd=False)
    claims: list[float] = []
    claim = dialer._claim

    def timed_claim(*args: object) -> object:
        started = time.perf_counter()
        try:
            return claim(*args)  # type: ignore[arg-type]
        finally:
            claims.append(time.perf_counter() - started)

    dialer._claim = timed_claim  # type: ignore[method-assign]
    link_task = asyncio.create_task(link.run())
    await asyncio.wait_for(link.connected.wait(), 10)
    cpu0, started = time.process_time(), time.perf_counter()
    first = last = None
    task = asyncio.create_task(dialer.run())
    while dialer.placed < contacts and time.perf_counter() - started < 300:
        before = dialer.placed
        await asyncio.sleep(0.05)
        if dialer.placed and first is None:
            first = time.perf_counter()
        if dialer.placed != before:
            last = time.perf_counter()
    await dialer.stop(grace_seconds=60)
    cpu = time.process_time() - cpu0
    task.cancel()
    link_task.cancel()
    await redis.aclose()

    def counts() -> tuple[int, int, int]:
        with db.tenant(tenant) as session:
            attempts = session.scalar(select(func.count()).select_from(DialAttempt)
                                      .where(DialAttempt.campaign_id == campaign))
            distinct = session.scalar(select(func.count(func.distinct(DialAttempt.entry_id)))
                                      .where(DialAttempt.campaign_id == campaign))
            open_ = session.scalar(select(func.count()).select_from(DialAttempt)
                                   .where(DialAttempt.campaign_id == campaign, DialAttempt.outcome == "dialing"))
            return attempts, distinct, open_

    attempts, distinct, still_open = counts()
    span = (last or started) - (first or started)
    rate = dialer.placed / span if span > 0 else float("nan")
    print(f"contacts {contacts}, originated {dialer.placed} in {span:.2f} s: {rate:.0f} originations/s "
          f"(goal ≥ 100: {'met' if rate >= 100 else 'MISSED'})")
    print(f"dialer process CPU {cpu:.2f} s ({1000 * cpu / max(1, dialer.placed):.2f} ms per origination, "
          f"claims, ESL and result writes included)")
    if claims:
        ordered = sorted(claims)
        print(f"claim transactions: {len(claims)}, median {1000 * statistics.median(ordered):.1f} ms, "
              f"p95 {1000 * ordered[int(0.95 * (len(ordered) - 1))]:.1f} ms")
    print(f"attempts {attempts}, entries dialled {distinct} (each once: {attempts == distinct}), "
          f"results not yet written {still_open}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--max-lines", type=int, default=400)
    args = parser.parse_args()
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(PG).set(database=name).render_as_string(hide_password=False))
    port = _free_port()
    sim = subprocess.Popen([sys.executable, "-m", "hotline.runtime.simswitch", "--esl", f"127.0.0.1:{port}",
                            "--time-scale", "0.01", "--callees",
                            "answer=0,no_answer=0,machine=0,busy=0.6,invalid=0.4,busy_after_ms=500-3000"],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        schema_migrations.upgrade(db)
        tenant, campaign = setup(db, args.contacts, args.max_lines)
        time.sleep(1.0)
        asyncio.run(run(db, tenant, campaign, args.contacts, port))
    finally:
        sim.terminate()
        sim.wait(10)
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
