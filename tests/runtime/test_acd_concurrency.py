"""The concurrency proof: two OS processes, each with its own Redis connections, race for a small pool
of agents shared by two tenants. No agent may be handed a second call while it holds one, and no call
may be handed out twice.

Each worker records every claim in a ledger outside the ACD (SET NX per busy agent, set before and
cleared after the agent holds the call), and checks the agent reads ringing for that very call.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from redis.asyncio import Redis

from hotline.runtime.acd import Acd, WaitingCall

from .acd_helpers import (
    QUEUES,
    REDIS_URL,
    SKILLS,
    TENANTS,
    CallSpec,
    delete_prefix,
    hammer_claims,
    new_prefix,
    require_redis,
    wait_calls,
)

pytestmark = [pytest.mark.redis, pytest.mark.slow]

PROCESSES = 2
# every agent serves both tenants; between them they cover every combination of skills
AGENTS = {"a0": ("s1", "s2"), "a1": ("s1",), "a2": ("s2",), "a3": ("s1", "s2")}


def _calls(count: int, seed: int, tag: str) -> list[CallSpec]:
    rng = random.Random(seed)
    return [(rng.choice(TENANTS), rng.choice(QUEUES), f"{tag}{i:04d}",
             tuple(s for s in SKILLS if rng.random() < 0.4)) for i in range(count)]


async def _setup(prefix: str, calls: list[CallSpec], enqueue: bool) -> None:
    client = Redis.from_url(REDIS_URL)
    try:
        acd = Acd(client, prefix=prefix)
        for agent, skills in AGENTS.items():
            await acd.presence.login(agent, {t: dict.fromkeys(skills, 1) for t in TENANTS})
        if enqueue:
            rng = random.Random(7)
            for tenant, queue, call_id, skills in calls:
                await acd.queues.enqueue(WaitingCall(tenant, queue, call_id, rng.randint(0, 9), skills))
    finally:
        await client.aclose()


async def _final_state(prefix: str) -> dict[str, Any]:
    client = Redis.from_url(REDIS_URL)
    try:
        acd = Acd(client, prefix=prefix)
        states = {a: (await acd.presence.get(a)).state for a in AGENTS}
        waiting = sum([await client.zcard(acd.keys.queue(t, q)) for t in TENANTS for q in QUEUES])
        calls_left = [k async for k in client.scan_iter(match=f"{prefix}:call:*")]
        return {"states": states, "waiting": waiting, "calls_left": calls_left}
    finally:
        await delete_prefix(client, prefix)
        await client.aclose()


def _run_workers(target: Any, prefix: str, calls: list[CallSpec], per_process: list[list[CallSpec]]) -> list[dict]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(PROCESSES, mp_context=context) as pool:
        futures = [pool.submit(target, prefix, part, seed, PROCESSES) for seed, part in enumerate(per_process)]
        return [f.result(timeout=120) for f in futures]


def test_two_processes_hammering_claims_never_double_assign():
    require_redis()
    prefix = new_prefix()
    calls = _calls(300, seed=1, tag="h")
    asyncio.run(_setup(prefix, calls, enqueue=True))
    try:
        # both processes may try any call: claims of the same call and the same agents collide
        results = _run_workers(hammer_claims, prefix, calls, [calls] * PROCESSES)
    finally:
        final = asyncio.run(_final_state(prefix))
    problems = [p for r in results for p in r["problems"]]
    assigned = [cid for r in results for cid, _ in r["assigned"]]
    attempts = sum(r["attempts"] for r in results)
    print(f"\nclaim hammer: {attempts} claim attempts by {PROCESSES} processes x 4 tasks, {len(assigned)} calls "
          f"assigned, {sum(r['offered_again'] for r in results)} retries saw the other's claim, "
          f"{len(problems)} double assignments")
    assert problems == []
    duplicates = [cid for cid, n in Counter(assigned).items() if n > 1]
    assert duplicates == []
    assert sorted(assigned) == sorted(cid for _, _, cid, _ in calls)  # each call exactly once
    assert all(r["assigned"] for r in results), "both processes must have won some claims"
    assert final == {"states": dict.fromkeys(AGENTS, "available"), "waiting": 0, "calls_left": []}


def test_two_processes_running_waiting_calls_serve_each_call_once():
    require_redis()
    prefix = new_prefix()
    calls = _calls(120, seed=2, tag="w")
    asyncio.run(_setup(prefix, calls, enqueue=False))
    try:
        results = _run_workers(wait_calls, prefix, calls, [calls[0::2], calls[1::2]])
    finally:
        final = asyncio.run(_final_state(prefix))
    problems = [p for r in results for p in r["problems"]]
    answered = [cid for r in results for cid, _ in r["answered"]]
    offers = sum(len(r["offers"]) for r in results)
    print(f"\nwaiting calls: {len(calls)} calls in {PROCESSES} processes, {offers} offers "
          f"({offers - len(answered)} not answered and re-queued), {len(problems)} problems")
    assert problems == []
    assert sorted(answered) == sorted(cid for _, _, cid, _ in calls)  # each answered exactly once
    assert final == {"states": dict.fromkeys(AGENTS, "available"), "waiting": 0, "calls_left": []}
