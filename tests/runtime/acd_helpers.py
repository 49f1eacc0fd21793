"""Helpers for the ACD tests: a real Redis (db 15), a fresh key prefix per test, data factories, and
the worker processes of the concurrency proof (importable, so `spawn` children can run them)."""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
import redis
from redis.asyncio import Redis

from hotline.runtime.acd import Acd, AcdKeys, Assigned, NotOffered, WaitingCall

REDIS_URL = os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

T = TypeVar("T")


def require_redis() -> None:
    """Skips the test, saying why, when no Redis answers at REDIS_URL."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc.__class__.__name__}: {exc}")
    finally:
        client.close()


def new_prefix() -> str:
    return f"test:acd:{uuid.uuid4().hex[:12]}"


async def delete_prefix(client: Redis, prefix: str) -> None:
    """Deletes every key of one test (never FLUSHDB: other suites share this Redis)."""
    keys = [key async for key in client.scan_iter(match=AcdKeys(prefix).pattern, count=1000)]
    for start in range(0, len(keys), 500):
        await client.delete(*keys[start:start + 500])


def run_acd(test: Callable[[Acd], Awaitable[T]], **options: Any) -> T:
    """Runs `test(acd)` in a fresh event loop with an Acd on its own prefix; deletes the keys after."""
    require_redis()
    prefix = new_prefix()

    async def main() -> T:
        client = Redis.from_url(REDIS_URL)
        try:
            async with Acd(client, prefix=prefix, **options) as acd:
                return await test(acd)
        finally:
            await delete_prefix(client, prefix)
            await client.aclose()

    return asyncio.run(main())


def call(call_id: str, *, tenant: str = "acme", queue: str = "general", priority: int = 5,
         skills: tuple[str, ...] = ()) -> WaitingCall:
    return WaitingCall(tenant, queue, call_id, priority, skills)


async def until(predicate: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """Waits until predicate() is true (polling every 5 ms); fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.005)


# ---------------------------------------------------------------------------------------------------
# Concurrency proof workers: each runs in its own OS process with its own Redis connections.
# The ledger keys (P:ledger:*) are written with plain SET NX / HSETNX, independent of the ACD scripts:
# an agent key is set while the agent holds a call, so a second claim of a busy agent fails its SET NX.

TENANTS = ("acme", "zenith")
QUEUES = ("general", "vip")
SKILLS = ("s1", "s2")

# (tenant, queue, call id, required skills)
CallSpec = tuple[str, str, str, tuple[str, ...]]


async def _barrier(client: Redis, prefix: str, parties: int) -> None:
    await client.incr(f"{prefix}:ledger:barrier")
    while int(await client.get(f"{prefix}:ledger:barrier") or 0) < parties:
        await asyncio.sleep(0.001)


async def _take(acd: Acd, client: Redis, prefix: str, waiting: WaitingCall, agent: str, problems: list[str]) -> None:
    """What a call does with a claimed agent, checked against the ledger."""
    if not await client.set(f"{prefix}:ledger:agent:{agent}", waiting.call_id, nx=True):
        holder = await client.get(f"{prefix}:ledger:agent:{agent}")
        problems.append(f"agent {agent} given {waiting.call_id} while holding {holder!r}")
    presence = await acd.presence.get(agent)
    if presence is None or presence.state != "ringing" or presence.call_id != waiting.call_id:
        problems.append(f"agent {agent} claimed for {waiting.call_id} but reads {presence}")


async def _free(acd: Acd, client: Redis, prefix: str, agent: str) -> None:
    await client.delete(f"{prefix}:ledger:agent:{agent}")  # before the agent can be claimed again
    await acd.distributor.call_ended(agent, 0)


def hammer_claims(prefix: str, calls: list[CallSpec], seed: int, parties: int,
                  tasks: int = 4) -> dict[str, Any]:
    """Process entry: `tasks` coroutines try claims on random calls (and on the queue heads) until every
    queue is empty; each claimed call is answered and ended at once so the small pool cycles."""
    return asyncio.run(_hammer_claims(prefix, calls, seed, parties, tasks))


