"""200 calls through the runtime on the real FreeSWITCH built here, and the same calls on the simulator.

Each call: a welcome prompt, a menu; 60 % press 1 and key a six-digit number that is read back (collect,
a prompt with live TTS), 40 % press 2 and are queued to one of ten loopback agents, talk 2 s and hang up.
The runtime runs in this process (on 127.0.0.1:8084, the dialplan's socket, for the real switch), with
PostgreSQL (a fresh database) and Redis for real; prompts are rendered to files with espeak-ng as in
production (`[prompts] tts = "command"`), the read-back is live TTS.

    python bench/realfs_calls.py --switch real --calls 200 --concurrency 20
    python bench/realfs_calls.py --switch sim --calls 200 --concurrency 20

Prints one JSON line: calls, records written, outcomes, agent-answered calls, failures, wall time per
call (originate -> record written) p50/p99, the runtime's decision latency (ESL event -> next command)
p50/p99, and the run's duration. The real switch needs docs/freeswitch/conf (event socket 127.0.0.1:8021).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis.asyncio as aioredis  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from hotline.platform import schema_migrations  # noqa: E402
from hotline.platform.db import Database  # noqa: E402
from hotline.platform.models import CallRecord, Queue, Skill  # noqa: E402
from hotline.platform.prompt_tts import CommandTts  # noqa: E402
from hotline.platform.services.documents import DocumentService  # noqa: E402
from hotline.platform.services.tenants import assign_did, create_tenant  # noqa: E402
from hotline.runtime.esl.inbound import InboundClient  # noqa: E402
from hotline.runtime.esl.switch_profile import SwitchProfile  # noqa: E402
from hotline.runtime.server import Runtime  # noqa: E402
from hotline.runtime.simswitch import AgentBehavior, CallerScript, SimSwitch, SimSwitchConfig, SocketTarget  # noqa: E402
from hotline.runtime.stats import percentile  # noqa: E402

PG = os.environ.get("HOTLINE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("HOTLINE_BENCH_REDIS", "redis://127.0.0.1:6379/15")
DID = "4009980000"
AGENTS = [str(1001 + i) for i in range(10)]
PROMPTS = Path(os.environ.get("HOTLINE_REALFS_PROMPTS") or "/var/lib/hotline/prompts")

IVR = {
    "start": "welcome", "fallback": "bye",
    "nodes": {
        "welcome": {"type": "play", "prompt": {"text": "您好"}, "next": "menu"},
        "menu": {"type": "menu", "prompt": {"text": "查询请按1，人工请按2"}, "options": {"1": "ask", "2": "queue"},
                 "fallback": "bye", "timeout_seconds": 5},
        "ask": {"type": "collect", "prompt": {"text": "请输入六位号码"}, "variable": "code", "min_digits": 6,
                "max_digits": 6, "pattern": "[0-9]{6}", "next": "tell", "fallback": "bye"},
        "tell": {"type": "play", "prompt": {"text": "您输入的是{{code}}"}, "next": "bye"},
        "queue": {"type": "queue", "queue": "general", "timeout_seconds": 30, "overflow": "bye",
                  "announce_position": False},
        "bye": {"type": "hangup", "prompt": {"text": "再见"}},
    },
}


def prepare() -> tuple[str, int]:
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
        service.create("ivr", "main", IVR)
        service.publish("ivr", "main")
    db.dispose()
    return url, tenant_id


def drop(url: str) -> None:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))


class Records:
    """Waits for each call's record, found by its caller number (every call of the run has its own)."""

    def __init__(self, db: Database, tenant_id: int) -> None:
        self.db, self.tenant_id = db, tenant_id

    def _find(self, caller: str) -> CallRecord | None:
        with self.db.tenant(self.tenant_id) as session:
            return session.scalar(select(CallRecord).where(CallRecord.caller == caller))

    async def wait(self, caller: str, timeout: float) -> CallRecord | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = await asyncio.to_thread(self._find, caller)
            if found is not None:
                return found
            await asyncio.sleep(0.2)
        return None


