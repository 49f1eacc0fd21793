"""Several runtime processes sharing Redis never double-assign an agent, whatever the strategy, and never
let a tenant exceed its cap on shared agents: two Acd instances on separate connections in one loop, and
two OS processes."""

from __future__ import annotations

import asyncio
import multiprocessing
import random

import pytest
from redis.asyncio import Redis

from hotline.runtime.acd import Acd

from ..acd_helpers import REDIS_URL, delete_prefix, new_prefix, require_redis
from .workers import QUEUE_STRATEGIES, TENANTS, _run_calls, agents, run_calls

pytestmark = pytest.mark.redis


def _calls(n: int, seed: int, tag: str) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    return [(rng.choice(TENANTS), rng.choice(list(QUEUE_STRATEGIES)), f"{tag}{i}") for i in range(n)]


async def _login_all(prefix: str) -> None:
    client = Redis.from_url(REDIS_URL)
    try:
        acd = Acd(client, prefix=prefix)
        for agent, skills in agents().items():
            await acd.presence.login(agent, skills)
    finally:
        await client.aclose()


def _check(results: list[dict], expected: int) -> None:
    problems = [p for r in results for p in r["problems"]]
    assert problems == []
    answered = [call for r in results for call, _ in r["answered"]]
    assert len(answered) == len(set(answered)) == expected


def test_two_acd_instances_with_separate_connections_never_double_assign():
    require_redis()
    prefix = new_prefix()

    async def main():
        await _login_all(prefix)
        try:
            return await asyncio.gather(_run_calls(prefix, _calls(150, 1, "a"), 11, 2),
                                        _run_calls(prefix, _calls(150, 2, "b"), 12, 2))
        finally:
            client = Redis.from_url(REDIS_URL)
            await delete_prefix(client, prefix)
            await client.aclose()

    _check(asyncio.run(asyncio.wait_for(main(), 90)), 300)


@pytest.mark.slow
def test_two_os_processes_never_double_assign_under_concurrent_claims():
    require_redis()
    prefix = new_prefix()
    asyncio.run(_login_all(prefix))
    try:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(2) as pool:
            jobs = [pool.apply_async(run_calls, (prefix, _calls(200, seed, f"p{seed}-"), seed, 2)) for seed in (1, 2)]
            results = [job.get(timeout=120) for job in jobs]
    finally:
        async def cleanup() -> None:
            client = Redis.from_url(REDIS_URL)
            await delete_prefix(client, prefix)
            await client.aclose()

        asyncio.run(cleanup())
    _check(results, 400)
    assert all(r["offers"] == 200 for r in results)