async def _hammer_claims(prefix: str, calls: list[CallSpec], seed: int,
                         parties: int, tasks: int) -> dict[str, Any]:
    client = Redis.from_url(REDIS_URL)
    acd = Acd(client, prefix=prefix)  # no wake-ups needed: this loop never sleeps
    by_id = {cid: WaitingCall(t, q, cid, 5, skills) for t, q, cid, skills in calls}
    stats = {"attempts": 0, "assigned": [], "offered_again": 0, "problems": []}
    rng = random.Random(seed)
    await _barrier(client, prefix, parties)

    async def one_task() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            heads = []
            for tenant in TENANTS:
                for queue in QUEUES:
                    heads += [c.decode() for c in await client.zrange(acd.keys.queue(tenant, queue), 0, 1)]
            if not heads and not any([await client.zcard(acd.keys.queue(t, q)) for t in TENANTS for q in QUEUES]):
                return
            picks = [*heads, *heads, *rng.sample(list(by_id), 12)]
            rng.shuffle(picks)
            for cid in picks:
                waiting = by_id[cid]
                result = await acd.queues.try_claim(waiting)
                stats["attempts"] += 1
                if result.status == "assigned":
                    assert result.agent_id is not None
                    stats["assigned"].append((cid, result.agent_id))
                    await _take(acd, client, prefix, waiting, result.agent_id, stats["problems"])
                    try:
                        await acd.distributor.agent_answered(waiting, result.agent_id)
                    except NotOffered as exc:
                        stats["problems"].append(str(exc))
                        return
                    await asyncio.sleep(rng.uniform(0, 0.002))
                    await _free(acd, client, prefix, result.agent_id)
                elif result.status == "offered":
                    stats["offered_again"] += 1

    try:
        await asyncio.gather(*(one_task() for _ in range(tasks)))
    finally:
        await client.aclose()
    return stats


def wait_calls(prefix: str, calls: list[CallSpec], seed: int, parties: int) -> dict[str, Any]:
    """Process entry: every call runs the real wait_for_agent loop at once; agents sometimes do not
    answer (the call goes back and waits again), otherwise they answer, talk briefly and hang up."""
    return asyncio.run(_wait_calls(prefix, calls, seed, parties))


async def _wait_calls(prefix: str, calls: list[CallSpec], seed: int,
                      parties: int) -> dict[str, Any]:
    client = Redis.from_url(REDIS_URL)
    rng = random.Random(seed)
    stats: dict[str, Any] = {"offers": [], "answered": [], "problems": []}
    pending: set[asyncio.Task[Any]] = set()

    def ready_again(acd: Acd, agent: str) -> None:  # the agent presses "ready" after its no-answer break
        async def after_a_moment() -> None:
            await asyncio.sleep(0.01)
            await acd.presence.set_state(agent, "available")

        # Tracked from the start (not scheduled with call_later): the process must not finish while an
        # agent is still on its break.
        task = asyncio.ensure_future(after_a_moment())
        pending.add(task)
        task.add_done_callback(pending.discard)

    try:
        async with Acd(client, prefix=prefix, poll_seconds=0.5, lease_seconds=30) as acd:
            await _barrier(client, prefix, parties)
            await asyncio.gather(*(_one_call(acd, client, prefix, WaitingCall(t, q, cid, rng.randint(0, 9), skills),
                                             rng, stats, ready_again)
                                   for t, q, cid, skills in calls))
            while pending:
                await asyncio.gather(*pending)
    finally:
        await client.aclose()
    return stats


async def _one_call(acd: Acd, client: Redis, prefix: str, waiting: WaitingCall, rng: random.Random,
                    stats: dict[str, Any], ready_again: Callable[[Acd, str], None]) -> None:
    while True:
        outcome = await acd.distributor.wait_for_agent(waiting, 60)
        if not isinstance(outcome, Assigned):
            stats["problems"].append(f"{waiting.call_id}: {outcome}")
            return
        agent = outcome.agent_id
        stats["offers"].append((waiting.call_id, agent))
        await _take(acd, client, prefix, waiting, agent, stats["problems"])
        if rng.random() < 0.15:
            await client.delete(f"{prefix}:ledger:agent:{agent}")
            if not await acd.distributor.release_no_answer(waiting, agent):
                stats["problems"].append(f"{waiting.call_id}: release_no_answer refused")
            ready_again(acd, agent)
            continue
        await acd.distributor.agent_answered(waiting, agent)
        stats["answered"].append((waiting.call_id, agent))
        await asyncio.sleep(rng.uniform(0.001, 0.005))
        await _free(acd, client, prefix, agent)
        return