async def real_call(client: InboundClient, caller: str, to_agent: bool) -> None:
    leg = str(uuid.uuid4())
    reply = await client.api(f"originate {{origination_uuid={leg},origination_caller_id_number={caller}}}"
                             f"loopback/{DID}/public &park()", timeout=30)
    if not reply.startswith("+OK"):
        raise RuntimeError(reply.strip())
    await asyncio.sleep(1.5)
    await client.api(f"uuid_send_dtmf {leg} {'2' if to_agent else '1'}")
    if to_agent:
        await asyncio.sleep(6.0)  # menu, the queue, the agent answers; then 2 s or so of talk
        await client.api(f"uuid_kill {leg}")
    else:
        await asyncio.sleep(3.0)
        await client.api(f"uuid_send_dtmf {leg} 123456")


async def main(args: argparse.Namespace) -> dict:
    url, tenant_id = prepare()
    db = Database(url)
    records = Records(db, tenant_id)
    real = args.switch == "real"
    profile = SwitchProfile(agent_dial_string="loopback/agent{extension}/agents" if real else "user/{extension}")
    runtime = Runtime(db, aioredis.Redis.from_url(REDIS), port=8084 if real else 0,
                      acd_prefix=f"bench{uuid.uuid4().hex[:6]}:acd", switch=profile,
                      esl=("127.0.0.1", 8021, "ClueCon") if real else None,
                      tts=CommandTts(), prompt_root=PROMPTS)
    await runtime.start()
    for agent in AGENTS:
        await runtime.acd.presence.login(agent, {str(tenant_id): {"general": 1}})
    client = await InboundClient.connect("127.0.0.1", 8021, "ClueCon") if real else None
    switch = None
    if not real:
        phones = {a: AgentBehavior(answer_after_ms=100, talk_ms=2000) for a in AGENTS}
        switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", runtime.port), time_scale=1.0,
                                           agents=phones))
        await switch.start()
    await runtime.routes.route(DID)  # the static prompts rendered before the first call, as after a publish
    rng = random.Random(7)
    gate = asyncio.Semaphore(args.concurrency)
    durations: list[float] = []
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    answered = 0

    async def one(i: int) -> None:
        nonlocal answered
        caller = f"1390000{i:04d}"
        to_agent = rng.random() < 0.4
        async with gate:
            started = time.monotonic()
            try:
                if client is not None:
                    await real_call(client, caller, to_agent)
                else:
                    assert switch is not None
                    presses = ["2"] if to_agent else ["1", "123456"]
                    await switch.place_call(CallerScript(did=DID, caller=caller, presses=presses), timeout=60)
            except Exception as exc:  # a call the switch refused: counted, the run goes on
                failures.append(f"{caller}: {type(exc).__name__}: {exc}")
            record = await records.wait(caller, 60)
            if record is None:
                failures.append(f"{caller}: no call record")
                return
            durations.append(time.monotonic() - started)
            outcomes[record.outcome or "?"] += 1
            if record.answered_at is not None or any(e.get("type") == "queue" and e.get("status") == "answered"
                                                     for e in (record.trace or {}).get("events", [])):
                answered += 1
            if (record.trace or {}).get("errors"):
                failures.append(f"{caller}: {record.trace['errors'][0].get('reason')}")

    began = time.monotonic()
    try:
        await asyncio.gather(*(one(i) for i in range(args.calls)))
    finally:
        if switch is not None:
            await switch.stop()
        if client is not None:
            await client.close()
        await runtime.stop()
        await runtime.redis.aclose()
        db.dispose()
        drop(url)
    stats = runtime.stats.summary()
    return {"switch": args.switch, "calls": args.calls, "concurrency": args.concurrency,
            "records": sum(outcomes.values()), "outcomes": dict(outcomes), "agent_answered": answered,
            "failures": len(failures), "failure_examples": failures[:5],
            "call_seconds_p50": round(percentile(durations, 50), 2),
            "call_seconds_p99": round(percentile(durations, 99), 2),
            "decision_ms_p50": round(stats["p50_ms"], 2), "decision_ms_p99": round(stats["p99_ms"], 2),
            "run_seconds": round(time.monotonic() - began, 1)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--switch", choices=("real", "sim"), default="real")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    print(json.dumps(asyncio.run(main(parser.parse_args())), ensure_ascii=False))
