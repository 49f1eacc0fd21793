"""Worker processes for the proof that runtime processes sharing Redis never double-assign (importable,
so `spawn` children can run them). Each worker has its own event loop and Redis connections.

The ledger (P:ledger:*) is written with plain SET NX / INCR, independent of the ACD scripts: an agent key
is set while the agent rings or talks for a call, so a second claim of a busy agent fails its SET NX; a
per-tenant counter of shared agents held must never exceed the tenant's cap.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from redis.asyncio import Redis

from hotline.runtime.acd import Acd, Assigned, QueuePolicy, WaitingCall

from ..acd_helpers import REDIS_URL

#: queue name -> strategy; every strategy runs at once against the same agents
QUEUE_STRATEGIES = {"li": "longest_idle", "rr": "round_robin", "fc": "fewest_calls", "sl": "skills_levels",
                    "ra": "ring_all"}
TENANTS = ("acme", "zenith")
CAP = 3

# (tenant, queue, call id)
CallSpec = tuple[str, str, str]


def agents() -> dict[str, dict[str, dict[str, int]]]:
    """Six shared agents serving both tenants, two own agents each; skill levels vary."""
    pool: dict[str, dict[str, dict[str, int]]] = {}
    for i in range(6):
        pool[f"shared{i}"] = {t: {"care": 1 + i % 3} for t in TENANTS}
    for t in TENANTS:
        for i in range(2):
            pool[f"{t}_own{i}"] = {t: {"care": 2}}
    return pool


def shared(agent: str) -> bool:
    return agent.startswith("shared")


async def _barrier(client: Redis, prefix: str, parties: int) -> None:
    await client.incr(f"{prefix}:ledger:barrier")
    while int(await client.get(f"{prefix}:ledger:barrier") or 0) < parties:
        await asyncio.sleep(0.001)


def run_calls(prefix: str, calls: list[CallSpec], seed: int, parties: int) -> dict[str, Any]:
    """Process entry: every call waits for an agent through the real distributor, at once."""
    return asyncio.run(_run_calls(prefix, calls, seed, parties))


async def _run_calls(prefix: str, calls: list[CallSpec], seed: int, parties: int) -> dict[str, Any]:
    client = Redis.from_url(REDIS_URL)
    rng = random.Random(seed)
    stats: dict[str, Any] = {"answered": [], "problems": [], "offers": 0}
    try:
        async with Acd(client, prefix=prefix, poll_seconds=0.2, lease_seconds=30) as acd:
            await _barrier(client, prefix, parties)
            await asyncio.gather(*(_one_call(acd, client, prefix, spec, rng, stats) for spec in calls))
    finally:
        await client.aclose()
    return stats


async def _one_call(acd: Acd, client: Redis, prefix: str, spec: CallSpec, rng: random.Random,
                    stats: dict[str, Any]) -> None:
    tenant, queue, call_id = spec
    waiting = WaitingCall(tenant, queue, call_id, rng.randint(0, 9), ("care",),
                          policy=QueuePolicy(strategy=QUEUE_STRATEGIES[queue], ageing_seconds=1, shared_cap=CAP))
    outcome = await acd.distributor.wait_for_agent(waiting, 60)
    if not isinstance(outcome, Assigned):
        stats["problems"].append(f"{call_id}: {outcome}")
        return
    stats["offers"] += 1
    held_key = f"{prefix}:ledger:held:{tenant}"
    for agent in outcome.agents:
        if not await client.set(f"{prefix}:ledger:agent:{agent}", call_id, nx=True):
            holder = await client.get(f"{prefix}:ledger:agent:{agent}")
            stats["problems"].append(f"agent {agent} offered {call_id} while holding {holder!r}")
    n_shared = sum(shared(a) for a in outcome.agents)
    if n_shared and await client.incrby(held_key, n_shared) > CAP:
        stats["problems"].append(f"{tenant} holds more than {CAP} shared agents")
    winner = rng.choice(outcome.agents)
    for agent in outcome.agents:  # released before the script frees them, so the ledger never lags
        if agent != winner:
            await client.delete(f"{prefix}:ledger:agent:{agent}")
            if shared(agent):
                await client.decr(held_key)
    await acd.distributor.agent_answered(waiting, winner)
    stats["answered"].append((call_id, winner))
    await asyncio.sleep(rng.uniform(0.001, 0.004))
    await client.delete(f"{prefix}:ledger:agent:{winner}")
    if shared(winner):
        await client.decr(held_key)
    await acd.distributor.call_ended(winner, 0)
